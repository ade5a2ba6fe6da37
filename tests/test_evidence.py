"""The evidence helpers on the tiny package: matrices, timelines and vote alignment."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import helpers
from conftest import TINY, write_package


def test_crisis_response_matrix(tiny: Path) -> None:
    m = helpers.crisis_response_matrix()
    assert list(m.columns) == ["request_to", "none", "statement", "consultations", "mission",
                               "collective_deployment"]
    assert list(m.index) == ["Aland unrest", "Cedria clash"]
    assert m.loc["Aland unrest", "consultations"] and not m.loc["Aland unrest", "none"]
    assert m.loc["Cedria clash", "none"]
    assert m["request_to"].tolist() == ["csto", "none"]
    assert m.drop(columns="request_to").sum(axis=1).tolist() == [1, 1]  # one level per crisis


def test_response_scale_is_ordered(tiny: Path) -> None:
    c = helpers.crises()
    assert c["csto_response"].cat.ordered
    # Alphabetically "none" > "consultations"; on the scale it is the other way round.
    assert c["csto_response"].max() == "consultations" and c["csto_response"].min() == "none"
    assert c.loc[0, "requesting_state_name"] == "Aland"
    assert c["asked_csto"].tolist() == [True, False] and not c["asked_russia"].any()


def test_response_counts(tiny: Path) -> None:
    t = helpers.response_counts()
    assert t.loc["consultations", "asked the CSTO"] == 1
    assert t["asked Russia only"].sum() == 0
    assert t.loc["none", "no request"] == 1
    assert t.to_numpy().sum() == 2


def test_operation_timeline_counts_days(tiny: Path) -> None:
    t = helpers.operation_timeline("origins")
    assert t["day"].tolist() == [0]
    with pytest.raises(KeyError, match="unknown theme"):
        helpers.chronology("nonsense")


def test_contingents(tiny: Path) -> None:
    c = helpers.contingents()
    assert c.loc[0, "state"] == "Aland" and c.loc[0, "days_deployed"] == 5


def test_vote_alignment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    votes = (
        "resolution_id,iso3,vote,source_ids,note\n"
        "r-1,AAA,no,src1,\nr-1,BBB,abstain,src1,\nr-1,CCC,yes,src1,\n"
        "r-2,AAA,yes,src1,\nr-2,BBB,absent,src1,\nr-2,CCC,yes,src1,\n"
    )
    res = TINY["resolutions.csv"] + "r-2,ukraine,A/RES/2/2,2022-03-02,Aggression,141,5,35,src1,,\n"
    folder = write_package(tmp_path / "data", {"un_votes.csv": votes, "resolutions.csv": res})
    monkeypatch.setenv("CSTO_BOOK_DATA", str(folder))
    monkeypatch.setenv("CSTO_BOOK_BIB", str(folder / "references.bib"))
    # The helper reads Russia's vote from the RUS rows.
    text = votes + "r-1,RUS,no,src1,\nr-2,RUS,no,src1,\n"
    states = TINY["states.csv"] + "RUS,Russia,365,Eastern Europe,src1\n"
    write_package(folder, {"un_votes.csv": text, "resolutions.csv": res, "states.csv": states})
    v = helpers.vote_alignment(comparison=True)
    got = {(r.resolution_id, r.iso3): r.alignment for r in v.itertuples()}
    groups = {r.iso3: r.group for r in v[v["resolution_id"] == "r-1"].itertuples()}
    # On 27 March 2014 Aland is a party, Bokonia left in 1999, Cedria never joined.
    assert groups == {"AAA": "member", "BBB": "former member", "CCC": "comparison state", "RUS": "comparison state"}
    assert "CCC" not in set(helpers.vote_alignment()["iso3"]) and "RUS" in set(helpers.vote_alignment()["iso3"])
    agree = helpers.evidence.vote_agreement(by=("iso3",)).set_index("iso3")
    # Aland matched Russia once in two; Bokonia's absence is a vote known and not matched.
    assert agree.loc["AAA", ["votes", "same", "share"]].tolist() == [2, 1, 0.5]
    assert agree.loc["BBB", ["votes", "same", "from_list"]].tolist() == [2, 0, 0]
    assert "RUS" not in agree.index
    # A complete list of the votes against, with Russia on it, makes a state not on it known.
    res3 = res + "r-3,georgia_idp,,2023-06-07,Displaced,100,9,59,src1,true,\n"
    write_package(folder, {"un_votes.csv": text + "r-3,RUS,no,src1,\nr-3,AAA,no,src1,\n", "resolutions.csv": res3,
                           "states.csv": states})
    agree = helpers.evidence.vote_agreement(by=("iso3", "series")).set_index(["iso3", "series"])
    assert agree.loc[("AAA", "georgia_idp"), ["votes", "same", "from_list"]].tolist() == [1, 1, 0]
    assert agree.loc[("BBB", "georgia_idp"), ["votes", "same", "from_list"]].tolist() == [1, 0, 1]
    table = helpers.chapter_tables.vote_agreement_table().set_index("state")
    assert table.loc["Aland", ["group", "Georgia's displaced", "Ukraine"]].tolist() == ["members", "1 of 1", "1 of 2"]
    assert table.loc["Cedria", "group"] == "comparison states" and table.loc["Bokonia", "group"] == "former members"
    f = helpers.facts.after_2022()
    assert (f["n_comparison_states"], f["n_idp_texts"], f["n_complete_lists"]) == ("one", 1, 1)
    assert got[("r-1", "AAA")] == "with Russia"
    assert got[("r-1", "BBB")] == "abstained"
    assert got[("r-1", "CCC")] == "against Russia"
    assert got[("r-2", "AAA")] == "against Russia"
    assert got[("r-2", "BBB")] == "absent"
    m = helpers.alignment_matrix()
    assert list(m.columns) == ["r-1", "r-2"]
    assert m.loc["Russia"].tolist() == ["with Russia", "with Russia"]
    assert isinstance(v["alignment"].dtype, pd.CategoricalDtype) and v["alignment"].cat.ordered


def test_chapter_sources_and_data_lists(tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chapters = tmp_path / "chapters"
    chapters.mkdir()
    (chapters / "x.md").write_text("# X\nAs {cite:t}`src2` says, and {cite:p}`src1,src2`.\n")
    monkeypatch.setattr(helpers.chapter, "chapters_dir", lambda: tmp_path / "chapters")
    assert helpers.cited_keys("x") == ["src2", "src1"]
    text = helpers.sources_list("x").data
    assert "{ref}`bibliography`" in text and "<https://example.org/1>" in text
    assert ":::" not in text  # no directive JupyterLab cannot render: the build finds the cell by its tag
    assert "{cite:t}`src1`. *A source*." in text  # the build writes the citation as the Bibliography labels it
    assert text.index("{cite:t}`src1`") < text.index("{cite:t}`src2`")  # the Bibliography's order
    (chapters / "y.md").write_text("{cite:p}`ghost`\n")
    with pytest.raises(KeyError, match="ghost"):
        helpers.sources_list("y")
    used = helpers.data_used(["crises"]).data
    assert "`crises.csv` (2 rows)" in used and "{numref}`tab-codebook-crises`" in used


def test_interval_text_and_number_words() -> None:
    assert helpers.interval_text(pd.Timestamp("2022-01-05"), pd.Timestamp("2022-09-13")) == "251 days (about eight months)"
    assert helpers.interval_text("2022-01-05", "2022-01-19") == "14 days"
    assert helpers.number_word(2) == "two" and helpers.number_word(1234) == "1,234"
    with pytest.raises(ValueError):
        helpers.interval_text("2022-02-01", "2022-01-01")


def test_article4_requests_are_requests_to_the_csto_citing_article_4(tiny: Path) -> None:
    a = helpers.article4_requests()
    assert a["crisis_id"].tolist() == ["aaa-2010"]
    assert a["asked_csto"].all()


def test_deployment_days(tiny: Path) -> None:
    assert helpers.deployment_days() == 5  # 15 to 20 June 2010 in the tiny package


def test_event_interval_and_article4_gap(tiny: Path) -> None:
    assert helpers.event_interval("1992-05-15-signed", "2010-06-12-request") == "6,602 days (about 217 months)"
    with pytest.raises(LookupError, match="two Article 4 requests"):
        helpers.article4_gap()  # the tiny package has one: the second is not in the view


def test_reported_figures_are_typed_and_written_as_prose_writes_them(tiny: Path) -> None:
    figures = helpers.reported_figures()
    assert figures.loc["aaa-2010-troops", "value"] == 1200
    assert str(figures.loc["aaa-2010-troops", "qualifier"]) == "about"
    assert helpers.figure_text("aaa-2010-troops") == "1,200"
    with pytest.raises(KeyError, match="no figure"):
        helpers.figure_text("nothing")
    # One figure: its row; none before the day it was reported (a re-run); an unknown id fails.
    assert helpers.reported_figure("aaa-2010-troops")["value"] == 1200
    with helpers.as_of("2010-01-01"):
        assert helpers.reported_figure("aaa-2010-troops") is None
        with pytest.raises(KeyError, match="no figure"):
            helpers.reported_figure("nothing")


def test_the_chronology_writes_every_kind_and_theme_in_words() -> None:
    from helpers.load import resource
    from helpers.vocabulary import words

    fields = {f["name"]: f for f in resource("events")["schema"]["fields"]}
    assert set(fields["kind"]["csto:words"]) == set(fields["kind"]["constraints"]["enum"])
    assert set(fields["theme"]["csto:words"]) == set(fields["theme"]["constraints"]["enum"])
    assert words("events", "kind")["request_for_assistance"] == "request for help"
    assert words("crises", "crisis_type")["ethnic_violence"] == "ethnic violence"  # no words given: spaced
    text = helpers.chronology_markdown().data
    assert "treaty_agreement" not in text and "intervention 2022" not in text


def test_each_chronology_entry_is_classed_for_the_html_filters() -> None:
    text = helpers.chronology_markdown().data
    events = helpers.chronology()
    # The filters' words: HTML only (print lists every event), one per theme, kind and state.
    assert text.startswith("::::{only} html\n:::{container} chron-filter\n- `theme:origins` origins\n")
    assert "- `kind:csto-decision` decision of the CSTO\\'s bodies" in text
    assert "- `state:arm` Armenia" in text
    entries = re.findall(r"^:::\{container\} (chron-entry .*)$", text, re.M)
    assert len(entries) == len(events)
    first = events.iloc[0]
    assert entries[0].split()[:3] == ["chron-entry", f"chron-theme-{first.theme}", "chron-kind-treaty-agreement"]
    assert {f"chron-state-{s.lower()}" for s in first.states} <= set(entries[0].split())
    # A chapter's own chronology (one theme) has no filters.
    assert "chron-filter" not in helpers.chronology_markdown("failures").data
