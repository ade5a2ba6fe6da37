"""What the alliance has: its forces and their declared sizes, Russia's facilities in the members,
and its exercises by series and year.

Four tables feed this module: ``forces`` (the CSTO's collective forces and the groupings and
air-defence systems Russia formed with one member), ``force_sizes`` (each size a source declared
for them), ``bases`` (Russia's military facilities on the members' territory) and
``base_personnel`` (each figure a source gave for a facility's personnel). Sizes and personnel
are declarations and reports that disagree: the functions here give their ranges, never one
chosen figure.
"""

from __future__ import annotations

import pandas as pd

from .formatting import NotInView
from .load import load_table
from .security import exercises

#: The CSTO's exercise series in the order the figure shows them (by first recorded year),
#: then the SCO's.
SERIES = ("Rubezh", "Interaction", "Search", "Echelon", "Indestructible Brotherhood", "Cobalt", "Thunder",
          "Peace Mission", "SCO joint anti-terrorist exercise")


def forces() -> pd.DataFrame:
    """The forces agreed by the cut-off, in the order they were agreed."""
    return load_table("forces").sort_values(["agreed_date", "force_id"], ignore_index=True)


def force_sizes(measure: str | None = "personnel") -> pd.DataFrame:
    """Each declared size of ``measure`` given by the cut-off (``None``: the force's personnel and
    Russia's contribution), with the force's name and kind, by date."""
    s = load_table("force_sizes")
    s = s[s["measure"].isin(["personnel", "russia_personnel"] if measure is None else [measure])]
    f = forces().set_index("force_id")
    s = s.assign(name=s["force_id"].map(f["name"]), kind=s["force_id"].map(f["kind"]),
                 year=s["as_of"].dt.year)
    return s.sort_values(["as_of", "size_id"], ignore_index=True)


def size_range(force_id: str, measure: str = "personnel") -> tuple[int, int]:
    """The lowest and highest size of ``measure`` declared for a force by the cut-off."""
    values = force_sizes(measure).query("force_id == @force_id")["value"]
    if values.empty:
        raise NotInView(f"no {measure} size of {force_id} in the view")
    return int(values.min()), int(values.max())


def bases() -> pd.DataFrame:
    """Russia's facilities whose first agreement was signed by the cut-off, with the host's name."""
    b = load_table("bases")
    names = load_table("states").set_index("iso3")["name"]
    return b.assign(host_name=b["host"].map(names)).sort_values(["host", "first_agreement"], ignore_index=True)


def base_personnel() -> pd.DataFrame:
    """Each personnel figure given for a facility by the cut-off, by date."""
    return load_table("base_personnel").sort_values(["base_id", "as_of"], ignore_index=True)


def personnel_range(base_id: str) -> tuple[int, int]:
    """The lowest and highest personnel figure given for a facility by the cut-off."""
    values = base_personnel().query("base_id == @base_id")["value"]
    if values.empty:
        raise NotInView(f"no personnel figure for {base_id} in the view")
    return int(values.min()), int(values.max())


def exercise_grid() -> pd.DataFrame:
    """The recorded exercises (frames left out) as the figure draws them: ``series``,
    ``organization``, ``year``, ``status`` and ``n``, the number of that series' exercises of
    that status in that year."""
    x = exercises()
    g = x.groupby(["organization", "series", "year", "status"], observed=True).size().rename("n").reset_index()
    order = {s: i for i, s in enumerate(SERIES)}
    return g.sort_values(["series", "year"], key=lambda c: c.map(order) if c.name == "series" else c,
                         ignore_index=True)


def called_off(since: int = 2022) -> pd.DataFrame:
    """The CSTO's exercises called off from ``since`` on, with the reasons the sources give."""
    x = exercises()
    return x[(x["organization"] == "CSTO") & (x["status"] == "called_off") & (x["year"] >= since)].reset_index(
        drop=True)


def hosts_with_bases() -> set[str]:
    """The members (ISO3) that host one of Russia's facilities at the cut-off."""
    return set(bases()["host"])
