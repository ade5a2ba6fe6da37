"""Facts about the data package as a whole: its tables, sources and cut-off date."""

from __future__ import annotations

import pandas as pd

from .formatting import ABSENT, long_date
from .load import active_cutoff, checked, data_cutoff, load_table, resource
from .tables import BookTable, codebook, show_table, table_rules
from .text import code_span, escape_text


def cutoff_date() -> pd.Timestamp:
    """The date up to which the tables describe the record.

    It is the data's own cut-off (``csto:cutoff`` in the descriptor) unless an earlier one
    was set with :func:`helpers.set_cutoff`.
    """
    return active_cutoff()


def cutoff_note() -> str:
    """A note for a chapter run at an earlier cut-off than the data's own; empty when it is not.

    The prose, captions and alt text were written for the data's cut-off, so a reader who
    changes it is told which parts follow the new date and which do not.
    """
    own, now = data_cutoff(), active_cutoff()
    if now == own:
        return ""
    return (f"This chapter was run with the cut-off date {long_date(now)}, not the data's own "
            f"({long_date(own)}). Its computed numbers, tables and figures follow the new date: rows "
            f"dated after it are left out and later end dates read as open. Its prose, figure captions "
            f"and alt text were written for {long_date(own)} and do not; where a number has no value "
            f"at the new date it reads {ABSENT!r}.")


def chronology_complete_date() -> pd.Timestamp:
    """The date to which the chronology (``events``) and ``crises`` were researched in full.

    It is ``csto:chronology_complete_to`` in the descriptor, on or before the cut-off date;
    later events are not yet recorded. At an earlier cut-off it is that cut-off, if earlier.
    """
    return min(pd.Timestamp(checked().descriptor["csto:chronology_complete_to"]), active_cutoff())


def cutoff_text() -> str:
    """The cut-off date in prose form."""
    return long_date(cutoff_date())


def inclusion_rule() -> str:
    """The rule by which a crisis enters the crises table, as the data package states it."""
    return str(checked().descriptor["csto:inclusion_rule"])


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


def _cited_by_rows() -> set[str]:
    keys: set[str] = set()
    for table in checked().tables.values():
        for spec in table.fields:
            listing = spec.get("csto:list") or (
                {"reference": spec["csto:reference"]} if "csto:reference" in spec else {})
            if listing.get("reference") == "references.bib":
                for rec in table.rows:
                    value = rec[spec["name"]]
                    keys.update([value] if isinstance(value, str) else (value or ()))
    return keys


def source_classes() -> pd.DataFrame:
    """The source policy's classes: what each means, and how many entries (all, and cited by data rows) fall in it."""
    from .bib import bibliography
    from .source_policy import class_counts, policy

    classes = (policy(checked().descriptor) or {}).get("classes", {})
    bib = bibliography()
    every, by_rows = class_counts(bib), class_counts(bib, _cited_by_rows())
    return pd.DataFrame([
        {"class": name.replace("_", " "), "meaning": meaning,
         "entries": every.get(name, 0), "cited by data rows": by_rows.get(name, 0)}
        for name, meaning in classes.items()
    ])


def refused_sources() -> pd.DataFrame:
    """The outlets the source policy refuses as evidence, with the reason for each."""
    from .source_policy import policy

    refused = (policy(checked().descriptor) or {}).get("refused", [])
    return pd.DataFrame([{"outlet": r.get("outlet", r["host"]), "address": r["host"], "reason": r["reason"]}
                         for r in refused])
