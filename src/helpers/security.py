"""What the CSTO and the SCO do in security: exercises and standing functions, year by year.

Two tables feed this module: ``exercises`` (each exercise recorded, held, called off or only
announced) and ``security_functions`` (the bodies, standing operations, conventions and joint acts
by which each organization took on a function). A function is *active* for an organization in a
year when one of its rows was in force during that year; military exercises are active in a year
when an exercise of the organization is recorded as held in it.
"""

from __future__ import annotations

import pandas as pd

from .load import load_table

#: The two organizations compared, and the predecessors counted with each.
PAIR = ("CSTO", "SCO")
_AS = {"SHANGHAI5": "SCO", "CST": "CSTO"}

#: The first year the record covers: the Shanghai Five's first agreement (April 1996).
FIRST_YEAR = 1996

#: Functions in the order the figure and the tables show them.
FUNCTIONS = (
    "military_exercises", "collective_forces", "crisis_response", "counter_terrorism", "counter_narcotics",
    "illegal_migration", "information_security", "border_security",
)


def exercises(*, include_frames: bool = False) -> pd.DataFrame:
    """The exercises recorded up to the cut-off, with ``year``; frames (Combat Brotherhood) only if asked."""
    x = load_table("exercises")
    if not include_frames:
        x = x[x["kind"] == "exercise"]
    return x.assign(year=x["start_date"].dt.year).reset_index(drop=True)


def exercise_counts() -> pd.DataFrame:
    """Exercises by year, organization and status (held, called_off, announced); every year from
    the first to the last recorded, zero where none is recorded."""
    x = exercises()
    years = range(int(x["year"].min()), int(x["year"].max()) + 1)
    counts = x.groupby(["year", "organization", "status"], observed=True).size().unstack(fill_value=0)
    full = pd.MultiIndex.from_product([years, PAIR], names=["year", "organization"])
    return counts.reindex(full, fill_value=0).reindex(columns=["held", "called_off", "announced"], fill_value=0)


def _function_rows() -> pd.DataFrame:
    f = load_table("security_functions").explode("organizations")
    f["organization"] = f["organizations"].map(lambda o: _AS.get(o, o))
    return f[f["organization"].isin(PAIR)]


def active_functions(first: int, last: int) -> pd.DataFrame:
    """For each year from ``first`` to ``last``, function and organization: whether it was active.

    Columns ``year``, ``function``, ``organization``, ``active`` (bool). A row of
    ``security_functions`` is active from its start year through its end year (or the last year
    if it has not ended); ``military_exercises`` is active in a year with a held exercise.
    """
    years = range(first, last + 1)
    f = _function_rows()
    # A series' founding row only dates it; the years of exercises come from the exercises table.
    f = f[f["function"].isin(FUNCTIONS) & (f["function"] != "military_exercises")]
    active: set[tuple[int, str, str]] = set()
    for r in f.itertuples(index=False):
        end = last if pd.isna(r.end_date) else r.end_date.year
        active.update((y, str(r.function), r.organization) for y in range(r.start_date.year, end + 1) if y in years)
    x = exercises()
    held = x[x["status"] == "held"]
    active.update((int(y), "military_exercises", o) for y, o in zip(held["year"], held["organization"]) if y in years)
    grid = pd.MultiIndex.from_product([years, FUNCTIONS, PAIR], names=["year", "function", "organization"])
    out = grid.to_frame(index=False)
    out["active"] = [(y, fn, o) in active for y, fn, o in grid]
    return out


def last_year(day: pd.Timestamp) -> int:
    """The last year the record covers to its end, for a cut-off ``day`` (the day after it ends)."""
    return (pd.Timestamp(day) - pd.Timedelta(days=1)).year


def active_functions_to(day: pd.Timestamp) -> pd.DataFrame:
    """:func:`active_functions` from :data:`FIRST_YEAR` to the last full year before ``day``."""
    return active_functions(FIRST_YEAR, last_year(day))


def functional_overlap(first: int, last: int) -> pd.DataFrame:
    """Per year: how many functions each organization performed, and how many both did.

    Columns ``year``, ``CSTO``, ``SCO``, ``both``.
    """
    a = (active_functions(first, last).pivot_table(index=["year", "function"], columns="organization",
                                                   values="active", aggfunc="any")
         .reindex(columns=list(PAIR), fill_value=False).astype(bool))
    both = (a["CSTO"] & a["SCO"]).groupby("year").sum()
    return pd.DataFrame({"CSTO": a["CSTO"].groupby("year").sum(), "SCO": a["SCO"].groupby("year").sum(),
                         "both": both}).astype(int).reset_index()


def joint_acts() -> pd.DataFrame:
    """The acts and documented contacts of the two organizations together, in date order."""
    f = load_table("security_functions")
    f = f[f["function"].isin(["joint_document", "secretariat_contacts"])]
    return f.sort_values(["start_date", "function_id"]).reset_index(drop=True)
