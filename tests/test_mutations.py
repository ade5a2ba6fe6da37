"""Property: any single-cell or single-byte change to the tiny package is either accepted and
read back exactly, or rejected with the file (and, for a cell, the row and column) named.

Never a traceback, never a silent conversion. Hypothesis generates the mutations of every
table, the descriptor and the bibliography; the run is bounded and derandomized, so
``make test`` stays fast and gives the same result on every machine.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import TINY, write_package
from helpers.validate import CheckedPackage, check_package

TABLES = sorted(TINY)
FILES = [*TABLES, "datapackage.json", "references.bib"]
#: Problems about a whole file; every other problem names a row (and usually a column).
FILE_LEVEL = {"file", "json", "encoding", "descriptor", "bibtex", "csv", "header", "skipped", "url", "text"}
#: Values that have broken validators before: other scripts' digits, signs, zeros, markup, controls.
TRICKY = ["", " ", "x ", "０８", "٧٣", "+93", "0150", "-0", "1e3", "1.0", "NaN", "true", "2020-02-30",
          "9999-12-01", "2010-1-1", "<b>x</b>", "{raw}`x`", "a\x00b", "a\nb", "\u202e", "a;;b", "ZZZ",
          "src1;src1", "&amp;", "\\emph{x}", '"', "member", "CSTO", "AAA;BBB", "none", "csto"]
SETTINGS = settings(max_examples=300, deadline=3000, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

_BASE: dict[str, bytes] = {}


def _base() -> dict[str, bytes]:
    if not _BASE:
        with tempfile.TemporaryDirectory() as tmp:
            folder = write_package(Path(tmp) / "data")
            _BASE.update({name: (folder / name).read_bytes() for name in FILES})
    return _BASE


def _cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


@st.composite
def cell_mutations(draw: st.DrawFn) -> tuple[str, bytes]:
    table = draw(st.sampled_from(TABLES))
    rows = _cells(_base()[table])
    r = draw(st.integers(1, len(rows) - 1))
    c = draw(st.integers(0, len(rows[0]) - 1))
    rows[r][c] = draw(st.sampled_from(TRICKY) if draw(st.integers(0, 3)) else st.text(max_size=12))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return table, out.getvalue().encode("utf-8")


@st.composite
def byte_mutations(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(st.sampled_from(FILES))
    data = _base()[name]
    pos = draw(st.integers(0, len(data) - 1))
    op = draw(st.sampled_from(["replace", "insert", "delete"]))
    byte = bytes([draw(st.integers(0, 255))])
    if op == "replace":
        return name, data[:pos] + byte + data[pos + 1:]
    if op == "insert":
        return name, data[:pos] + byte + data[pos:]
    return name, data[:pos] + data[pos + 1:]


def _serialise(value: Any, spec: dict[str, Any]) -> str | None:
    """The text a parsed value stands for (None for a missing value)."""
    if value is None:
        return None
    if isinstance(value, tuple):
        return spec["csto:list"]["separator"].join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):  # a geojson outline, which must be written compact
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def _check(name: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_package(Path(tmp) / "data")
        (folder / name).write_bytes(data)
        pkg: CheckedPackage = check_package(folder, folder / "references.bib")  # must not raise
        if pkg.problems:
            for p in pkg.problems:
                assert Path(p.path).name in FILES, p
                assert p.rule in FILE_LEVEL or p.row is not None, f"no row: {p}"
                assert p.message.strip() and p.rule.strip(), f"a fault without words: {p!r}"
            return
        for table in pkg.tables.values():  # accepted: every cell reads back as written
            raw = _cells(table.path.read_bytes())
            missing = set(table.schema.get("missingValues", [""]))
            for rec, cells in zip(table.rows, raw[1:], strict=True):
                for spec, cell in zip(table.fields, cells, strict=True):
                    back = _serialise(rec[spec["name"]], spec)
                    assert back == cell or (back is None and cell in missing), (
                        f"{name}: {table.name}.{spec['name']} {cell!r} was read as {rec[spec['name']]!r}")


@SETTINGS
@given(cell_mutations())
def test_a_changed_cell_is_read_back_exactly_or_rejected_with_its_location(mutation: tuple[str, bytes]) -> None:
    _check(*mutation)


@SETTINGS
@given(byte_mutations())
def test_a_changed_byte_is_read_back_exactly_or_rejected_with_its_location(mutation: tuple[str, bytes]) -> None:
    _check(*mutation)


def _required_cells() -> list[tuple[str, int, str]]:
    """(file, row number, column) of every required cell of every table of the tiny package."""
    descriptor = json.loads(_base()["datapackage.json"])
    required = {r["path"]: [f["name"] for f in r["schema"]["fields"] if f.get("constraints", {}).get("required")]
                for r in descriptor["resources"]}
    out = []
    for name in TABLES:
        rows = _cells(_base()[name])
        out += [(name, n, col) for n in range(2, len(rows) + 1) for col in required.get(name, [])]
    return out


@pytest.mark.parametrize("value", ["", "\x00", "ZZZ-not-a-value"])
def test_every_required_cell_blanked_or_corrupted_is_refused_where_it_is(value: str) -> None:
    """Each required cell of each table, blanked or corrupted one at a time: the validator never
    raises, and names that file, row and column (or, for a file left unreadable, the file)."""
    for name, n, col in _required_cells():
        rows = _cells(_base()[name])
        header = rows[0]
        rows[n - 1][header.index(col)] = value
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        with tempfile.TemporaryDirectory() as tmp:
            folder = write_package(Path(tmp) / "data")
            (folder / name).write_bytes(out.getvalue().encode("utf-8"))
            problems = check_package(folder, folder / "references.bib").problems  # must not raise
        if value == "ZZZ-not-a-value":  # a free-text cell takes any words; a code is refused somewhere in its file
            assert all(p.row is not None or p.rule in FILE_LEVEL for p in problems), problems
            continue
        here = [p for p in problems if Path(p.path).name == name and (p.row, p.column) == (n, col)]
        whole = [p for p in problems if Path(p.path).name == name and p.row is None]
        assert here or whole, f"{name} row {n} {col} = {value!r}: {[str(p) for p in problems]}"
