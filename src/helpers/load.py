"""Load the data package's tables as typed pandas DataFrames, through the schema only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from .paths import bib_path, data_dir
from .validate import DESCRIPTOR, CheckedPackage, DataValidationError, check_package

_CACHE: dict[tuple[Any, ...], CheckedPackage] = {}


def _fingerprint(folder: Path, bib: Path) -> tuple[Any, ...]:
    files = [folder / DESCRIPTOR, bib, *sorted(folder.glob("*.csv"))]
    return tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files if f.exists())


def checked(data: str | Path | None = None, bib: str | Path | None = None) -> CheckedPackage:
    """Return the checked package, or raise :class:`DataValidationError` listing every fault.

    The result is cached until a data file, the descriptor or the bibliography changes.
    """
    folder, bpath = data_dir(data), bib_path(bib)
    key = _fingerprint(folder, bpath)
    if key not in _CACHE:
        pkg = check_package(folder, bpath)
        if pkg.problems:
            raise DataValidationError(pkg.problems)
        _CACHE.clear()
        _CACHE[key] = pkg
    return _CACHE[key]


def _column(values: list[Any], spec: dict[str, Any]) -> pd.Series:
    """Build one typed column from parsed values, as the field's schema says."""
    kind = spec.get("type", "string")
    enum = spec.get("constraints", {}).get("enum")
    if spec.get("csto:list"):
        return pd.Series([v if v is not None else () for v in values], dtype="object")
    if enum is not None:
        ordered = bool(spec.get("csto:ordered", False))
        return pd.Series(pd.Categorical(values, categories=enum, ordered=ordered))
    if kind == "date":
        return pd.Series(pd.to_datetime(values), dtype="datetime64[ns]")
    dtype = {"integer": "Int64", "number": "Float64", "boolean": "boolean"}.get(kind, "string")
    return pd.Series(values, dtype=dtype)


def load_table(name: str, data: str | Path | None = None) -> pd.DataFrame:
    """Load one table of the data package with typed columns.

    Dates are ``datetime64`` (``NaT`` where empty), enumerations are categoricals in
    the schema's order, integers are nullable ``Int64``, list fields are tuples.
    Raises :class:`DataValidationError` if any table of the package breaks its schema,
    and ``KeyError`` for a table name the package does not have.
    """
    pkg = checked(data)
    if name not in pkg.tables:
        raise KeyError(f"the data package has no table {name!r}; it has {sorted(pkg.tables)}")
    table = pkg.tables[name]
    cols = {
        spec["name"]: _column([r[spec["name"]] for r in table.rows], spec)
        for spec in table.fields
    }
    return pd.DataFrame(cols)


def resource(name: str, data: str | Path | None = None) -> dict[str, Any]:
    """The descriptor's entry for one table; ``KeyError`` (naming the tables) if there is none."""
    resources = checked(data).descriptor["resources"]
    for res in resources:
        if res["name"] == name:
            return res
    raise KeyError(f"the data package has no table {name!r}; it has {sorted(r['name'] for r in resources)}")


def descriptor(data: str | Path | None = None) -> dict[str, Any]:
    """The parsed ``datapackage.json``."""
    return checked(data).descriptor
