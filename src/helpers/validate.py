"""Check the data package against its own schema, and report every fault precisely.

Every check is driven by ``data/datapackage.json``: field types, ``constraints``,
primary and foreign keys (the Frictionless standard), plus the book's own
documented extensions, which Frictionless ignores:

* ``csto:list`` on a field: the value is a list joined by ``separator``; each item
  must exist in ``reference`` (``"references.bib"`` or ``{"resource", "field"}``).
* ``csto:reference`` on a field: the single value must exist in that reference.
* ``csto:text`` on a string field: what the text may contain (``plain``, the
  default: no markup at all; ``cite``: plain text and citation roles only); see
  :mod:`helpers.text`.
* ``csto:rules`` on a schema: cross-field rules (``date-order``, ``precision``,
  ``together``, ``no-overlap``, ``within-lifetime``, ``range``, ``required-if``, ``mentions-if``,
  ``same-within-group``, ``member-on-date``, ``date-scope``, ``id-date-prefix``, ``continued-if``), described in
  the codebook.

A fault is never repaired: the value is not stripped, coerced or dropped. It is
reported as a :class:`Problem` with file, row (the header is row 1, so row *n*
is line *n* of the file, unless a quoted cell spans lines), column and the rule
it broke. A fault that makes later checks meaningless (an unreadable descriptor,
file or header) is reported first, once, and the checks that depend on it are
skipped with one line saying so.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import source_policy
from .bib import Bibliography, read_bib_cached
from .checked import Skips, Table
from .package_schema import check_descriptor, iso_date, read_json
from .paths import bib_path, data_dir, display_path
from .problems import DataValidationError, Problem, read_text
from .rules import PACKAGE_DATES, Context, check_rules
from .text import text_faults

__all__ = ["CheckedPackage", "DataValidationError", "Problem", "Table", "check_package", "validate_package"]

DESCRIPTOR = "datapackage.json"
# ASCII digits only, as the Table Schema says: no other scripts' digits, no '+', no leading zeros.
_INT = re.compile(r"0|-?[1-9][0-9]*")
_NUM = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_BOOL = {"true": True, "false": False}
#: The longest cell the reader accepts (the csv module's default is 131,072 characters).
MAX_CELL = 1_000_000


@dataclass
class CheckedPackage:
    """The descriptor, every table's parsed rows, and the problems found."""

    descriptor: dict[str, Any]
    tables: dict[str, Table]
    problems: list[Problem]


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def parse_value(raw: str, spec: dict[str, Any]) -> tuple[Any, str | None]:
    """Parse one non-missing cell by its field ``spec``; return (value, error or None)."""
    kind = spec.get("type", "string")
    if raw != raw.strip():
        return None, f"'{raw}' has leading or trailing spaces"
    if kind == "string":
        return raw, None
    if kind == "integer":
        if _INT.fullmatch(raw):
            return int(raw), None
        return None, f"'{raw}' is not an integer (ASCII digits 0-9, an optional '-', no leading zeros)"
    if kind == "number":
        if _NUM.fullmatch(raw):
            return float(raw), None
        return None, f"'{raw}' is not a number (ASCII digits 0-9, an optional '-', no leading zeros)"
    if kind == "boolean":
        if raw in _BOOL:
            return _BOOL[raw], None
        return None, f"'{raw}' is not a boolean (true or false)"
    if kind == "date":
        date = iso_date(raw)
        if date is not None:
            return date, None
        return None, f"'{raw}' is not a valid date in the form YYYY-MM-DD"
    if kind == "geojson":
        return _outline(raw)
    raise ValueError(f"field {spec['name']}: unsupported type {kind!r}")


def _outline(raw: str) -> tuple[Any, str | None]:
    """A GeoJSON Polygon or MultiPolygon in longitude and latitude, or why it is not one."""
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as err:
        return None, f"not valid JSON ({err.msg}) at character {err.pos}"
    kind = value.get("type") if isinstance(value, dict) else None
    if kind not in ("Polygon", "MultiPolygon") or set(value) != {"type", "coordinates"}:
        return None, "not a GeoJSON Polygon or MultiPolygon (an object with only a type and coordinates)"
    polygons = value["coordinates"] if kind == "MultiPolygon" else [value["coordinates"]]
    if not isinstance(polygons, list) or not polygons:
        return None, "has no polygons"
    for i, polygon in enumerate(polygons, 1):
        if not isinstance(polygon, list) or not polygon:
            return None, f"polygon {i} has no rings"
        for j, ring in enumerate(polygon, 1):
            where = f"polygon {i}, ring {j}"
            if not isinstance(ring, list) or len(ring) < 4:
                return None, f"{where} has fewer than 4 positions"
            for pos in ring:
                if not (isinstance(pos, list) and len(pos) == 2
                        and all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in pos)):
                    return None, f"{where}: {json.dumps(pos)[:40]} is not a [longitude, latitude] pair"
                if not (-180 <= pos[0] <= 180 and -90 <= pos[1] <= 90):
                    return None, f"{where}: {pos} is outside longitude -180..180 or latitude -90..90"
            if ring[0] != ring[-1]:
                return None, f"{where} is not closed (its first and last positions differ)"
    if json.dumps(value, separators=(",", ":")) != raw:  # so that the cell is exactly what is read
        return None, "is not written in compact JSON (no spaces, numbers as JSON writes them, e.g. 40.1 not 40.10)"
    return value, None


def _constraint_errors(value: Any, raw: str, spec: dict[str, Any]) -> list[tuple[str, str]]:
    """Return (rule, message) pairs for the field's constraints that ``value`` breaks."""
    c = spec.get("constraints", {})
    out: list[tuple[str, str]] = []
    if "enum" in c and raw not in c["enum"]:
        out.append(("enum", f"'{raw}' is not one of: {', '.join(map(str, c['enum']))}"))
    if "pattern" in c and not re.fullmatch(c["pattern"], raw, re.ASCII):
        out.append(("pattern", f"'{raw}' does not match the pattern {c['pattern']}"))
    if "minLength" in c and len(raw) < c["minLength"]:
        out.append(("minLength", f"'{raw}' is shorter than {c['minLength']} characters"))
    if "maxLength" in c and len(raw) > c["maxLength"]:
        out.append(("maxLength", f"'{raw}' is longer than {c['maxLength']} characters"))
    for key, op, word in (("minimum", "__lt__", "below"), ("maximum", "__gt__", "above")):
        if key in c:
            bound = c[key]
            if isinstance(value, dt.date):
                bound = dt.date.fromisoformat(bound)
            if getattr(value, op)(bound):
                out.append((key, f"{raw} is {word} the {key} {c[key]}"))
    return out


def _rows(text: str, shown: str) -> tuple[list[tuple[int, list[str]]], Problem | None]:
    """Split CSV text into (first line, cells) records; a quoting fault stops the reading."""
    out: list[tuple[int, list[str]]] = []
    old = csv.field_size_limit(MAX_CELL)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        while True:
            first = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                return out, None
            except csv.Error as err:
                msg = (f"the file cannot be read from this record on: {err} "
                       f"(an unterminated or stray quote, or a cell over {MAX_CELL:,} characters)")
                return out, Problem(shown, first, None, "csv", msg)
            out.append((first, cells))
    finally:
        csv.field_size_limit(old)


def _read_table(name: str, path: Path, schema: dict[str, Any]) -> tuple[Table, list[Problem]]:
    """Parse one CSV file cell by cell against its schema (no cross-table checks)."""
    shown = display_path(path)
    table = Table(name, path, schema)
    text, problem = read_text(path, shown)
    records, problem = ([], problem) if problem else _rows(text, shown)
    if problem:
        table.readable = False
        return table, [problem]
    missing = set(schema.get("missingValues", [""]))
    specs = schema["fields"]
    names = [f["name"] for f in specs]
    header = records[0][1] if records else []
    if header != names:
        table.readable = False
        msg = f"the header is {header}, the schema expects {names}"
        return table, [Problem(shown, 1, None, "header", msg)]
    problems: list[Problem] = []
    for row_number, cells in records[1:]:
        if len(cells) != len(names):
            msg = f"the row has {len(cells)} cells, the header has {len(names)}"
            problems.append(Problem(shown, row_number, None, "row-length", msg))
            table.broken_rows.add(row_number)
            continue
        record: dict[str, Any] = {}
        for spec, raw in zip(specs, cells):
            col = spec["name"]
            if raw in missing:
                record[col] = None
                if spec.get("constraints", {}).get("required"):
                    msg = "a value is required and the cell is empty"
                    problems.append(Problem(shown, row_number, col, "required", msg))
                    table.bad_cells.add((row_number, col))  # reported: no later rule reads it
                continue
            value, error = parse_value(raw, spec)
            if error:
                problems.append(Problem(shown, row_number, col, f"type {spec.get('type', 'string')}", error))
                table.bad_cells.add((row_number, col))
                record[col] = None
                continue
            listing = spec.get("csto:list")
            if listing:
                items = raw.split(listing["separator"])
                if any(i == "" for i in items) or len(set(items)) != len(items):
                    msg = f"'{raw}' has an empty or repeated item"
                    problems.append(Problem(shown, row_number, col, "list", msg))
                value = tuple(items)
            for rule, msg in _constraint_errors(value, raw, spec):
                problems.append(Problem(shown, row_number, col, rule, msg))
                if rule in ("enum", "pattern"):
                    table.bad_cells.add((row_number, col))
            record[col] = value
        table.rows.append(record)
        table.row_numbers.append(row_number)
    return table, problems


def _check_text(table: Table, bib: Bibliography | None, shown: str) -> list[Problem]:
    """Every string cell against its field's text policy (``csto:text``; plain by default)."""
    out: list[Problem] = []
    keys = bib.keys if bib is not None else None
    for spec in table.fields:
        if spec.get("type", "string") != "string":
            continue
        policy, col = spec.get("csto:text", "plain"), spec["name"]
        for rec, n in zip(table.rows, table.row_numbers):
            value = rec[col]
            raw = spec["csto:list"]["separator"].join(value) if spec.get("csto:list") and value else value
            if isinstance(raw, str):
                for fault in text_faults(raw, policy, keys):
                    out.append(Problem(shown, n, col, "text", fault))
    return out


def _check_unique(table: Table, shown: str) -> list[Problem]:
    """Unique fields and the primary key."""
    out: list[Problem] = []
    pk = _as_list(table.schema.get("primaryKey", []))
    groups = [([f["name"]], "unique") for f in table.fields if f.get("constraints", {}).get("unique")]
    if pk:
        groups.append((pk, "primary-key"))
    for cols, rule in groups:
        seen: dict[tuple[Any, ...], int] = {}
        for rec, n in zip(table.rows, table.row_numbers):
            key = tuple(rec[c] for c in cols)
            if not table.sound(n, *cols):
                continue
            if any(v is None for v in key):
                if rule == "primary-key":
                    msg = f"the primary key ({', '.join(cols)}) has an empty part"
                    out.append(Problem(shown, n, ", ".join(cols), rule, msg))
                continue
            if key in seen:
                val = ", ".join(str(v) for v in key)
                msg = f"duplicate value ({val}); first seen in row {seen[key]}"
                out.append(Problem(shown, n, ", ".join(cols), rule, msg))
            else:
                seen[key] = n
    return out


def _check_foreign_keys(table: Table, tables: dict[str, Table], shown: str, skips: Skips) -> list[Problem]:
    out: list[Problem] = []
    for fk in table.schema.get("foreignKeys", []):
        cols = _as_list(fk["fields"])
        ref = fk["reference"]
        target = tables.get(ref["resource"] or table.name)
        ref_cols = _as_list(ref["fields"])
        if not skips.usable(target, tuple(ref_cols), table.name):
            continue
        known = {tuple(r[c] for c in ref_cols) for r in target.rows}
        for rec, n in zip(table.rows, table.row_numbers):
            key = tuple(rec[c] for c in cols)
            if any(v is None for v in key) or not table.sound(n, *cols):
                continue
            if key not in known:
                val = ", ".join(str(v) for v in key)
                msg = f"'{val}' is not a known {'/'.join(ref_cols)} in {target.name}"
                out.append(Problem(shown, n, ", ".join(cols), "foreign-key", msg))
    return out


def _check_list_references(
    table: Table, tables: dict[str, Table], bib: Bibliography | None, shown: str, skips: Skips,
    bib_referrers: set[str],
) -> list[Problem]:
    out: list[Problem] = []
    for spec in table.fields:
        listing = spec.get("csto:list") or (
            {"reference": spec["csto:reference"]} if "csto:reference" in spec else None
        )
        if not listing:
            continue
        ref = listing.get("reference")
        if ref == "references.bib":
            if bib is None:
                bib_referrers.add(table.name)
                continue
            known, where = bib.keys, "references.bib"
        else:
            target = tables.get(ref["resource"])
            if not skips.usable(target, (ref["field"],), table.name):
                continue
            known = frozenset(r[ref["field"]] for r in target.rows)
            where = f"{ref['resource']}.{ref['field']}"
        for rec, n in zip(table.rows, table.row_numbers):
            value = rec[spec["name"]]
            items = (value,) if isinstance(value, str) else (value or ())
            for item in items:
                if item not in known:
                    msg = f"'{item}' is not a key in {where}"
                    out.append(Problem(shown, n, spec["name"], "list-reference", msg))
                elif ref == "references.bib" and item in bib.unlocated:
                    msg = f"the source '{item}' has neither a url nor pages in references.bib"
                    out.append(Problem(shown, n, spec["name"], "locator", msg))
    return out


def check_package(data: str | Path | None = None, bib: str | Path | None = None,
                  chapters: str | Path | None = None) -> CheckedPackage:
    """Parse and check every table of the package; never raises for data faults.

    With ``chapters`` (a folder of MyST chapters), the citations in the chapters' text are
    held to the package's source policy too (:func:`helpers.source_policy.text_faults`).

    Problems come in the order a person should fix them: faults that stop files
    being read, then every other fault by file, row and column, then one line for
    each file whose faults made the checks that refer to it meaningless (skipped).
    """
    folder = data_dir(data)
    dshown = display_path(folder / DESCRIPTOR)
    descriptor, first = read_json(folder / DESCRIPTOR, dshown)
    if not first:
        first = check_descriptor(descriptor, dshown)
    if first:
        msg = "no table was checked: the descriptor must be readable and well-formed first"
        return CheckedPackage({}, {}, first + [Problem(dshown, None, None, "skipped", msg)])
    tables: dict[str, Table] = {}
    rest: list[Problem] = []
    for res in descriptor["resources"]:
        table, found = _read_table(res["name"], folder / res["path"], res["schema"])
        tables[res["name"]] = table
        (rest if table.readable else first).extend(found)
    bpath = bib_path(bib)
    bshown = display_path(bpath)
    bibliography, found = read_bib_cached(bpath, bshown)
    (rest if bibliography is not None else first).extend(found)
    package_dates = {k: dt.date.fromisoformat(descriptor[k]) for k in PACKAGE_DATES if k in descriptor}
    sources = source_policy.policy(descriptor)
    if sources is not None and bibliography is not None:
        rest += source_policy.entry_faults(bibliography, sources, bshown)
    skips, bib_referrers = Skips(), set()
    for table in tables.values():
        if not table.readable:
            continue
        shown = display_path(table.path)
        rest += _check_text(table, bibliography, shown)
        rest += _check_unique(table, shown)
        rest += _check_foreign_keys(table, tables, shown, skips)
        rest += _check_list_references(table, tables, bibliography, shown, skips, bib_referrers)
        rest += check_rules(Context(table, tables, shown, skips, package_dates))
        if sources is not None and bibliography is not None:
            rest += source_policy.row_faults(table, bibliography, sources, shown)
    if sources is not None and bibliography is not None and chapters is not None:
        for page in sorted(Path(chapters).glob("*.md")):
            text, problem = read_text(page, display_path(page))
            rest += [problem] if problem else source_policy.text_faults(text, bibliography, sources, display_path(page))
    # The bibliography's own faults first: rows citing a faulty entry follow from them.
    rest.sort(key=lambda p: (p.path != bshown, p.path, p.row or 0, p.line or 0, p.column or ""))
    return CheckedPackage(descriptor, tables, first + rest + skips.problems(tables, bshown, bib_referrers))


def validate_package(data: str | Path | None = None, bib: str | Path | None = None) -> list[Problem]:
    """Return every problem in the data package (an empty list when it is valid)."""
    return check_package(data, bib).problems
