"""Facts about the data package as a whole: its tables, sources and cut-off date."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from .load import checked, load_table
from .text import code_span, escape_text
from .tables import BookTable, codebook, show_table, table_rules


def cutoff_date() -> pd.Timestamp:
    """The date up to which the data describe the record (``csto:cutoff`` in the descriptor)."""
    return pd.Timestamp(checked().descriptor["csto:cutoff"])


def chronology_complete_date() -> pd.Timestamp:
    """The date to which the chronology (``events``) and ``crises`` were researched in full.

    It is ``csto:chronology_complete_to`` in the descriptor, on or before the cut-off date;
    later events are not yet recorded.
    """
    return pd.Timestamp(checked().descriptor["csto:chronology_complete_to"])


def long_date(date: dt.date | pd.Timestamp) -> str:
    """A date as the book's prose writes it: '6 January 2022'."""
    return f"{date.day} {date:%B %Y}"


_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
          "sixteen seventeen eighteen nineteen twenty").split()


def number_word(n: int) -> str:
    """A whole number as the prose writes it: words up to twenty, digits beyond."""
    return _WORDS[n] if 0 <= n < len(_WORDS) else f"{n:,}"


def interval_text(start: dt.date | pd.Timestamp, end: dt.date | pd.Timestamp) -> str:
    """The time between two dates in prose: "251 days (about eight months)".

    Months are average Gregorian months (30.44 days), rounded to the nearest whole one;
    under two months only the days are given.
    """
    days = (pd.Timestamp(end) - pd.Timestamp(start)).days
    if days < 0:
        raise ValueError(f"{end} is before {start}")
    months = round(days / (365.2425 / 12))
    if months < 2:
        return f"{days} days"
    return f"{days:,} days (about {number_word(months)} months)"


def decimal_text(x: float, places: int = 2) -> str:
    """``x`` to ``places`` decimals with halves rounded up (0.625 -> 0.63), as figures print it."""
    return f"{x + 10 ** -(places + 7):.{places}f}"


def cutoff_text() -> str:
    """The cut-off date in prose form."""
    return long_date(cutoff_date())


def package_summary() -> pd.DataFrame:
    """One row per table: name, title, number of rows, description."""
    pkg = checked()
    return pd.DataFrame(
        [
            {
                "table": res["name"],
                "title": res.get("title", ""),
                "rows": len(pkg.tables[res["name"]].rows),
                "description": res.get("description", ""),
            }
            for res in pkg.descriptor["resources"]
        ]
    )


def source_count() -> int:
    """How many distinct bibliography entries the data rows cite."""
    keys: set[str] = set()
    for table in checked().tables.values():
        for spec in table.fields:
            if (spec.get("csto:list") or {}).get("reference") == "references.bib":
                for rec in table.rows:
                    keys.update(rec[spec["name"]] or ())
    return len(keys)


def show_codebook(table: str) -> BookTable:
    """The numbered codebook table of ``table``, with its keys and rules listed under it."""
    res = next(r for r in checked().descriptor["resources"] if r["name"] == table)
    caption = (f"Codebook of the {code_span(table)} table ({escape_text(res['path'])}). "
               f"{escape_text(res.get('description', ''))}")
    return show_table(codebook(table), caption, f"tab-codebook-{table}", table_rules(table))


def organization(org_id: str) -> pd.Series:
    """The row of ``organizations`` for ``org_id``."""
    orgs = load_table("organizations").set_index("org_id")
    if org_id not in orgs.index:
        raise KeyError(f"unknown organization {org_id!r}; known: {sorted(orgs.index)}")
    return orgs.loc[org_id]
