"""Bad input of every kind gets one located message, never a traceback, never a silent conversion.

Each case mutates the tiny package once (a file's bytes, or the descriptor's
structure) and asserts the exact messages, in order: the fault that stops a file
being read comes first and the checks that depend on it are skipped in one line.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import TINY_CUTOFF, write_package
from helpers.validate import check_package

SKIP_DESCRIPTOR = ("datapackage.json: no table was checked: the descriptor must be readable and "
                   "well-formed first [rule: skipped]")
SKIP_BIB = ("references.bib: the source keys of base_personnel, bases, boundaries, claims, coding_decisions, contingents, crises, "
            "crisis_exclusions, events, exercises, figures, force_sizes, forces, memberships, organizations, resolutions, security_functions, states, un_votes were not checked: the bibliography must be "
            "readable first [rule: skipped]")
INT_RULE = "is not an integer (ASCII digits 0-9, an optional '-', no leading zeros) [rule: type integer]"
BOM = b"\xef\xbb\xbf"


def _bytes(name: str, change: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        path = folder / name
        path.write_bytes(change(path.read_bytes()))
    return apply


def _descriptor(change: Callable[[dict], object]) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        path = folder / "datapackage.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return apply


def _fields(data: dict, resource: int) -> list[dict]:
    return data["resources"][resource]["schema"]["fields"]


def _row(name: str, row: str) -> Callable[[Path], None]:
    return _bytes(name, lambda b: b + row.encode() + b"\n")


# (case, mutation, the exact problems expected, in order; paths relative to the package folder)
CASES: list[tuple[str, Callable[[Path], None], list[str]]] = [
    ("descriptor missing", lambda f: (f / "datapackage.json").unlink(),
     ["datapackage.json: the file does not exist [rule: file]", SKIP_DESCRIPTOR]),
    ("descriptor empty", _bytes("datapackage.json", lambda b: b""),
     ["datapackage.json, line 1: not valid JSON (Expecting value) at line 1, column 1 [rule: json]",
      SKIP_DESCRIPTOR]),
    ("descriptor truncated", _bytes("datapackage.json", lambda b: b[:-40]),
     None),  # the message depends on where the cut falls: checked by pattern below
    ("descriptor with a trailing comma", _bytes("datapackage.json", lambda b: b.replace(b'"resources": [', b'"resources": [,', 1)),
     None),
    ("descriptor with a comment", _bytes("datapackage.json", lambda b: b"// the package\n" + b),
     ["datapackage.json, line 1: not valid JSON (Expecting value) at line 1, column 1 [rule: json]",
      SKIP_DESCRIPTOR]),
    ("descriptor with a BOM", _bytes("datapackage.json", lambda b: BOM + b),
     ["datapackage.json, line 1: the file starts with a byte-order mark (U+FEFF); save it as UTF-8 "
      "without one [rule: encoding]", SKIP_DESCRIPTOR]),
    ("descriptor with a Latin-1 byte", _bytes("datapackage.json", lambda b: b.replace(b"Three-letter", b"Thr\xe9e-letter")),
     None),
    ("no resources", _descriptor(lambda d: d.pop("resources")),
     ["datapackage.json: resources: must be a non-empty list of tables [rule: descriptor]", SKIP_DESCRIPTOR]),
    ("a resource without a path", _descriptor(lambda d: d["resources"][0].pop("path")),
     ["datapackage.json: resources[0].path: None is not a CSV file name in the data folder [rule: descriptor]",
      SKIP_DESCRIPTOR]),
    ("an unknown field type", _descriptor(lambda d: _fields(d, 0)[2].update(type="int")),
     ["datapackage.json: resources[0].schema.fields[2].type: 'int' is not a supported type (string, integer, "
      "number, boolean, date, geojson) [rule: descriptor]", SKIP_DESCRIPTOR]),
    ("an unknown rule", _descriptor(lambda d: d["resources"][1]["schema"]["csto:rules"].insert(0, {"rule": "magic"})),
     ["datapackage.json: resources[1].schema.csto:rules[0]: unknown rule 'magic' (known: date-order, range, "
      "required-if, mentions-if, same-within-group, member-on-date, precision, together, no-overlap, "
      "within-lifetime, date-scope, id-date-prefix, continued-if, subset-of, stated-in, reconciled) [rule: descriptor]",
      SKIP_DESCRIPTOR]),
    ("a primary key naming no column", _descriptor(lambda d: d["resources"][0]["schema"].update(primaryKey=["iso4"])),
     ["datapackage.json: resources[0].schema.primaryKey: 'iso4' is not a column of states [rule: descriptor]",
      SKIP_DESCRIPTOR]),
    ("a rule naming no column", _descriptor(lambda d: d["resources"][1]["schema"]["csto:rules"][0].update(start="founded")),
     ["datapackage.json: resources[1].schema.csto:rules[0].start: 'founded' is not a column of organizations "
      "[rule: descriptor]", SKIP_DESCRIPTOR]),
    ("a foreign key to a missing resource",
     _descriptor(lambda d: d["resources"][2]["schema"]["foreignKeys"][1]["reference"].update(resource="countries")),
     ["datapackage.json: resources[2].schema.foreignKeys[1].reference.resource: the package has no resource "
      "'countries' [rule: descriptor]", SKIP_DESCRIPTOR]),
    ("a list reference to a missing resource",
     _descriptor(lambda d: _fields(d, 3)[6]["csto:list"]["reference"].update(resource="countries")),
     ["datapackage.json: resources[3].schema.fields[6].csto:list.reference: the package has no resource "
      "'countries' [rule: descriptor]", SKIP_DESCRIPTOR]),
    ("words for a code the field does not have",
     _descriptor(lambda d: _fields(d, 3)[4]["csto:words"].update(coup="a coup")),
     ["datapackage.json: resources[3].schema.fields[4].csto:words: must map codes of the field's enum to words "
      "[rule: descriptor]", SKIP_DESCRIPTOR]),
    ("a free-text field without a text policy", _descriptor(lambda d: _fields(d, 0)[1].pop("csto:text")),
     ["datapackage.json: resources[0].schema.fields[1]: a free-text field must say what it may contain "
      "(csto:text: plain or cite) [rule: descriptor]", SKIP_DESCRIPTOR]),
    ("an invalid pattern", _descriptor(lambda d: _fields(d, 0)[0]["constraints"].update(pattern="[A-Z{3}")),
     ["datapackage.json: resources[0].schema.fields[0].constraints.pattern: is not a valid regular expression "
      "(unterminated character set at position 0) [rule: descriptor]", SKIP_DESCRIPTOR]),
    ("a CSV that is not UTF-8", _bytes("states.csv", lambda b: b.replace(b"Aland", b"\xc5land")),
     ["states.csv, line 2: byte 0xc5 (byte 5 of line 2) is not valid UTF-8; save the file as UTF-8 [rule: encoding]",
      "states.csv: its rows were not checked, nor the checks in bases, contingents, crises, crisis_exclusions, events, exercises, forces, "
      "memberships, un_votes "
      "that refer to it: the file must be readable first [rule: skipped]"]),
    ("a CSV with a BOM", _bytes("states.csv", lambda b: BOM + b),
     ["states.csv, line 1: the file starts with a byte-order mark (U+FEFF); save it as UTF-8 without one "
      "[rule: encoding]",
      "states.csv: its rows were not checked, nor the checks in bases, contingents, crises, crisis_exclusions, events, exercises, forces, "
      "memberships, un_votes "
      "that refer to it: the file must be readable first [rule: skipped]"]),
    ("an unterminated quote", _bytes("events.csv", lambda b: b.replace(b"Two states sign.", b'"Two states sign.')),
     # the stray quote pairs with the next quote in the file, where the reader stops
     ["events.csv, row 2: the file cannot be read from this record on: ',' expected after '\"' (an unterminated "
      "or stray quote, or a cell over 1,000,000 characters) [rule: csv]",
      "events.csv: its rows were not checked, nor the checks in figures that refer to it: the file must be "
      "readable first [rule: skipped]"]),
    ("a bibliography that is not UTF-8", _bytes("references.bib", lambda b: b.replace(b"A source", b"A s\xf6urce")),
     ["references.bib, line 2: byte 0xf6 (byte 25 of line 2) is not valid UTF-8; save the file as UTF-8 "
      "[rule: encoding]", SKIP_BIB]),
    ("a bibliography with a BOM", _bytes("references.bib", lambda b: BOM + b),
     ["references.bib, line 1: the file starts with a byte-order mark (U+FEFF); save it as UTF-8 without one "
      "[rule: encoding]", SKIP_BIB]),
    ("a bibliography cut off", _bytes("references.bib", lambda b: b.rstrip()[:-3]),
     ["references.bib, line 4: the entry that starts here is never closed (a brace is missing or the file is "
      "cut off) [rule: bibtex]", SKIP_BIB]),
    ("an unbalanced brace", _bytes("references.bib", lambda b: b.replace(b"{A source}", b"{A source}}")),
     ["references.bib, line 2: text outside any entry (', url = {https://example.org/1}}'); is a brace in the "
      "entry before it unbalanced? [rule: bibtex]", SKIP_BIB]),
    ("an entry repeated with another url",
     _bytes("references.bib", lambda b: b + b"@misc{src1, title = {A source}, url = {https://example.org/9}}\n"),
     ["references.bib, line 5: the key 'src1' is defined twice (first at line 2) [rule: bibtex]", SKIP_BIB]),
    ("an empty bibliography", _bytes("references.bib", lambda b: b""),
     ["references.bib: the bibliography has no entries [rule: bibtex]", SKIP_BIB]),
    ("a garbage bibliography", _bytes("references.bib", lambda b: b"hello }}} @@@"),
     ["references.bib, line 1: text outside any entry ('hello }}} @@@'); is a brace in the entry before it "
      "unbalanced? [rule: bibtex]", SKIP_BIB]),
    ("a bad date under a cross-table rule",
     _bytes("memberships.csv", lambda b: b.replace(b"CSTO,AAA,member,2003-09-18", b"CSTO,AAA,member,2003-02-30")),
     ["memberships.csv, row 6, column start_date: '2003-02-30' is not a valid date in the form YYYY-MM-DD "
      "[rule: type date]",
      "memberships.csv: the checks in contingents, memberships that refer to it were skipped: the faults in it (above) "
      "would make them meaningless [rule: skipped]"]),
    # The four faults the mutation run of December 2026 found accepted or crashing.
    ("a spell without its required start under a cross-table rule",
     _bytes("memberships.csv", lambda b: b.replace(b"CST,AAA,member,1994-04-20,day", b"CST,AAA,member,,day")),
     ["memberships.csv, row 3, column start_date: a value is required and the cell is empty [rule: required]",
      "memberships.csv: the checks in contingents, memberships that refer to it were skipped: the faults in it (above) "
      "would make them meaningless [rule: skipped]"]),
    ("an entry inside @comment",
     _bytes("references.bib", lambda b: b + b"@comment{@misc{ghost, title = {G}, url = {https://example.org/g}}}\n"),
     ["references.bib, line 5: an entry inside @comment: BibTeX skips it but pybtex reads it, so rows citing it "
      "would pass; remove the @comment or the entry [rule: bibtex]", SKIP_BIB]),
    ("an entry head without the comma after its key",
     _bytes("references.bib", lambda b: b.replace(b"@misc{src2, title", b"@misc{src2 title")),
     ["references.bib, line 3: the entry's head '@misc{src2 title = {Another}, pages = {12--14}}' is not "
      "'@type{key,': a comma must follow the key [rule: bibtex]", SKIP_BIB]),
    ("a far-future month", _row("memberships.csv", "CLUB,CCC,member,9999-12-01,month,,,,src2,"),
     ["memberships.csv, row 10, column start_date: start_date 9999-12-01 is after the package's cut-off date "
      f"{TINY_CUTOFF} [rule: date-scope]"]),
    ("a spell starting after the cut-off", _row("memberships.csv", "CLUB,CCC,member,2027-01-01,day,,,,src2,"),
     ["memberships.csv, row 10, column start_date: start_date 2027-01-01 is after the package's cut-off date "
      f"{TINY_CUTOFF} [rule: date-scope]"]),
    ("an event after the date the chronology is complete to",
     _row("events.csv", "2026-03-01-late,2026-03-01,day,Late,statement,after_2022,,Late.,,,src1,"),
     [f"events.csv, row 4, column date: date 2026-03-01 is after the package's chronology-complete date {TINY_CUTOFF} "
      "[rule: date-scope]"]),
    ("an event before the chronology begins",
     _row("events.csv", "1990-03-01-early,1990-03-01,day,Early,statement,origins,,Early.,,,src1,"),
     ["events.csv, row 4, column date: date 1990-03-01 is before 1991-01-01, where the table's coverage begins "
      "[rule: date-scope]"]),
    ("a status change with no spell after it",
     _bytes("memberships.csv", lambda b: b.replace(b"CSTO,AAA,participation_frozen,2024-02-01", b"CSTO,AAA,participation_frozen,2024-03-01")),
     ["memberships.csv, row 6, column end_reason: the spell ends with end_reason status_change on 2024-02-01, but no "
      "spell for (CSTO, AAA) starts that day [rule: continued-if]"]),
    ("a figure no longer in its event's summary",
     _bytes("figures.csv", lambda b: b.replace(b",1200,", b",1300,")),
     ["figures.csv, row 2, column value: value 1,300 does not appear in the summary of events '2010-06-12-request' "
      "[rule: stated-in]"]),
    ("a figure's source that its event does not cite",
     _bytes("figures.csv", lambda b: b.replace(b",Aland's government,src2,", b",Aland's government,src2;nolocator,")),
     ["figures.csv, row 2, column source_ids: the source 'nolocator' has neither a url nor pages in references.bib "
      "[rule: locator]",
      "figures.csv, row 2, column source_ids: 'nolocator' is not among the source_ids of events "
      "'2010-06-12-request' [rule: subset-of]"]),
    ("an event whose id no longer matches its date",
     _bytes("events.csv", lambda b: b.replace(b"1992-05-15,day", b"1992-05-16,day")),
     ["events.csv, row 2, column event_id: event_id '1992-05-15-signed' does not begin with its date 1992-05-16 "
      "[rule: id-date-prefix]"]),
    ("full-width digits", _bytes("states.csv", lambda b: b.replace(b"901", "０８".encode())),
     [f"states.csv, row 2, column cow_code: '０８' {INT_RULE}"]),
    ("Arabic-Indic digits", _bytes("states.csv", lambda b: b.replace(b"901", "٧٣".encode())),
     [f"states.csv, row 2, column cow_code: '٧٣' {INT_RULE}"]),
    ("a plus sign", _bytes("states.csv", lambda b: b.replace(b"901", b"+93")),
     [f"states.csv, row 2, column cow_code: '+93' {INT_RULE}"]),
    ("a leading zero", _bytes("states.csv", lambda b: b.replace(b"901", b"0150")),
     [f"states.csv, row 2, column cow_code: '0150' {INT_RULE}"]),
    ("a NUL in a summary", _bytes("events.csv", lambda b: b.replace(b"Two states sign.", b"Two\x00 states sign.")),
     ["events.csv, row 2, column summary: a control character (NUL) at position 4: 'Two\\u0000 states si…' "
      "[rule: text]"]),
    ("a NUL in a bib title", _bytes("references.bib", lambda b: b.replace(b"A source", b"A\x00source")),
     ["references.bib, line 2: entry 'src1', field title: a control character (NUL) at column 23: "
      "'…title = {A\\u0000source}, u…' [rule: text]", SKIP_BIB]),
    ("a NUL in a bib key", _bytes("references.bib", lambda b: b.replace(b"@misc{src2,", b"@misc{src2\x00,")),
     ["references.bib, line 3: entry 'src2': a control character (NUL) at column 11: '@misc{src2\\u0000, title = …' "
      "[rule: text]", SKIP_BIB]),
    ("an empty url", _bytes("references.bib", lambda b: b.replace(b"https://example.org/1", b"")),
     None),
    ("an agency as co-author", _bytes("references.bib", lambda b: b.replace(b"@misc{src1, title", b"@misc{src1, author = {Roe, Jo and {TASS}}, title")),
     ["references.bib, line 2: entry 'src1': the author list names the organisation 'TASS' beside persons; an agency "
      "or outlet that published a signed piece goes in howpublished, not author [rule: author]"]),
    ("a note in an agency's name", _bytes("references.bib", lambda b: b.replace(b"@misc{src1, title", b"@misc{src1, author = {{Kazinform (citing BelTA)}}, title")),
     ["references.bib, line 2: entry 'src1': the author 'Kazinform (citing BelTA)' carries a note on where the piece "
      "came from; the author is the organisation alone, and the note goes in howpublished [rule: author]"]),
    ("a script address as a url", _bytes("references.bib", lambda b: b.replace(b"https://example.org/1", b"javascript:alert(1)")),
     ["references.bib, line 2: entry 'src1': the url 'javascript:alert(1)' is not an http(s) address [rule: url]"]),
    ("an outline that is not JSON", _row("boundaries.csv", 'CCC,Cedria,"{""type"":""Polygon"",",src1'),
     ["boundaries.csv, row 5, column geometry: not valid JSON (Expecting property name enclosed in double quotes) "
      "at character 18 [rule: type geojson]"]),
    ("an outline that is a point", _row("boundaries.csv", 'CCC,Cedria,"{""type"":""Point"",""coordinates"":[1,2]}",src1'),
     ["boundaries.csv, row 5, column geometry: not a GeoJSON Polygon or MultiPolygon (an object with only a type "
      "and coordinates) [rule: type geojson]"]),
    ("an outline off the globe",
     _row("boundaries.csv", 'CCC,Cedria,"{""type"":""Polygon"",""coordinates"":[[[0,0],[1,0],[1,95],[0,0]]]}",src1'),
     ["boundaries.csv, row 5, column geometry: polygon 1, ring 1: [1, 95] is outside longitude -180..180 or "
      "latitude -90..90 [rule: type geojson]"]),
    ("an outline with spaces",
     _row("boundaries.csv", 'CCC,Cedria,"{""type"": ""Polygon"",""coordinates"":[[[0,0],[1,0],[1,1],[0,0]]]}",src1'),
     ["boundaries.csv, row 5, column geometry: is not written in compact JSON (no spaces, numbers as JSON writes "
      "them, e.g. 40.1 not 40.10) [rule: type geojson]"]),
    ("an outline not written compact",
     _row("boundaries.csv", 'CCC,Cedria,"{""type"":""Polygon"",""coordinates"":[[[0,0],[1,0],[1,1.50],[0,0]]]}",src1'),
     ["boundaries.csv, row 5, column geometry: is not written in compact JSON (no spaces, numbers as JSON writes "
      "them, e.g. 40.1 not 40.10) [rule: type geojson]"]),
    ("an outline not closed",
     _row("boundaries.csv", 'CCC,Cedria,"{""type"":""Polygon"",""coordinates"":[[[0,0],[1,0],[1,1],[0,1]]]}",src1'),
     ["boundaries.csv, row 5, column geometry: polygon 1, ring 1 is not closed (its first and last positions "
      "differ) [rule: type geojson]"]),
]


def _run(tmp_path: Path, mutate: Callable[[Path], None]) -> list[str]:
    folder = write_package(tmp_path / "data")
    mutate(folder)
    return [str(p).replace(f"{folder}/", "") for p in check_package(folder, folder / "references.bib").problems]


@pytest.mark.parametrize(("case", "mutate", "expected"), CASES, ids=[c[0] for c in CASES])
def test_each_fault_class_has_its_message(tmp_path: Path, case: str, mutate: Callable[[Path], None],
                                          expected: list[str] | None) -> None:
    problems = _run(tmp_path, mutate)
    if expected is not None:
        assert problems == expected
        return
    assert problems, f"{case}: accepted"
    if case.startswith("descriptor"):
        assert problems[-1] == SKIP_DESCRIPTOR and len(problems) == 2
        assert problems[0].startswith("datapackage.json, line ")
        assert "[rule: json]" in problems[0] or "[rule: encoding]" in problems[0]
    else:  # an empty url: one line on the entry, then each row citing it
        assert problems[0] == ("references.bib, line 2: entry 'src1': the url is empty, so it is no locator "
                               "(give the address or remove the field) [rule: url]")
        assert all("[rule: locator]" in p for p in problems[1:])


def test_crlf_line_endings_are_accepted_everywhere(tmp_path: Path) -> None:
    folder = write_package(tmp_path / "data")
    for path in folder.iterdir():
        path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    assert check_package(folder, folder / "references.bib").problems == []


def test_a_cell_longer_than_the_csv_default_limit_is_read_whole(tmp_path: Path) -> None:
    long = "x" * 140_000
    folder = write_package(tmp_path / "data")
    _bytes("events.csv", lambda b: b.replace(b"Two states sign.", long.encode()))(folder)
    pkg = check_package(folder, folder / "references.bib")
    assert pkg.problems == []
    assert pkg.tables["events"].rows[0]["summary"] == long


def test_the_command_line_prints_messages_not_tracebacks(tmp_path: Path) -> None:
    for name, mutate in [("json", CASES[1][1]), ("bib", CASES[22][1]), ("csv", CASES[18][1])]:
        folder = write_package(tmp_path / name)
        mutate(folder)
        run = subprocess.run([sys.executable, "-m", "helpers", "validate", "--data", str(folder),
                              "--bib", str(folder / "references.bib")], capture_output=True, text=True)
        assert run.returncode == 1
        assert "Traceback" not in run.stderr and "[rule: " in run.stderr


# --- Hostile text --------------------------------------------------------------------------

HOSTILE = {
    "script tag": '<script>alert("x")</script>',
    "event handler": '<img src=x onerror="alert(2)">',
    "javascript link": "[click](javascript:alert(1))",
    "raw directive": "```{raw} html\n<b>x</b>\n```",
    "role": "{raw}`<b>x</b>`",
    "latex command": r"\textbf{bold}\input{/etc/passwd}",
    "NUL": "nul\x00here",
}


def _text_fields() -> list[tuple[str, str]]:
    from helpers.paths import REPO_ROOT

    data = json.loads((REPO_ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    return [(r["path"], f["name"]) for r in data["resources"] for f in r["schema"]["fields"]
            if f.get("csto:text") == "plain"]


def _set_cell(folder: Path, table: str, column: str, value: str) -> None:
    rows = list(csv.reader(io.StringIO((folder / table).read_text(encoding="utf-8"), newline="")))
    rows[1][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    (folder / table).write_text(out.getvalue(), encoding="utf-8")


def test_every_free_text_field_has_a_text_policy() -> None:
    assert len(_text_fields()) >= 30


@pytest.mark.parametrize("payload", list(HOSTILE), ids=list(HOSTILE))
def test_hostile_text_is_rejected_in_every_free_text_field(tmp_path: Path, payload: str) -> None:
    for table, column in _text_fields():
        folder = write_package(tmp_path / f"{table}-{column}")
        _set_cell(folder, table, column, HOSTILE[payload])
        problems = [str(p) for p in check_package(folder, folder / "references.bib").problems]
        prefix = f"{folder}/{table}, row 2, column {column}: "
        assert any(p.startswith(prefix) and p.endswith("[rule: text]") for p in problems), (table, column, problems)


def test_a_descriptor_without_the_inclusion_rule_is_refused_in_words(tmp_path: Path) -> None:
    folder = write_package(tmp_path / "data")
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    del descriptor["csto:inclusion_rule"]
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    found = [str(p) for p in check_package(folder, folder / "references.bib").problems]
    assert any("csto:inclusion_rule: the rule by which a crisis enters the crises table is required" in p
               for p in found), found
