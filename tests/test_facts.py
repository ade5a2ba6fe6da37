"""The chapters' facts functions and the as-of view, on the tiny package with values worked out by hand.

The tiny package (tests/conftest.py): Aland (AAA) signed the old treaty in 1992, was a member from
1994 and of the new organization from 2003, its participation frozen from February 2024; Bokonia
(BBB) was a member from 1994 until it did not renew in 1999; Cedria (CCC) is an observer from
2010. One crisis in 2010 with a request to the organization under Article 4 (consultations), one
in 2012 without a request (no response). One contingent (Aland, 100–150, 15–20 June 2010).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

import helpers
from conftest import TINY, TINY_CUTOFF, write_package
from helpers import chapter_tables, facts
from helpers.formatting import ABSENT, long_date

# The SCO chapter needs its seven organizations: the tiny package plus these rows.
SCO_ORGS = """SCO,Shanghai Club,SC,regional_cooperation,2001-06-15,day,,,,src1,
CIS,Commonwealth,CW,regional_cooperation,1991-12-08,day,,,,src1,
EAEU,Union of Trade,UT,economic_union,2014-05-29,day,2015-01-01,,,src1,
UNION_STATE,Union State,US,state_union,1999-12-08,day,,,,src1,
GUAM,Four,GU,regional_cooperation,1997-10-10,day,,,,src1,
OTS,Turkic,TS,regional_cooperation,2009-10-03,day,,,,src1,
"""
SCO_MEMBERS = """SCO,AAA,member,2001-06-15,day,,,,src1,
SCO,CCC,member,2017-06-09,day,,,,src1,
CIS,AAA,member,1991-12-21,day,,,,src1,
CIS,BBB,member,1991-12-21,day,,,,src1,
"""


@pytest.fixture()
def tiny_sco(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = write_package(tmp_path / "data", {
        "organizations.csv": TINY["organizations.csv"] + SCO_ORGS,
        "memberships.csv": TINY["memberships.csv"] + SCO_MEMBERS,
    })
    monkeypatch.setenv("CSTO_BOOK_DATA", str(folder))
    monkeypatch.setenv("CSTO_BOOK_BIB", str(folder / "references.bib"))
    return folder


# --- the as-of view ---------------------------------------------------------------------------

def test_as_of_drops_later_rows_and_reopens_later_ends(tiny: Path) -> None:
    with helpers.as_of("2000-01-01") as day:
        assert day == pd.Timestamp("2000-01-01") == helpers.cutoff_date()
        assert list(helpers.load_table("events")["event_id"]) == ["1992-05-15-signed"]
        assert helpers.load_table("crises").empty and helpers.load_table("contingents").empty
        assert helpers.load_table("un_votes").empty and helpers.load_table("figures").empty
        m = helpers.load_table("memberships").set_index(["org_id", "iso3", "status"])
        assert len(m) == 3  # the three spells begun by 2000; Bokonia's Club membership (2001) is not
        assert pd.isna(m.loc[("CST", "AAA", "member"), "end_date"])  # succession in 2003: still open
        assert pd.isna(m.loc[("CST", "AAA", "member"), "end_reason"])
        assert m.loc[("CST", "BBB", "member"), "end_date"] == pd.Timestamp("1999-04-20")
        assert helpers.legal_member_count("CST", "1999-12-31") == 1
        assert helpers.chronology_complete_date() == pd.Timestamp("2000-01-01")
    assert helpers.cutoff_date() == helpers.data_cutoff()
    assert len(helpers.load_table("events")) == 2


def test_set_cutoff_persists_and_resets(tiny: Path) -> None:
    try:
        assert helpers.set_cutoff("2011-01-01") == pd.Timestamp("2011-01-01")
        assert len(helpers.crises()) == 1
        assert "1 January 2011" in helpers.package.cutoff_note()
    finally:
        helpers.set_cutoff(None)
    assert len(helpers.crises()) == 2 and helpers.package.cutoff_note() == ""
    assert helpers.cutoff_notice() is None


@pytest.mark.parametrize(("cutoff", "says"), [
    ("2030-01-01", "cut-off 2030-01-01 is outside the data"),
    ("1800-01-01", "cut-off 1800-01-01 is outside the data"),
    ("", "cut-off '' is not accepted"),
    ("2012", "cut-off '2012' is not accepted"),
    (2012, "cut-off 2012 is not accepted"),
    ("yesterday", "cut-off 'yesterday' is not accepted"),
    ("2012-13-01", "cut-off '2012-13-01' is not a calendar date"),
    (pd.NaT, "cut-off NaT is not accepted"),
])
def test_only_an_iso_date_within_the_data_is_a_cut_off(tiny: Path, cutoff: object, says: str) -> None:
    """One line says what is accepted: an ISO date from the data's first date to its cut-off."""
    with pytest.raises(helpers.CutoffError) as refused:
        helpers.set_cutoff(cutoff)
    message = str(refused.value)
    assert message.startswith(says) and "\n" not in message
    assert message.endswith("give an ISO date, YYYY-MM-DD, from 1992-05-15 to the data's own cut-off "
                            f"{helpers.data_cutoff().date()}, or None for the data's own")
    for accepted in ("1992-05-15", dt.date(2000, 1, 1), pd.Timestamp("2010-06-12"), None):
        helpers.set_cutoff(accepted)
    helpers.set_cutoff(None)


# --- facts, chapter by chapter ------------------------------------------------------------------

def test_origins(tiny: Path) -> None:
    f = facts.origins()
    assert {k: f[k] for k in ["cst_signatories_1992", "cst_signatories_1993", "cst_parties_1994",
                              "cst_parties_1999", "csto_members_2003", "csto_members_2008",
                              "csto_members_now", "csto_max_members"]} == {
        "cst_signatories_1992": 1, "cst_signatories_1993": 1, "cst_parties_1994": 2, "cst_parties_1999": 1,
        "csto_members_2003": 1, "csto_members_2008": 1, "csto_members_now": 1, "csto_max_members": 1}
    assert (f["n_steps"], f["n_steps_treaties"], f["n_steps_to_charter"], f["n_steps_after_charter"],
            f["n_steps_2009_2012"]) == (1, 1, 1, 0, 0)
    assert (f["cst_accessions_1993"], f["n_left_1999"], f["n_late_left"], f["n_tashkent_left"]) == (0, 1, 0, 1)
    assert f["n_protocol_ratifiers"] == 0 and f["cutoff_text"] == long_date(TINY_CUTOFF)
    assert f["belarus_holdout"] == f["n_alma_ata"] == ABSENT  # events the tiny package lacks
    early = facts.origins("1993-01-01")  # before the treaty entered into force
    # the organization founded in 2002 is not in the record in 1993: its members are no number yet
    assert (early["cst_parties_1994"], early["csto_members_now"], early["n_left_1999"]) == (0, ABSENT, 0)
    assert early["cutoff_text"] == "1 January 1993"


def test_failures(tiny: Path) -> None:
    f = facts.failures()
    assert (f["n_crises"], f["first_year"], f["last_year"], f["n_requests"]) == (2, 2010, 2012, 1)
    assert (f["n_deployments"], f["n_missions"], f["n_consultations"], f["n_statements"], f["n_nothing"]) == \
        (0, 0, 1, 0, 1)
    assert (f["n_rationale_internal_affair"], f["n_rationale_none_given"], f["n_rationale_other"]) == (1, 1, 0)
    assert (f["n_no_request"], f["n_no_request_at_most_statement"], f["n_requests_above_statement"]) == (1, 1, 1)
    assert (f["n_requests_article4"], f["n_requests_2021_2022"], f["n_requests_armenia"]) == (1, 0, 0)
    assert (f["n_asked_russia"], f["russia_years"]) == ("zero", "")
    assert f["article4_gap"] == ABSENT  # the prose speaks of two Article 4 requests; there is one
    assert f["dead_low_osh"] == f["armenia_status"] == ABSENT  # no such crisis, no Armenia
    assert (f["n_excluded"], f["n_article4"], f["n_russia_own"], f["n_russia_more_others"]) == (1, 0, 0, 1)
    assert f["article4_deployed_share"] == f["article4_deployed_interval"] == ABSENT  # no Article 4 crisis: no share
    assert f["n_unasked_beyond_second"] == "zero"
    later = facts.failures("2011-01-01")
    assert (later["n_crises"], later["last_year"], later["n_nothing"], later["n_consultations"]) == (1, 2010, 0, 1)


def test_kazakhstan_2022(tiny: Path) -> None:
    f = facts.kazakhstan_2022()
    assert (f["n_contributors"], f["n_contributors_word"], f["deployment_days"]) == (1, "one", 5)
    assert (f["sum_low"], f["sum_high"]) == ("100", "150")
    assert f["n_timeline_events"] == 0 and f["operation_days"] == ABSENT  # no event of the 2022 theme
    assert f["official_personnel"] == f["pers_RUS"] == f["days_to_war"] == ABSENT
    early = facts.kazakhstan_2022("2010-06-14")  # before the contingent arrived
    assert (early["n_contributors"], early["sum_low"]) == (0, "0") and early["deployment_days"] == ABSENT


def test_sco_overlap(tiny_sco: Path) -> None:
    f = facts.sco_overlap()
    assert (f["n_orgs"], f["n_orgs_cap"], f["n_pairs"]) == ("nine", "Nine", 36)
    assert f["n_orgs_now"] == "three"  # the matrix keeps only organizations some state belongs to
    assert (f["csto_members_now"], f["sco_members_now"], f["shared_now"], f["jaccard_now"]) == (1, 2, 1, "0.50")
    assert f["overlap_now"] == "1.00"  # the one-member alliance sits wholly inside the SCO
    assert (f["n_states_now"], f["n_memberships_now"], f["max_orgs_now"]) == (3, 5, 3)
    assert (f["n_bridges_3"], f["n_bridges_5"], f["top_bridges"], f["top_bridges_and"]) == (1, 0, "Aland", "Aland")
    assert (f["linked_pairs_now"], f["csto_sco_shared_now"], f["csto_cis_shared_now"]) == (3, 1, 1)
    assert f["csto_eaeu_shared_now"] == ABSENT  # the CSTO and the EAEU share no state
    assert (f["n_matrix_states"], f["n_sco_partners"]) == (3, 0)
    assert (f["n_states_2004"], f["n_memberships_2004"], f["max_orgs_2004"], f["linked_pairs_2004"],
            f["jaccard_2004"]) == (2, 4, 3, 3, "1.00")
    early = facts.sco_overlap("2010-01-01")  # Cedria not yet in the SCO
    assert (early["sco_members_now"], early["jaccard_now"], early["n_states_now"]) == (1, "1.00", 2)


def test_after_2022(tiny: Path) -> None:
    f = facts.after_2022()  # Russia's vote is not recorded, so no resolution counts
    assert (f["n_resolutions"], f["n_votes"], f["n_cells"], f["n_missing"], f["n_war_resolutions"]) == (0, 0, 0, 0, 0)
    assert (f["n_single_source"], f["n_single_allies"], f["n_after_events"], f["n_armenia_steps"]) == (2, 0, 0, 0)
    assert f["armenia_with_russia"] == f["aggression_yes"] == ABSENT


def test_conclusion(tiny: Path) -> None:
    f = facts.conclusion()
    assert (f["n_points"], f["n_seed_versions"], f["n_contradicted"], f["n_judgement"]) == (1, 0, 0, 0)
    assert (f["c_n_crises"], f["c_n_requests"], f["c_n_article4"], f["c_csto_now"]) == (2, 1, "One", 1)
    assert f["c_in_sco"] == ABSENT  # the tiny package has no SCO
    assert (f["c_n_resolutions"], f["c_four_votes"], f["c_four_against"], f["c_n_ratifiers"]) == (0, 0, "no", 0)


def test_intro(tiny: Path) -> None:
    f = facts.intro()
    assert (f["i_n_crises"], f["i_n_requests"], f["i_n_asked_russia"], f["i_deployment_days"]) == (2, 1, "zero", 5)
    assert (f["i_cst_1992"], f["i_cst_1994"], f["i_csto_now"], f["i_csto_max"]) == (1, 2, 1, 1)
    assert (f["i_first_year"], f["i_last_year"], f["i_cutoff"]) == (2010, 2012, long_date(TINY_CUTOFF))
    assert f["i_sco_now"] == ABSENT


def test_data_and_methods(tiny: Path) -> None:
    f = facts.data_and_methods()
    rows = sum(text.count("\n") - 1 for text in TINY.values())
    assert (f["n_tables"], f["n_rows"], f["n_sources"]) == (21, rows, 2) and rows == 42
    assert (f["n_events"], f["first_event"], f["last_event"]) == (2, "15 May 1992", "12 June 2010")
    assert (f["n_crises"], f["n_requests"], f["n_asked_russia"], f["n_claims"]) == (2, 1, 0, 1)


def test_chapter_tables(tiny: Path) -> None:
    table = chapter_tables.signatories_and_departures()
    assert table.to_dict("records") == [
        {"state": "Aland", "first signed": "15 May 1992", "departures": ""},
        {"state": "Bokonia", "first signed": "20 April 1994", "departures": "non-renewal 20 April 1999"}]
    requests = chapter_tables.requests_and_responses()
    assert requests.to_dict("records") == [{
        "name": "Aland unrest", "asked by": "Aland", "asked": "CSTO", "date": "12 June 2010",
        "basis invoked": "Article 4 of the Collective Security Treaty", "CSTO response": "consultations",
        "reason": "internal affair"}]
    assert chapter_tables.events_by_theme().set_index("theme")["events"].to_dict()["origins"] == 1
    sens = chapter_tables.sensitivity().set_index("version")
    assert sens["crises"].to_dict() == {
        "As coded": 2, "Second coder's codes": 2, "Violence gate only": 2, "On members' territory only": 1,
        "Charter era only": 2, "Russia not a party": 2}
    # the second coder put a statement where the first put nothing: the CSTO then went further than Russia
    assert sens.loc["Second coder's codes", "CSTO went further"] == 1
    turned = chapter_tables.sensitivity_by_count().set_index("count")
    assert turned.loc["crises", "On members' territory only"] == 1 and list(turned.columns)[0] == "As coded"
    assert chapter_tables.crisis_exclusions().to_dict("records") == [
        {"candidate": "Borea scuffle", "began": "May 2011", "gate failed": "threshold",
         "reason": "No one died and no one asked."}]


# --- on the real data ---------------------------------------------------------------------------

@pytest.mark.parametrize("chapter", list(facts.CHAPTER_FACTS))
def test_no_fact_is_absent_at_the_data_cutoff(chapter: str) -> None:
    absent = [k for k, v in facts.CHAPTER_FACTS[chapter]().items() if v == ABSENT]
    assert not absent, f"{chapter}: no value at the data's own cut-off for {absent}"


@pytest.mark.parametrize("chapter", list(facts.CHAPTER_FACTS))
def test_facts_keep_their_names_at_any_cutoff(chapter: str) -> None:
    names = set(facts.CHAPTER_FACTS[chapter]())
    for cutoff in ["2000-01-01", "2010-01-01", "2020-01-01"]:
        assert set(facts.CHAPTER_FACTS[chapter](cutoff)) == names


def test_protocol_ratifiers_read_the_typed_field() -> None:
    assert helpers.protocol_ratifiers() == ["BLR", "KAZ", "KGZ", "RUS", "TJK"]
    with helpers.as_of("2022-12-31"):
        assert helpers.protocol_ratifiers() == ["RUS"]


def test_a_figure_with_no_rows_at_the_cutoff_says_so(tiny: Path) -> None:
    from helpers import plotting

    with helpers.as_of("2000-01-01"):
        fig = plotting.contingents_figure(helpers.contingents())
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts == ["No contingents in the data by the cut-off date, 1 January 2000."]


def test_compare_crises_marks_a_later_crisis_and_refuses_an_unknown_one(tiny: Path) -> None:
    with helpers.as_of("2011-01-01"):
        table = helpers.compare_crises(["aaa-2010", "ccc-2012"]).set_index("field")
        assert table.loc["crisis", "aaa-2010"] == "Aland unrest"
        assert set(table["ccc-2012"]) == {ABSENT}
        with pytest.raises(KeyError, match="unknown crises"):
            helpers.compare_crises(["aaa-2010", "zzz-2099"])


def test_your_question(tiny: Path) -> None:
    f = facts.your_question("CST", "CSTO", "2003-09-18")  # the day the new organization's Charter bound Aland
    assert f == {"q_date": "18 September 2003", "q_count": "zero", "q_day_before": "zero"}
    f = facts.your_question("CSTO", "CSTO", "2003-09-18")
    assert (f["q_count"], f["q_day_before"]) == ("one", "zero")


# --- what the organizations do (helpers.security) ----------------------------------------------

FUNCTION_ROWS = """function_id,organizations,function,name,start_date,start_precision,end_date,end_precision,source_ids,note
club-terror,CLUB,counter_terrorism,The Club's anti-terror centre,2004-01-01,year,,,src2,
sco-drugs,SCO,counter_narcotics,An anti-drug agreement,2004-06-17,day,,,src1,
cst-forces,CST,collective_forces,Rapid forces,2001-05-25,day,,,src1,
csto-drugs,CSTO,counter_narcotics,Operation Channel,2003-01-01,year,2004-12-31,day,src1,
both-mou,CSTO;SCO,joint_document,A memorandum,2007-10-05,day,,,src1,
"""
EXERCISE_ROWS = """exercise_id,organization,series,kind,name,start_date,start_precision,end_date,end_precision,host,place,participants,troops_declared,troops_basis,status,reason,source_ids,note
drill-2004,CSTO,Drill,exercise,Drill-2004,2004-08-01,month,,,AAA,,AAA,,,held,,src1,
frame-2004,CSTO,Frame,frame,Frame-2004,2004-08-01,month,,,AAA,,AAA,900,the ministry,held,,src1,
peace-2004,SCO,Peace,exercise,Peace-2004,2004-09-01,day,,,AAA,,AAA;CCC,,,held,,src1,
peace-2005,SCO,Peace,exercise,Peace-2005,2005-09-01,day,,,AAA,,,,,called_off,The host withdrew.,src1,
"""


def test_security_functions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from helpers import security

    folder = write_package(tmp_path / "data", {
        "organizations.csv": TINY["organizations.csv"] + SCO_ORGS,
        "memberships.csv": TINY["memberships.csv"] + SCO_MEMBERS,
        "security_functions.csv": FUNCTION_ROWS, "exercises.csv": EXERCISE_ROWS,
    })
    monkeypatch.setenv("CSTO_BOOK_DATA", str(folder))
    monkeypatch.setenv("CSTO_BOOK_BIB", str(folder / "references.bib"))
    # Frames are kept apart; the treaty's forces count for the CSTO; a joint act is no field.
    assert list(security.exercises()["exercise_id"]) == ["drill-2004", "peace-2004", "peace-2005"]
    o = security.functional_overlap(2003, 2005).set_index("year")
    assert o.loc[2003].tolist() == [2, 0, 0]  # forces and narcotics for the alliance, nothing yet for the SCO
    assert o.loc[2004].tolist() == [3, 2, 2]  # both in narcotics and exercises
    assert o.loc[2005].tolist() == [1, 1, 0]  # the alliance's operation ended; the SCO's drill was called off
    counts = security.exercise_counts()
    assert counts.loc[(2005, "SCO"), "called_off"] == 1 and counts.loc[(2004, "CSTO"), "held"] == 1
    assert security.last_year(pd.Timestamp("2026-01-01")) == 2025
    f = facts.sco_overlap("2006-01-01")  # the memorandum of 2007 is not yet in the record
    assert (f["n_function_rows"], f["n_exercises"], f["n_csto_held"], f["n_sco_held"]) == (4, 3, 1, 1)
    assert (f["shared_functions_now"], f["csto_functions_now"], f["sco_functions_now"]) == ("zero", "one", "one")
    assert (f["sco_first_exercise"], f["sco_gap_years"], f["functions_then_year"]) == (2004, "one", ABSENT)
    assert (security.joint_acts()["function_id"].tolist()) == ["both-mou"]


def test_a_programming_error_in_a_fact_is_not_an_absence() -> None:
    """Only a missing row or value (a LookupError) reads as "n/a at this cut-off"; any other error
    in computing a fact is raised."""
    f = facts.Facts()
    f.put("absent", lambda: {}["nothing"])
    assert f["absent"] == ABSENT
    with pytest.raises(TypeError):
        f.put("broken", lambda: 1 + "one")


FORCE_ROWS = """force_id,name,kind,parties,agreed_date,agreed_precision,founding_text,source_ids,note
CRF,Club Rapid Force,collective,AAA;BBB,2009-02-04,day,a decision,src1,
AIR,Air defence of Aland and Bokonia,air_defence,AAA;BBB,2013-01-30,day,an agreement,src1,
"""
SIZE_ROWS = """size_id,force_id,measure,value,qualifier,as_of,as_of_precision,reported_by,source_ids,note
crf-2009,CRF,personnel,1000,about,2009-02-04,day,the secretary,src1,
crf-2009-aaa,CRF,russia_personnel,600,about,2009-02-04,day,the secretary,src1,
crf-2012,CRF,personnel,2000,about,2012-01-01,year,a scholar,src2,
"""
BASE_ROWS = """base_id,name,kind,host,place,lat,lon,unit,first_agreement,first_precision,agreement_date,agreement_precision,term_end,legal_basis,source_ids,note
BBB-1,First base,base,BBB,Bolton,45.0,75.0,1st division,1995-03-16,day,2010-08-20,day,2044,a treaty and a protocol,src1,
BBB-2,Radio station,communications,BBB,Boville,,,a station,1997-01-01,year,,,,an agreement,src1,
"""
PERSONNEL_ROWS = """personnel_id,base_id,value,qualifier,as_of,as_of_precision,reported_by,source_ids,note
bbb-1-2005,BBB-1,3000,about,2005-01-01,year,a newspaper,src2,
bbb-1-2011,BBB-1,5000,about,2011-06-23,day,an agency,src1,
"""


@pytest.fixture()
def capabilities_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The tiny package with forces, sizes, facilities and personnel, read as the book's data."""
    folder = write_package(tmp_path / "data", {
        "forces.csv": FORCE_ROWS, "force_sizes.csv": SIZE_ROWS, "bases.csv": BASE_ROWS,
        "base_personnel.csv": PERSONNEL_ROWS, "exercises.csv": EXERCISE_ROWS,
        "organizations.csv": TINY["organizations.csv"] + SCO_ORGS,
        "memberships.csv": TINY["memberships.csv"] + SCO_MEMBERS,
    })
    monkeypatch.setenv("CSTO_BOOK_DATA", str(folder))
    monkeypatch.setenv("CSTO_BOOK_BIB", str(folder / "references.bib"))
    return folder


def test_capabilities(capabilities_package: Path) -> None:
    from helpers import capabilities, chapter_tables

    # Sizes are ranges over every declaration; Russia's part is kept apart from the whole.
    assert capabilities.size_range("CRF") == (1000, 2000)
    assert capabilities.size_range("CRF", "russia_personnel") == (600, 600)
    assert list(capabilities.force_sizes(None)["measure"]) == ["personnel", "russia_personnel", "personnel"]
    assert capabilities.personnel_range("BBB-1") == (3000, 5000)
    assert capabilities.hosts_with_bases() == {"BBB"}
    f = facts.capabilities()
    assert (f["n_forces"], f["n_collective"], f["n_air_defence"], f["n_bilateral_ads"]) == (2, "one", "one", "one")
    assert f["crrf_sizes"] == ABSENT  # the facts name the book's forces, which the tiny package lacks
    assert (f["n_bases"], f["n_base_hosts"], f["n_personnel"], f["last_term"]) == (2, "one", 2, 2044)
    # As of 2010: the air-defence system and the later declarations are not yet in the record, and
    # the protocol of August 2010 is undone, so the base's term is not known yet.
    early = facts.capabilities("2010-01-01")
    assert (early["n_forces"], early["n_sizes"], early["n_personnel"], early["last_term"]) == (1, 2, 1, ABSENT)
    table = chapter_tables.bases_table()
    assert table["personnel reported"].tolist() == ["3,000–5,000 (2 figures)", "none found"]
    assert table["term ends"].tolist() == ["2044", "not in the record"]
    assert table["first agreement"].tolist() == ["16 March 1995", "1997"]
    grid = capabilities.exercise_grid()
    assert grid[["series", "year", "status", "n"]].values.tolist() == [
        ["Drill", 2004, "held", 1], ["Peace", 2004, "held", 1], ["Peace", 2005, "called_off", 1]]


def test_capabilities_figures(capabilities_package: Path) -> None:
    from helpers import capabilities, maps, plotting

    plotting.use_house_style()
    fig = maps.bases_map_figure(capabilities.bases(), pd.Timestamp("2026-01-01"))
    key = [t.get_text() for t in fig.legends[0].get_texts()]
    assert key == ["1  First base: Bolton, Bokonia", "Not drawn (no position read): Radio station (Bokonia)"]
    fig = plotting.force_sizes_figure(capabilities.force_sizes(None))
    assert [t.get_text() for t in fig.axes[0].texts] == ["CRF", "CRF (Russia)"]
    fig = plotting.exercises_figure(capabilities.exercise_grid())
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["Drill", "Peace"]
    empty = plotting.force_sizes_figure(capabilities.force_sizes("police"))
    assert "No declared sizes of forces" in empty.axes[0].texts[0].get_text()
