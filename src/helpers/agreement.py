"""Agreement between two codings of the same cases: Cohen's kappa, per field.

Two coders (or a first coding and a blind second one) give each case a category on a
field; kappa is their agreement beyond what chance would give:

    kappa = (p_o - p_e) / (1 - p_e)

where ``p_o`` is the share of cases coded alike and ``p_e`` the share expected by chance
from each coder's own distribution of categories (Cohen 1960). Only cases both coders
coded count. When chance agreement is already total (both coders used one and the same
category throughout) kappa is undefined and :func:`cohen_kappa` returns ``None``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from .formatting import NotInView


@dataclass(frozen=True)
class Agreement:
    """One field's agreement: cases compared, share alike, chance share, kappa, and the cases that differ."""

    field: str
    n: int
    observed: float
    expected: float
    kappa: float | None
    disagreements: tuple[Hashable, ...]


def _shares(first: Sequence[Hashable], second: Sequence[Hashable]) -> tuple[float, float]:
    """The share of cases coded alike, and the share chance would give."""
    if len(first) != len(second):
        raise ValueError(f"the codings differ in length ({len(first)} and {len(second)})")
    if not first:
        raise ValueError("no cases to compare")
    n = len(first)
    observed = sum(a == b for a, b in zip(first, second)) / n
    a_counts, b_counts = Counter(first), Counter(second)
    return observed, sum(a_counts[c] * b_counts[c] for c in a_counts) / n ** 2


def cohen_kappa(first: Sequence[Hashable], second: Sequence[Hashable]) -> float | None:
    """Cohen's kappa for two equally long codings of the same cases; ``None`` when undefined."""
    observed, expected = _shares(first, second)
    return None if expected == 1 else (observed - expected) / (1 - expected)


def field_agreement(first: Mapping[Hashable, Mapping[str, Hashable]],
                    second: Mapping[Hashable, Mapping[str, Hashable]], fields: Sequence[str]) -> list[Agreement]:
    """Agreement per field between two codings keyed by case (only cases and values present in both)."""
    out = []
    for name in fields:
        cases = [c for c in first if c in second
                 and first[c].get(name) is not None and second[c].get(name) is not None]
        if not cases:
            out.append(Agreement(name, 0, float("nan"), float("nan"), None, ()))
            continue
        a = [first[c][name] for c in cases]
        b = [second[c][name] for c in cases]
        observed, expected = _shares(a, b)
        out.append(Agreement(name, len(cases), observed, expected, cohen_kappa(a, b),
                             tuple(c for c, x, y in zip(cases, a, b) if x != y)))
    return out


#: The crisis fields coded twice, and the words the book uses for them.
CODED_FIELDS = {
    "crisis_type": "type of crisis", "request_to": "request addressed to", "treaty_article": "Treaty article invoked",
    "csto_response": "CSTO response", "russia_level": "Russia's own response", "rationale_type": "reason given",
    "obligation": "Treaty obligation engaged",
}


def coding_agreement() -> pd.DataFrame:
    """Agreement per field between the first coding and the blind second coding (Data and methods).

    Columns: ``field``, ``cases`` (both coded), ``alike`` (share coded alike), ``chance``,
    ``kappa`` (Cohen's), ``cases that differ``.
    """

    from .load import load_table

    def coded(table: str) -> dict[Hashable, dict[str, Hashable]]:
        frame = load_table(table).set_index("crisis_id")
        # An empty article means no article was invoked, a code of its own; elsewhere empty is "not settled".
        return {cid: {f: ("none" if f == "treaty_article" else None) if pd.isna(row[f]) else str(row[f])
                      for f in CODED_FIELDS}
                for cid, row in frame.iterrows()}

    first, second = coded("first_coding"), coded("second_coding")
    names = load_table("crises").set_index("crisis_id")["name"]
    rows = [{"field": CODED_FIELDS[a.field], "cases": a.n, "alike": round(a.observed, 2),
             "chance": round(a.expected, 2), "kappa": None if a.kappa is None else round(a.kappa, 2),
             "cases that differ": "; ".join(str(names.get(c, c)) for c in a.disagreements)}
            for a in field_agreement(first, second, list(CODED_FIELDS))]
    return pd.DataFrame(rows)


def coding_decisions() -> pd.DataFrame:
    """Each code on which the two codings differ, the code the crises table keeps and why (Reconciliation).

    Columns: ``crisis``, ``field``, ``first``, ``second``, ``kept``, ``reason``; in date order.
    """

    from .load import load_table

    def code(value: object) -> str:
        # As the prose writes a code ("not member territory"), so that narrow columns can break it.
        return "" if pd.isna(value) else str(value).replace("_", " ")

    first, second = (load_table(t).set_index("crisis_id") for t in ("first_coding", "second_coding"))
    crises = load_table("crises").sort_values(["start_date", "crisis_id"]).set_index("crisis_id")
    decided = load_table("coding_decisions").set_index(["crisis_id", "field"])
    rows = []
    for cid, crisis in crises.iterrows():
        for name, words in CODED_FIELDS.items():
            if (cid, name) not in decided.index:
                continue
            a = code(first[name].get(cid)) if cid in first.index else ""
            b = code(second[name].get(cid)) if cid in second.index else ""
            rows.append({"crisis": crisis["name"], "field": words, "first": a or "(none invoked)",
                         "second": b or ("(none invoked)" if name == "treaty_article" else "(not settled)"),
                         "kept": code(crisis[name]) or "(none invoked)",
                         "reason": str(decided.loc[(cid, name), "reason"]).replace("_", " ")})
    return pd.DataFrame(rows, columns=["crisis", "field", "first", "second", "kept", "reason"])


def wilson_interval(k: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    """The Wilson score interval for a share of ``k`` in ``n`` (95 per cent by default).

    Used where the book sets a small count beside a published rate: with few cases the
    interval is wide, and it says so in numbers (Wilson 1927; Agresti and Coull 1998).
    """
    if n == 0:
        raise NotInView("no cases in the view")
    if n < 0 or not 0 <= k <= n:
        raise ValueError(f"need 0 <= k <= n and n > 0, got k={k}, n={n}")
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)
