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
