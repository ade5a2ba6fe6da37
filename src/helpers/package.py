"""Facts about the data package as a whole: its tables, sources and cut-off date."""

from __future__ import annotations

import pandas as pd

from .formatting import long_date
from .load import checked, load_table, resource
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
    res = resource(table)
    caption = (f"Codebook of the {code_span(table)} table ({escape_text(res['path'])}). "
               f"{escape_text(res.get('description', ''))}")
    return show_table(codebook(table), caption, f"tab-codebook-{table}", table_rules(table))


def organization(org_id: str) -> pd.Series:
    """The row of ``organizations`` for ``org_id``."""
    orgs = load_table("organizations").set_index("org_id")
    if org_id not in orgs.index:
        raise KeyError(f"unknown organization {org_id!r}; known: {sorted(orgs.index)}")
    return orgs.loc[org_id]
