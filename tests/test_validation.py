"""Bad input: each fault is reported with file, row, column and rule; nothing is dropped."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import TINY, write_package
from helpers import DataValidationError, load_table, validate_package

HEADER = TINY["memberships.csv"].splitlines()[0]
GOOD = "CSTO,CCC,observer,2010-01-01,year,,,,src2,"


def _with_row(folder: Path, row: str, table: str = "memberships.csv") -> Path:
    text = TINY[table].rstrip("\n") + "\n" + row + "\n"
    return write_package(folder, {table: text})


def _problems(folder: Path) -> list[str]:
    return [str(p) for p in validate_package(folder, folder / "references.bib")]


def test_tiny_package_is_valid(tiny: Path) -> None:
    assert _problems(tiny) == []


# Each case: (table, the bad row appended, the expected message fragment).
# The appended row is row 10 of memberships.csv (header = row 1) and row 5 of the others.
CASES = [
    ("bad date", "memberships.csv", "CSTO,BBB,member,2010-02-30,day,,,,src1,",
     "row 10, column start_date: '2010-02-30' is not a valid date in the form YYYY-MM-DD [rule: type date]"),
    ("end before start", "memberships.csv", "CLUB,CCC,member,2010-05-01,day,2009-01-01,day,withdrawal,src1,",
     "row 10, column end_date: end_date 2009-01-01 is not after start_date 2010-05-01 [rule: date-order]"),
    ("unknown state", "memberships.csv", "CSTO,ZZZ,member,2010-05-01,day,,,,src1,",
     "row 10, column iso3: 'ZZZ' is not a known iso3 in states [rule: foreign-key]"),
    ("unknown organization", "memberships.csv", "NATO,CCC,member,2010-05-01,day,,,,src1,",
     "row 10, column org_id: 'NATO' is not a known org_id in organizations [rule: foreign-key]"),
    ("unknown source key", "memberships.csv", "CLUB,CCC,member,2010-05-01,day,,,,src1;ghost2020,",
     "row 10, column source_ids: 'ghost2020' is not a key in references.bib [rule: list-reference]"),
    ("source without locator", "memberships.csv", "CLUB,CCC,member,2010-05-01,day,,,,nolocator,",
     "row 10, column source_ids: the source 'nolocator' has neither a url nor pages in references.bib [rule: locator]"),
    ("duplicate key", "memberships.csv", "CSTO,CCC,member,2010-01-01,year,,,,src2,",
     "row 10, column org_id, iso3, start_date: duplicate value (CSTO, CCC, 2010-01-01); first seen in row 8 [rule: primary-key]"),
    ("missing required value", "memberships.csv", "CLUB,CCC,,2010-05-01,day,,,,src1,",
     "row 10, column status: a value is required and the cell is empty [rule: required]"),
    ("status outside the list", "memberships.csv", "CLUB,CCC,friend,2010-05-01,day,,,,src1,",
     "row 10, column status: 'friend' is not one of: signatory, member,"),
    ("overlapping spells", "memberships.csv", "CSTO,CCC,member,2015-01-01,day,,,,src1,",
     "row 10, column start_date: the spell for (CSTO, CCC) overlaps the one in row 8 [rule: no-overlap]"),
    ("end fields apart", "memberships.csv", "CLUB,CCC,member,2010-05-01,day,2011-01-01,day,,src1,",
     "row 10, column end_reason: end_date, end_precision, end_reason are filled together; end_reason empty [rule: together]"),
    ("precision mismatch", "memberships.csv", "CLUB,CCC,member,2010-05-03,month,,,,src1,",
     "row 10, column start_date: start_date 2010-05-03 has month precision, so it must be written as YYYY-MM-01 [rule: precision]"),
    ("before founding", "memberships.csv", "CSTO,CCC,member,1999-01-01,day,2000-01-01,day,withdrawal,src1,",
     "row 10, column start_date: start_date 1999-01-01 is before CSTO was founded (2002-10-07) [rule: within-lifetime]"),
    ("spaces are not stripped", "memberships.csv", "CLUB,CCC,member, 2010-05-01,day,,,,src1,",
     "row 10, column start_date: ' 2010-05-01' has leading or trailing spaces [rule: type date]"),
    ("short row", "memberships.csv", "CLUB,CCC,member",
     "row 10: the row has 3 cells, the header has 10 [rule: row-length]"),
    ("duplicate state", "states.csv", "AAA,Aland again,904,Central Asia,src1",
     "row 5, column iso3: duplicate value (AAA); first seen in row 2 [rule: unique]"),
    ("unknown ISO3 in a list field", "events.csv",
     "2011-01-01-x,2011-01-01,day,X,statement,failures,AAA;XYZ,Text.,,,src1,",
     "row 4, column states: 'XYZ' is not a key in states.iso3 [rule: list-reference]"),
    ("unknown crisis for an event", "events.csv",
     "2011-01-01-x,2011-01-01,day,X,statement,failures,AAA,Text.,nope-2011,,src1,",
     "row 4, column crisis_id: 'nope-2011' is not a known crisis_id in crises [rule: foreign-key]"),
    ("a ratification of an instrument signed at no recorded event", "events.csv",
     "2011-01-01-x,2011-01-01,day,X,vote,institution_building,AAA,Text.,,2011-01-01-nope,src1,",
     "row 4, column ratifies: '2011-01-01-nope' is not a known event_id in events [rule: foreign-key]"),
    ("response outside the ordinal scale", "crises.csv",
     "x-1,X,2013-01-01,day,,,X,AAA,AAA,member_territory,order,domestic_unrest,none,,,,,intervention,,,none,,none_given,none,Why.,,,,src1,",
     "row 4, column csto_response: 'intervention' is not one of: none, statement, consultations, mission, collective_deployment [rule: enum]"),
    ("request without requester", "crises.csv",
     "x-1,X,2013-01-01,day,,,X,AAA,AAA,member_territory,order,domestic_unrest,csto,,2013-01-02,Article 2 of the Collective Security Treaty,,none,,,none,,none_given,none,Why.,,,,src1,",
     "row 4, column requesting_state: requesting_state is required when request_to is not none [rule: required-if]"),
    ("request without basis", "crises.csv",
     "x-1,X,2013-01-01,day,,,X,AAA,AAA,member_territory,order,domestic_unrest,russia,AAA,2013-01-02,,,none,,,none,,none_given,none,Why.,,,,src1,",
     "row 4, column request_basis: request_basis is required when request_to is not none [rule: required-if]"),
    ("requester without request", "crises.csv",
     "x-1,X,2013-01-01,day,,,X,AAA,AAA,member_territory,order,domestic_unrest,none,AAA,,,,none,,,none,,none_given,none,Why.,,,,src1,",
     "row 4, column requesting_state: requesting_state must be empty when request_to is none [rule: required-if]"),
    ("request to the CSTO whose basis names no CSTO body", "crises.csv",
     "x-1,X,2013-01-01,day,,,X,AAA,AAA,member_territory,order,domestic_unrest,csto,AAA,2013-01-02,Article 2 of the 1997 treaty,,none,,,none,,none_given,none,Why.,,,,src1,",
     "row 4, column request_basis: request_basis must name the body asked ('CSTO' or 'Collective Security Treaty' or 'Collective Security Council') when request_to is csto [rule: mentions-if]"),
    ("request to Russia whose basis does not name Russia", "crises.csv",
     "x-1,X,2013-01-01,day,,,X,AAA,AAA,member_territory,order,domestic_unrest,russia,AAA,2013-01-02,Article 4 of the Collective Security Treaty,,none,,,none,,none_given,none,Why.,,,,src1,",
     "row 4, column request_basis: request_basis must name the body asked ('Russia' or 'Russian') when request_to is russia [rule: mentions-if]"),
    ("fatalities high below low", "crises.csv",
     "x-1,X,2013-01-01,day,,,X,AAA,AAA,member_territory,order,domestic_unrest,none,,,,,none,,,none,,none_given,none,Why.,50,40,src1,src1,",
     "row 4, column fatalities_high: fatalities_high 40 is below fatalities_low 50 [rule: range]"),
    ("request addressee outside none/csto/russia", "crises.csv",
     "x-1,X,2013-01-01,day,,,X,AAA,AAA,member_territory,order,domestic_unrest,yes,,,,,none,,,none,,none_given,none,Why.,,,,src1,",
     "row 4, column request_to: 'yes' is not one of: none, csto, russia [rule: enum]"),
    ("contingent from a non-member", "contingents.csv",
     "CCC,10,20,official,,2010-06-15,,src1,",
     "row 3, column iso3: CCC was not a member of CSTO on 2010-06-15"),
    ("vote outside yes/no/abstain/absent", "un_votes.csv", "r-1,CCC,maybe,src1,",
     "row 4, column vote: 'maybe' is not one of: yes, no, abstain, absent [rule: enum]"),
    ("claim resolution differs within a point", "claims.csv",
     "who-signed,Who signed,nolocator,para. 9,Nobody.,contradicted,Another answer.,src2",
     "row 4, column resolution: resolution differs from row 2, which has the same claim_id [rule: same-within-group]"),
    ("claim source not in the bibliography", "claims.csv",
     "who-signed,Who signed,ghost2001,para. 9,Nobody.,contradicted,Both signed.,src2",
     "row 4, column source_id: 'ghost2001' is not a key in references.bib [rule: list-reference]"),
    ("non-integer code", "states.csv", "DDD,Dorn,9x,Central Asia,src1",
     "row 5, column cow_code: '9x' is not an integer (ASCII digits 0-9, an optional '-', no leading zeros) [rule: type integer]"),
    ("bad iso3", "states.csv", "dd1,Dorn,905,Central Asia,src1",
     "row 5, column iso3: 'dd1' does not match the pattern [A-Z]{3} [rule: pattern]"),
    ("unknown successor", "organizations.csv", "X,X Org,XO,state_union,2000-01-01,day,,,NOPE,src1,",
     "row 5, column successor: 'NOPE' is not a known org_id in organizations [rule: foreign-key]"),
]


@pytest.mark.parametrize(("case", "table", "row", "expected"), CASES, ids=[c[0] for c in CASES])
def test_fault_is_reported(tmp_path: Path, case: str, table: str, row: str, expected: str) -> None:
    folder = _with_row(tmp_path / "data", row, table)
    problems = _problems(folder)
    hits = [p for p in problems if expected in p]
    assert hits, f"{case}: expected '{expected}' in {problems}"
    assert all(p.startswith(str(folder / table)) or table in p for p in hits)


def test_loader_raises_with_every_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = TINY["memberships.csv"] + "CSTO,ZZZ,member,2010-02-30,day,,,,ghost,\n"
    folder = write_package(tmp_path / "data", {"memberships.csv": text})
    monkeypatch.setenv("CSTO_BOOK_DATA", str(folder))
    monkeypatch.setenv("CSTO_BOOK_BIB", str(folder / "references.bib"))
    with pytest.raises(DataValidationError) as err:
        load_table("states")  # any table: the package is checked whole
    message = str(err.value)
    # Three faults, and one line saying that the checks reading the spells were skipped
    # (they would read the spell whose date is unreadable).
    assert "4 problem(s)" in message
    assert "memberships.csv: the checks in contingents, memberships that refer to it were skipped" in message
    for fragment in ("column start_date", "column iso3", "column source_ids"):
        assert f"memberships.csv, row 10, {fragment}" in message


def test_header_mismatch(tmp_path: Path) -> None:
    bad = TINY["states.csv"].replace("cow_code", "cow")
    folder = write_package(tmp_path / "data", {"states.csv": bad})
    assert any("row 1: the header is" in p and "[rule: header]" in p for p in _problems(folder))


def test_cli_reports_and_fails(tmp_path: Path) -> None:
    folder = _with_row(tmp_path / "data", "CSTO,ZZZ,member,2010-05-01,day,,,,src1,")
    args = [sys.executable, "-m", "helpers", "validate", "--data", str(folder),
            "--bib", str(folder / "references.bib")]
    run = subprocess.run(args, capture_output=True, text=True)
    assert run.returncode == 1
    assert "memberships.csv, row 10, column iso3: 'ZZZ' is not a known iso3" in run.stderr


def test_cli_ok(tiny: Path) -> None:
    args = [sys.executable, "-m", "helpers", "validate", "--data", str(tiny),
            "--bib", str(tiny / "references.bib")]
    run = subprocess.run(args, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("ok: 21 tables, 42 rows")


def test_an_end_known_to_the_month_may_share_the_start_month(tmp_path: Path) -> None:
    ok = "x-1,X,2008-08-07,day,2008-08-01,month,X,AAA,AAA,member_territory,order,domestic_unrest,none,,,,,none,,,none,,none_given,none,Why.,,,,src1,"
    folder = _with_row(tmp_path / "ok", ok, "crises.csv")
    assert _problems(folder) == []
    bad = ok.replace("2008-08-01,month", "2008-07-01,month")
    folder = _with_row(tmp_path / "bad", bad, "crises.csv")
    assert any("end_date 2008-07-01 is not on or after start_date 2008-08-07 [rule: date-order]" in p
               for p in _problems(folder))


def test_a_treaty_article_must_be_the_one_the_basis_states(tmp_path: Path) -> None:
    bad = TINY["crises.csv"].replace("Article 4 of the Collective Security Treaty,4,", "Article 4 of the Collective Security Treaty,2,")
    recoded = TINY["first_coding.csv"].replace("csto,4,", "csto,2,")
    folder = write_package(tmp_path / "data", {"crises.csv": bad, "first_coding.csv": recoded,
                                               "second_coding.csv": TINY["second_coding.csv"].replace("csto,4,", "csto,2,")})
    assert _problems(folder) == [
        f"{folder}/crises.csv, row 2, column request_basis: request_basis must name the article ('Article 2 of the "
        "Collective Security Treaty') when treaty_article is 2 [rule: mentions-if]"
    ]


def test_every_code_of_a_crisis_is_agreed_or_decided(tmp_path: Path) -> None:
    """The rule 'reconciled': a code both coders gave, or one decided with its reason, and nothing else."""
    ok = write_package(tmp_path / "ok")
    assert _problems(ok) == []
    undecided = write_package(tmp_path / "undecided", {"coding_decisions.csv": TINY["coding_decisions.csv"].splitlines()[0]
                                                       + "\n" + TINY["coding_decisions.csv"].splitlines()[2] + "\n"})
    assert _problems(undecided) == [
        f"{undecided}/crises.csv, row 3, column csto_response: the two codings differ on csto_response ('none' in "
        "first_coding, 'statement' in second_coding) and coding_decisions records no decision [rule: reconciled]"]
    departed = write_package(tmp_path / "departed", {"crises.csv": TINY["crises.csv"].replace(
        "AAA,member_territory,violence;alliance,ethnic_violence", "AAA,member_territory,violence;alliance,domestic_unrest")})
    assert _problems(departed) == [
        f"{departed}/crises.csv, row 2, column crisis_type: crisis_type is 'domestic_unrest', but both codings say "
        "'ethnic_violence' and coding_decisions records no decision [rule: reconciled]"]
    overruled = write_package(tmp_path / "overruled", {"coding_decisions.csv": TINY["coding_decisions.csv"].replace(
        "ccc-2012,csto_response,none,", "ccc-2012,csto_response,statement,")})
    assert _problems(overruled) == [
        f"{overruled}/crises.csv, row 3, column csto_response: csto_response is 'none', but coding_decisions records "
        "the decision 'statement' [rule: reconciled]"]


def test_the_descriptors_shape_is_a_valid_json_schema_and_the_real_descriptor_fits_it() -> None:
    """The shape ``helpers.package_schema`` checks first is a JSON Schema (draft 2020-12) that the
    real descriptor meets; every subschema that can fail says what to tell the reader."""
    import json

    from jsonschema import Draft202012Validator

    from helpers.package_schema import SHAPE, shape_faults
    from helpers.paths import REPO_ROOT

    Draft202012Validator.check_schema(SHAPE)
    real = json.loads((REPO_ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert shape_faults(real, "datapackage.json") == []
    assert [str(p) for p in shape_faults({"resources": [{"name": "x"}]}, "d")] == [
        "d: csto:cutoff: the package's cut-off date is required, in the form YYYY-MM-DD (found None) [rule: descriptor]",
        "d: csto:inclusion_rule: the rule by which a crisis enters the crises table is required, in words "
        "[rule: descriptor]",
        "d: resources[0].path: None is not a CSV file name in the data folder [rule: descriptor]",
        "d: resources[0].schema: must be an object with a non-empty list of fields [rule: descriptor]"]
