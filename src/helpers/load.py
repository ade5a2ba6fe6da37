"""Load the data package's tables as typed pandas DataFrames, through the schema only."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterator
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
    if kind == "geojson":
        return pd.Series(values, dtype="object")
    if enum is not None:
        ordered = bool(spec.get("csto:ordered", False))
        return pd.Series(pd.Categorical(values, categories=enum, ordered=ordered))
    if kind == "date":
        return pd.Series(pd.to_datetime(values), dtype="datetime64[ns]")
    dtype = {"integer": "Int64", "number": "Float64", "boolean": "boolean"}.get(kind, "string")
    return pd.Series(values, dtype=dtype)


#: How each table reads "as of" an earlier cut-off date:
#:
#: * ``keep_if``: the date that must fall on or before the cut-off for a row to be kept; a row
#:   whose date is empty is dropped, unless ``undated`` names the field that dates it instead
#:   (a contingent with no recorded arrival counts from its departure, the first day by which
#:   the sources show it had arrived);
#: * ``ends``: end dates read as still open where the ending came after the cut-off, with the
#:   fields that describe the ending blanked;
#: * ``dated``: a dated step within a kept row that came after the cut-off is undone: its date
#:   is blanked and the fields that describe it take the value given (a request made after the
#:   cut-off is not a request yet: ``request_to`` reads "none");
#: * ``follows``: a row whose parent (in another table) is dropped is dropped too.
#:
#: :func:`as_of_rules` states these rules in words for the codebook.
AS_OF: dict[str, dict[str, Any]] = {
    "organizations": {"keep_if": "founding_date", "ends": {"in_force_date": [], "end_date": ["successor"]}},
    "memberships": {"keep_if": "start_date", "ends": {"end_date": ["end_precision", "end_reason"]}},
    "events": {"keep_if": "date"},
    "crises": {"keep_if": "start_date", "ends": {"end_date": ["end_precision"]},
               "dated": {"request_date": {"request_to": "none", "requesting_state": None,
                                          "request_basis": None, "treaty_article": None}}},
    "contingents": {"keep_if": "arrival_date", "undated": "departure_date", "ends": {"departure_date": []}},
    "resolutions": {"keep_if": "date"},
    "un_votes": {"follows": {"resolution_id": ("resolutions", "resolution_id")}},
    "figures": {"keep_if": "as_of", "follows": {"event_id": ("events", "event_id")}},
    "first_coding": {"follows": {"crisis_id": ("crises", "crisis_id")}},
    "second_coding": {"follows": {"crisis_id": ("crises", "crisis_id")}},
    "coding_decisions": {"follows": {"crisis_id": ("crises", "crisis_id")}},
    "crisis_exclusions": {"keep_if": "start_date"},
    "exercises": {"keep_if": "start_date", "ends": {"end_date": ["end_precision"]}},
    "security_functions": {"keep_if": "start_date", "ends": {"end_date": ["end_precision"]}},
    "forces": {"keep_if": "agreed_date"},
    "force_sizes": {"keep_if": "as_of", "follows": {"force_id": ("forces", "force_id")}},
    "bases": {"keep_if": "first_agreement",
              "dated": {"agreement_date": {"agreement_precision": None, "term_end": None}}},
    "base_personnel": {"keep_if": "as_of", "follows": {"base_id": ("bases", "base_id")}},
}

_VIEW: dict[str, pd.Timestamp | None] = {"cutoff": None}


def data_cutoff() -> pd.Timestamp:
    """The date to which the data package describes the record (``csto:cutoff``)."""
    return pd.Timestamp(checked().descriptor["csto:cutoff"])


class CutoffError(ValueError):
    """A cut-off date the book cannot read the data at; its message is one line saying what is accepted."""


#: The one written form a cut-off date takes: an ISO 8601 calendar date.
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def data_first_date() -> pd.Timestamp:
    """The earliest date the data describe: the first event, membership spell or founding."""
    firsts = [_full_table(name, None)[field].min() for name, field in
              (("events", "date"), ("memberships", "start_date"), ("organizations", "founding_date"))]
    return min(pd.Timestamp(d) for d in firsts if pd.notna(d))


def accepted_cutoffs() -> str:
    """What a cut-off may be, in one phrase for messages."""
    return (f"an ISO date, YYYY-MM-DD, from {data_first_date().date()} to the data's own cut-off "
            f"{data_cutoff().date()}, or None for the data's own")


def parse_cutoff(cutoff: Any) -> pd.Timestamp | None:
    """``cutoff`` as a day, or ``None`` for the data's own cut-off. Accepted: ``None``, a date
    (``datetime.date``, ``datetime.datetime``, ``pandas.Timestamp``) or an ISO date string
    (``"2010-01-01"``), within the data's dates. Anything else (a bare year, an integer, a word,
    a date outside the data) raises :class:`CutoffError`, whose message is one line."""
    if cutoff is None:
        return None
    if isinstance(cutoff, str) and _ISO_DATE.fullmatch(cutoff.strip()):
        try:
            day = pd.Timestamp(dt.date.fromisoformat(cutoff.strip()))
        except ValueError:
            raise CutoffError(f"cut-off {cutoff!r} is not a calendar date; give {accepted_cutoffs()}") from None
    elif isinstance(cutoff, (dt.date, pd.Timestamp)) and not pd.isna(cutoff):
        day = pd.Timestamp(cutoff).normalize()
    else:
        raise CutoffError(f"cut-off {cutoff!r} is not accepted; give {accepted_cutoffs()}")
    if not data_first_date() <= day <= data_cutoff():
        raise CutoffError(f"cut-off {day.date()} is outside the data; give {accepted_cutoffs()}")
    return day


def _cutoff_or_none(cutoff: Any) -> pd.Timestamp | None:
    """``None`` for the data's own cut-off; else the day (see :func:`parse_cutoff`)."""
    day = parse_cutoff(cutoff)
    return None if day is None or day == data_cutoff() else day


def set_cutoff(cutoff: str | dt.date | pd.Timestamp | None) -> pd.Timestamp:
    """Read every table as it stood on ``cutoff`` from now on in this session; return the cut-off.

    ``None`` (or the data's own cut-off date) reads the package as published. Rows dated after
    the cut-off are left out and later end dates read as still open (see :data:`AS_OF`). Only an
    ISO date within the data is accepted (:func:`parse_cutoff`); anything else raises
    :class:`CutoffError` with one line saying what is.
    """
    _VIEW["cutoff"] = _cutoff_or_none(cutoff)
    return active_cutoff()


@contextlib.contextmanager
def as_of(cutoff: str | dt.date | pd.Timestamp | None) -> Iterator[pd.Timestamp]:
    """Within the block, read the tables as of ``cutoff`` (``None`` keeps the current view)."""
    before = _VIEW["cutoff"]
    if cutoff is not None:
        _VIEW["cutoff"] = _cutoff_or_none(cutoff)
    try:
        yield active_cutoff()
    finally:
        _VIEW["cutoff"] = before


def active_cutoff() -> pd.Timestamp:
    """The cut-off date the tables are read at: the one set, else the data's own."""
    return _VIEW["cutoff"] if _VIEW["cutoff"] is not None else data_cutoff()


def view_key(data: str | Path | None = None) -> tuple[Any, ...]:
    """What a frame derived from the tables depends on: the package's files and the cut-off in
    force. A cache keyed on it is never stale (an edited file or another cut-off is a new key)."""
    return (*_fingerprint(data_dir(data), bib_path(None)), _VIEW["cutoff"])


#: Typed frames already built, by table and package fingerprint: a notebook asks for the same
#: table many times, and building it from the checked rows costs more than copying it.
_FRAMES: dict[tuple[Any, ...], pd.DataFrame] = {}


def _full_table(name: str, data: str | Path | None) -> pd.DataFrame:
    """A copy of the whole typed table (callers may change their copy)."""
    pkg = checked(data)
    if name not in pkg.tables:
        raise KeyError(f"the data package has no table {name!r}; it has {sorted(pkg.tables)}")
    key = (name, *_fingerprint(data_dir(data), bib_path(None)))
    if key not in _FRAMES:
        table = pkg.tables[name]
        cols = {
            spec["name"]: _column([r[spec["name"]] for r in table.rows], spec)
            for spec in table.fields
        }
        if len(_FRAMES) > 64:  # an old fingerprint's frames are never asked for again
            _FRAMES.clear()
        _FRAMES[key] = pd.DataFrame(cols)
    return _FRAMES[key].copy()


def _read_as_of(name: str, frame: pd.DataFrame, cutoff: pd.Timestamp, data: str | Path | None) -> pd.DataFrame:
    """``frame`` as it stood on ``cutoff``, by the table's rule in :data:`AS_OF`."""
    rule = AS_OF.get(name, {})
    if "keep_if" in rule:
        dated = frame[rule["keep_if"]]
        if "undated" in rule:
            dated = dated.fillna(frame[rule["undated"]])
        frame = frame[dated.notna() & (dated <= cutoff)]
    for column, (table, key) in rule.get("follows", {}).items():
        kept = set(_as_of_table(table, cutoff, data)[key])
        frame = frame[frame[column].isna() | frame[column].isin(kept)]
    frame = frame.copy()
    for end, describing in rule.get("ends", {}).items():
        later = frame[end] > cutoff
        frame.loc[later, end] = pd.NaT
        for column in describing:
            frame.loc[later, column] = pd.NA
    for step, describing in rule.get("dated", {}).items():
        later = frame[step] > cutoff
        frame.loc[later, step] = pd.NaT
        for column, value in describing.items():
            frame.loc[later, column] = pd.NA if value is None else value
    return frame.reset_index(drop=True)


def as_of_rules() -> pd.DataFrame:
    """:data:`AS_OF` in words: for each table, which rows an earlier cut-off keeps and what it undoes
    (tables without dates first: they are read whole)."""
    rows = []
    for res in checked().descriptor["resources"]:
        table = res["name"]
        if table not in AS_OF:
            rows.append({"table": table, "rows kept": "every row (the table records no dates)",
                         "undone": "nothing"})
    for table, rule in AS_OF.items():
        keep = "every row"
        if "keep_if" in rule:
            keep = f"rows whose {rule['keep_if']} is on or before the cut-off"
            keep += (f"; an empty {rule['keep_if']} is read as the {rule['undated']}" if "undated" in rule
                     else f"; a row with an empty {rule['keep_if']} is left out")
        for column, (parent, _key) in rule.get("follows", {}).items():
            keep += f"; only rows whose {column} names a {parent} row kept at the cut-off"
        undone = [f"{end} after the cut-off is left empty, as not yet come"
                  + (f" (and {', '.join(fields)})" if fields else "")
                  for end, fields in rule.get("ends", {}).items()]
        undone += [f"{step} after the cut-off is blanked, with "
                   + ", ".join(f"{c} {'empty' if v is None else repr(v)}" for c, v in fields.items())
                   for step, fields in rule.get("dated", {}).items()]
        rows.append({"table": table, "rows kept": keep, "undone": "; ".join(undone) or "nothing"})
    return pd.DataFrame(rows)


def _as_of_table(name: str, cutoff: pd.Timestamp, data: str | Path | None) -> pd.DataFrame:
    return _read_as_of(name, _full_table(name, data), cutoff, data)


def load_table(name: str, data: str | Path | None = None) -> pd.DataFrame:
    """Load one table of the data package with typed columns, as of the active cut-off.

    Dates are ``datetime64`` (``NaT`` where empty), enumerations are categoricals in
    the schema's order, integers are nullable ``Int64``, list fields are tuples.
    After :func:`set_cutoff` (or inside :func:`as_of`) with an earlier date, rows dated
    after it are left out and later end dates read as open.
    Raises :class:`DataValidationError` if any table of the package breaks its schema,
    and ``KeyError`` for a table name the package does not have.
    """
    frame = _full_table(name, data)
    if _VIEW["cutoff"] is None:
        return frame
    return _read_as_of(name, frame, _VIEW["cutoff"], data)


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
