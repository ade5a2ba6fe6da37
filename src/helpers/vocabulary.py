"""The words readers read for the data's category codes: one vocabulary, kept in the schema.

A field with an ``enum`` may carry ``csto:words`` (code -> words) in ``data/datapackage.json``;
the codebook prints them, and the chronology, the figures and the tables take them from here.
A code without words is read with its underscores as spaces.
"""

from __future__ import annotations

from .load import resource


def words(table: str, field: str) -> dict[str, str]:
    """Each code of ``table.field`` and the words for it (the code spaced where none are given)."""
    spec = next(f for f in resource(table)["schema"]["fields"] if f["name"] == field)
    given = spec.get("csto:words", {})
    return {str(code): given.get(code, str(code).replace("_", " "))
            for code in spec.get("constraints", {}).get("enum", given)}


def word(table: str, field: str, code: object) -> str:
    """The words for one code of ``table.field``."""
    return words(table, field).get(str(code), str(code).replace("_", " "))
