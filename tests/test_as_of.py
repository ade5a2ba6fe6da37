"""A true as-of view: every chapter's numbers at the first of January of every year the data cover.

At each such cut-off the test writes a second data package holding only what had happened by that
day, by rules written here afresh from the codebook's words (``helpers.as_of_rules``) rather than
taken from the loader, and checks that every chapter's facts read from the real package at that
cut-off equal the facts read from the cut package at its own cut-off: no row dated after the cut-off
(or whose parent is) contributes to any number, and nothing reads around the as-of view. Counts of
what had happened can only grow as the day moves on.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from helpers.facts import CHAPTER_FACTS
from helpers.load import data_cutoff, data_first_date
from helpers.paths import DATA_ENV, REPO_ROOT

DATA = REPO_ROOT / "data"

#: Facts that count what had happened by the cut-off: they never fall as it moves on.
GROWING = {
    "intro": ["i_n_crises", "i_n_requests", "i_n_resolutions", "i_csto_max"],
    "origins": ["n_steps", "n_steps_treaties", "n_steps_to_charter", "n_steps_after_charter",
                "n_protocol_ratifiers", "csto_max_members"],
    "capabilities": ["n_forces", "n_sizes", "n_bases", "n_personnel", "n_csto_exercises", "n_csto_held"],
    "failures": ["n_crises", "n_requests", "n_deployments", "n_missions", "n_consultations", "n_statements",
                 "n_nothing", "n_requests_article4", "n_requests_armenia", "n_interstate_members",
                 "n_requests_deployed"],
    "kazakhstan-2022": ["n_timeline_events", "n_contributors"],
    "sco-overlap": [],
    "after-2022": ["n_resolutions", "n_votes", "n_after_events", "n_armenia_steps", "n_war_resolutions"],
    "conclusion": ["c_n_crises", "c_n_requests", "c_n_resolutions", "c_n_ratifiers"],
}


def _read(name: str) -> tuple[list[str], list[dict[str, str]]]:
    with (DATA / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def _write(folder: Path, name: str, fields: list[str], rows: list[dict[str, str]]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (folder / f"{name}.csv").write_text(out.getvalue(), encoding="utf-8")


def _later(value: str, day: str) -> bool:
    return bool(value) and value > day  # ISO dates compare as text


def cut_package(folder: Path, day: str) -> Path:
    """The data package as it stood on ``day``: rows dated later left out, later steps undone."""
    folder.mkdir(parents=True)
    for path in DATA.glob("*.csv"):
        shutil.copy(path, folder / path.name)
    tables = {name: _read(name) for name in ("organizations", "memberships", "events", "crises",
                                             "contingents", "resolutions", "un_votes", "figures",
                                             "first_coding", "second_coding", "coding_decisions",
                                             "crisis_exclusions", "exercises", "security_functions",
                                             "forces", "force_sizes", "bases", "base_personnel")}

    def blank(row: dict[str, str], field: str, *describing: str) -> None:
        if _later(row[field], day):
            for name in (field, *describing):
                row[name] = ""

    fields, rows = tables["organizations"]
    rows = [r for r in rows if r["founding_date"] <= day]
    for row in rows:
        blank(row, "in_force_date")
        blank(row, "end_date", "successor")
    _write(folder, "organizations", fields, rows)

    fields, rows = tables["memberships"]
    rows = [r for r in rows if r["start_date"] and r["start_date"] <= day]
    for row in rows:
        blank(row, "end_date", "end_precision", "end_reason")
    _write(folder, "memberships", fields, rows)

    fields, rows = tables["crises"]
    rows = [r for r in rows if r["start_date"] and r["start_date"] <= day]
    for row in rows:
        blank(row, "end_date", "end_precision")
        if _later(row["request_date"], day):  # a request after the day is not a request yet
            row.update(request_date="", request_to="none", requesting_state="", request_basis="",
                       treaty_article="")
    crises = {r["crisis_id"] for r in rows}
    not_yet = {r["crisis_id"] for r in rows if r["request_to"] == "none"}  # no request (yet) on the day
    _write(folder, "crises", fields, rows)
    for name in ("first_coding", "second_coding"):  # the codings read the record as of the day too
        fields, rows = tables[name]
        rows = [r for r in rows if r["crisis_id"] in crises]
        for row in rows:
            if row["crisis_id"] in not_yet:
                row.update(request_to="none", treaty_article="")
        _write(folder, name, fields, rows)
    fields, rows = tables["crisis_exclusions"]
    _write(folder, "crisis_exclusions", fields, [r for r in rows if r["start_date"] <= day])
    for name in ("exercises", "security_functions"):
        fields, rows = tables[name]
        rows = [r for r in rows if r["start_date"] <= day]
        for row in rows:
            blank(row, "end_date", "end_precision")
        _write(folder, name, fields, rows)
    fields, rows = tables["coding_decisions"]
    _write(folder, "coding_decisions", fields,
           [r for r in rows if r["crisis_id"] in crises
            and not (r["crisis_id"] in not_yet and r["field"] in ("request_to", "treaty_article"))])

    fields, rows = tables["events"]
    rows = [r for r in rows if r["date"] and r["date"] <= day]
    events = {r["event_id"] for r in rows}
    for row in rows:
        assert not row["crisis_id"] or row["crisis_id"] in crises, f"{row['event_id']} precedes its crisis"
    _write(folder, "events", fields, rows)

    fields, rows = tables["contingents"]
    rows = [r for r in rows if (r["arrival_date"] or r["departure_date"]) and
            (r["arrival_date"] or r["departure_date"]) <= day]
    for row in rows:
        blank(row, "departure_date")
    _write(folder, "contingents", fields, rows)

    fields, rows = tables["resolutions"]
    rows = [r for r in rows if r["date"] <= day]
    resolutions = {r["resolution_id"] for r in rows}
    _write(folder, "resolutions", fields, rows)
    fields, rows = tables["un_votes"]
    _write(folder, "un_votes", fields, [r for r in rows if r["resolution_id"] in resolutions])

    fields, rows = tables["figures"]
    _write(folder, "figures", fields, [r for r in rows if r["as_of"] <= day and r["event_id"] in events])

    fields, rows = tables["forces"]
    rows = [r for r in rows if r["agreed_date"] <= day]
    forces = {r["force_id"] for r in rows}
    _write(folder, "forces", fields, rows)
    fields, rows = tables["force_sizes"]
    _write(folder, "force_sizes", fields, [r for r in rows if r["as_of"] <= day and r["force_id"] in forces])
    fields, rows = tables["bases"]
    rows = [r for r in rows if r["first_agreement"] <= day]
    for row in rows:  # a later agreement's term is not the term yet
        blank(row, "agreement_date", "agreement_precision", "term_end")
    bases = {r["base_id"] for r in rows}
    _write(folder, "bases", fields, rows)
    fields, rows = tables["base_personnel"]
    _write(folder, "base_personnel", fields, [r for r in rows if r["as_of"] <= day and r["base_id"] in bases])

    descriptor = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["csto:cutoff"] = day
    descriptor["csto:chronology_complete_to"] = min(day, descriptor["csto:chronology_complete_to"])
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=2, ensure_ascii=False),
                                             encoding="utf-8")
    return folder


def _years() -> list[str]:
    return [f"{year}-01-01" for year in range(max(1992, data_first_date().year + 1), data_cutoff().year + 1)]


def test_every_chapters_facts_at_every_first_of_january_read_only_what_had_happened(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    years = _years()
    assert years[0] == "1992-01-01" and len(years) >= 30
    history: dict[str, list[dict]] = {chapter: [] for chapter in CHAPTER_FACTS}
    for day in years:
        monkeypatch.delenv(DATA_ENV, raising=False)
        real = {chapter: facts(day) for chapter, facts in CHAPTER_FACTS.items()}
        monkeypatch.setenv(DATA_ENV, str(cut_package(tmp_path / day, day)))
        cut = {chapter: facts(None) for chapter, facts in CHAPTER_FACTS.items()}
        for chapter in CHAPTER_FACTS:
            differ = {k: (real[chapter][k], cut[chapter].get(k)) for k in real[chapter]
                      if real[chapter][k] != cut[chapter].get(k)}
            assert not differ, f"{chapter} at {day}: later rows reach these numbers: {differ}"
            history[chapter].append(real[chapter])
    for chapter, names in GROWING.items():
        for name in names:
            values = [h[name] for h in history[chapter] if isinstance(h.get(name), int)]
            assert values == sorted(values), f"{chapter}: {name} falls as the cut-off moves on: {values}"
