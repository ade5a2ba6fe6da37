"""Unit tests of the loader and the membership queries, on the tiny package."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import helpers
from helpers import load_table, member_counts, members_on, spells


def test_load_table_types(tiny: Path) -> None:
    m = load_table("memberships")
    assert str(m["start_date"].dtype) == "datetime64[ns]"
    assert m["end_date"].isna().sum() == 3
    assert isinstance(m["status"].dtype, pd.CategoricalDtype)
    assert list(m["status"].cat.categories)[:2] == ["signatory", "member"]
    assert m.loc[5, "source_ids"] == ("src1", "src2")
    s = load_table("states")
    assert str(s["cow_code"].dtype) == "Int64"
    assert len(m) == 8  # nothing dropped


def test_unknown_table(tiny: Path) -> None:
    with pytest.raises(KeyError, match="no table 'nope'"):
        load_table("nope")


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("1992-05-14", {}),
        ("1992-05-15", {"AAA": "signatory"}),
        ("1994-04-20", {"AAA": "member", "BBB": "member"}),
        ("1999-04-19", {"AAA": "member", "BBB": "member"}),
        ("1999-04-20", {"AAA": "member"}),
        ("2003-09-18", {}),  # the old grouping ended that day (end excluded)
    ],
)
def test_members_on_old(tiny: Path, date: str, expected: dict[str, str]) -> None:
    got = members_on("CST", date)
    assert dict(zip(got["iso3"], got["status"].astype(str))) == expected


def test_members_on_frozen_counts_as_legal_member(tiny: Path) -> None:
    got = members_on("CSTO", "2025-01-01")
    row = got.set_index("iso3").loc["AAA"]
    assert row["status"] == "participation_frozen"
    assert bool(row["legal_member"]) is True
    legal = members_on("CSTO", "2025-01-01", legal_members_only=True)
    assert list(legal["iso3"]) == ["AAA"]  # the observer is left out


def test_members_on_flags_coarse_dates(tiny: Path) -> None:
    got = members_on("CSTO", "2024-02-15").set_index("iso3")
    assert bool(got.loc["AAA", "date_uncertain"]) is True  # month precision
    assert bool(got.loc["CCC", "date_uncertain"]) is False
    got = members_on("CSTO", "2010-06-30").set_index("iso3")
    assert bool(got.loc["CCC", "date_uncertain"]) is True  # year precision
    assert members_on("CLUB", "2002-01-01")["date_uncertain"].tolist() == [False]


def test_members_on_empty_and_bad_input(tiny: Path) -> None:
    assert members_on("CSTO", "1990-01-01").empty
    with pytest.raises(KeyError, match="unknown organization 'XYZ'"):
        members_on("XYZ", "2000-01-01")
    with pytest.raises(ValueError):
        members_on("CSTO", "not a date")


def test_spells_tidy(tiny: Path) -> None:
    s = spells("CSTO")
    assert list(s["state"]) == ["Aland", "Aland", "Cedria", "Aland"]
    assert s["legal_member"].tolist() == [False, True, False, True]
    assert len(spells()) == 8


def test_member_counts_step_series(tiny: Path) -> None:
    c = member_counts("CST")
    assert c["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "1992-05-15", "1994-04-20", "1999-04-20", "2003-09-18",
    ]
    assert c["count"].tolist() == [0, 2, 1, 0]
    c = member_counts("CSTO", until="2025-07-01")
    assert c["count"].tolist()[-1] == 1
    assert c["date"].iloc[-1] == pd.Timestamp("2025-07-01")


def test_codebook_and_rules_come_from_the_descriptor(tiny: Path) -> None:
    from helpers import codebook, table_rules

    outline = codebook("boundaries").set_index("field").loc["geometry"]
    assert (outline["type"], outline["required"]) == ("geojson", "yes")
    assert outline["constraints"].startswith("a GeoJSON Polygon or MultiPolygon")
    book = codebook("memberships")
    assert list(book.columns) == ["field", "type", "required", "description", "constraints"]
    assert book.loc[book["field"] == "status", "required"].item() == "yes"
    rules = table_rules("memberships")
    assert "Primary key: `org_id`, `iso3`, `start_date`." in rules
    assert "Foreign key: `org_id` refers to `organizations.org_id`." in rules
    assert "Foreign key: `successor` refers to `organizations.org_id`." in table_rules("organizations")
    assert any(r.startswith("Rule no\\-overlap: spells with the same org\\_id") for r in rules)


def test_book_table_markdown_has_caption_label_and_widths() -> None:
    import pandas as pd

    from helpers import show_table

    t = show_table(pd.DataFrame({"a": ["x|y", None], "long": ["w " * 50, "v"]}), "Cap.", "tab-x", ["n1"])
    md = t._repr_markdown_()
    assert md.startswith(":::{table} Cap.\n:name: tab-x\n:widths: 7 83\n:class: longtable\n")
    assert "| x\\|y | " in md and md.rstrip().endswith("- n1")
    assert "<li>n1</li>" in t._repr_html_()


def test_member_counts_across_a_successor(tiny: Path) -> None:
    c = member_counts(["CST", "CSTO"])
    got = dict(zip(c["date"].dt.strftime("%Y-%m-%d"), c["count"]))
    # The old treaty's two members, then one after 1999; the successor's signatory
    # months do not count, and the handover in 2003 leaves no gap.
    assert got["1994-04-20"] == 2 and got["1999-04-20"] == 1
    assert got["2002-10-07"] == 1 and got["2003-09-18"] == 1
    # With signatories: AAA's signature counts before 1994; a member signing the
    # successor's charter is still one state.
    signed = dict(zip(c["date"].dt.strftime("%Y-%m-%d"), member_counts(["CST", "CSTO"], signed=True)["count"]))
    assert signed["1992-05-15"] == 1 and got["1992-05-15"] == 0
    assert signed["2002-10-07"] == 1


def test_member_and_signatory_counts_on_a_date(tiny: Path) -> None:
    from helpers import legal_member_count, signatory_count

    assert signatory_count("CST", "1992-05-15") == 1          # AAA signed; not yet in force
    assert legal_member_count("CST", "1992-05-15") == 0
    assert legal_member_count("CST", "1994-04-20") == 2       # AAA and BBB, in force that day
    assert legal_member_count("CSTO", "2010-01-01") == 1      # CCC is only an observer
    assert legal_member_count("CSTO", "2025-01-01") == 1      # frozen participation is still membership


def test_decimal_text_rounds_halves_up() -> None:
    from helpers import decimal_text

    assert decimal_text(0.625) == "0.63" and decimal_text(0.5) == "0.50" and decimal_text(2 / 3) == "0.67"
    assert decimal_text(0.125, places=1) == "0.1" and decimal_text(0.25, places=1) == "0.3"


def test_state_status_on_a_date(tiny: Path) -> None:
    from helpers import state_status

    frozen = state_status("CSTO", "AAA", "2025-01-01")
    assert frozen["status"] == "participation_frozen" and bool(frozen["legal_member"])
    assert str(frozen["start_date"].date()) == "2024-02-01"
    with pytest.raises(KeyError, match="BBB held no status in CSTO on 2025-01-01"):
        state_status("CSTO", "BBB", "2025-01-01")


def test_members_of_both(tmp_path, monkeypatch) -> None:
    from conftest import TINY, write_package

    folder = write_package(tmp_path / "data", {"memberships.csv": TINY["memberships.csv"]
                                               + "CLUB,AAA,member,2005-01-01,day,,,,src2,\n"})
    monkeypatch.setenv("CSTO_BOOK_DATA", str(folder))
    monkeypatch.setenv("CSTO_BOOK_BIB", str(folder / "references.bib"))
    both = helpers.members_of_both("CSTO", "CLUB", "2010-01-01")
    assert both.to_dict("records") == [{"state": "Aland", "iso3": "AAA", "in CSTO": "member", "in CLUB": "member"}]
    later = helpers.members_of_both("CSTO", "CLUB", "2025-01-01")
    assert later["in CSTO"].tolist() == ["participation frozen"]  # still a legal member
    assert helpers.members_of_both("CSTO", "CLUB", "2004-01-01").empty  # Aland joins the Club in 2005
    assert helpers.members_of_both("CSTO", "CLUB", "2012-01-01", legal_members_only=False)["state"].tolist() \
        == ["Aland"]  # Cedria observes the CSTO but is not in the Club


def test_a_loaded_table_is_the_callers_own_copy(tiny: Path) -> None:
    first = load_table("states")
    first.loc[0, "name"] = "Changed"
    first["extra"] = 1
    again = load_table("states")
    assert again.loc[0, "name"] == "Aland" and "extra" not in again.columns
