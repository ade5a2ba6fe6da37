"""Network helpers on a tiny membership table whose overlaps can be computed by hand.

On 1 July 2005 in the tiny package: CSTO has Aland (member); CLUB has Bokonia (member);
CSTO also has Cedria as an observer. CST ended in 2003.
On 1 July 2011 we add, through an extra row, Aland to CLUB: then CSTO = {AAA},
CLUB = {AAA, BBB}, so they share one of two states: Jaccard 1/2.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import TINY, write_package
from helpers import network


@pytest.fixture()
def linked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    rows = TINY["memberships.csv"] + "CLUB,AAA,member,2011-01-01,day,,,,src2,\n"
    folder = write_package(tmp_path / "data", {"memberships.csv": rows})
    monkeypatch.setenv("CSTO_BOOK_DATA", str(folder))
    monkeypatch.setenv("CSTO_BOOK_BIB", str(folder / "references.bib"))
    return folder


def test_graph_is_bipartite_with_statuses(tiny: Path) -> None:
    g = network.membership_graph("2005-07-01", ["CSTO", "CLUB", "CST"])
    assert sorted(g.nodes) == ["AAA", "BBB", "CLUB", "CST", "CSTO"]
    assert g.degree("CST") == 0  # kept, isolated, for comparability
    assert g.edges["AAA", "CSTO"]["status"] == "member"
    assert "CCC" not in g  # an observer is not a legal member
    every = network.membership_graph("2011-07-01", ["CSTO"], statuses=("member", "observer"))
    assert g.nodes["AAA"]["name"] == "Aland" and "CCC" in every


def test_projections_and_jaccard_by_hand(linked: Path) -> None:
    g = network.membership_graph("2011-07-01", ["CSTO", "CLUB"])
    assert network.jaccard(g, "CSTO", "CLUB") == pytest.approx(0.5)
    # one shared state; the smaller body (CSTO, one member) sits wholly inside the larger
    assert network.overlap_coefficient(g, "CSTO", "CLUB") == pytest.approx(1.0)
    orgs = network.org_projection(g)
    assert orgs.edges["CSTO", "CLUB"]["weight"] == 1  # Aland is in both
    states = network.state_projection(g)
    assert states.edges["AAA", "BBB"]["weight"] == 1  # both in CLUB
    bridges = network.bridging_states(g)
    assert bridges.iloc[0].to_dict() == {"iso3": "AAA", "state": "Aland", "organizations": 2,
                                         "belongs_to": "CLUB, CSTO"}


def test_overlap_series_by_hand(linked: Path) -> None:
    s = network.overlap_series("CSTO", "CLUB", range(2010, 2013))
    assert s["shared"].tolist() == [0, 1, 1]
    assert s["jaccard"].tolist() == [0.0, 0.5, 0.5]
    assert s["overlap"].tolist() == [0.0, 1.0, 1.0]
    assert s["members_b"].tolist() == [1, 2, 2]


def test_empty_organizations_have_zero_overlap(tiny: Path) -> None:
    g = network.membership_graph("1990-01-01", ["CSTO", "CLUB"])
    assert network.jaccard(g, "CSTO", "CLUB") == 0.0
    assert network.overlap_coefficient(g, "CSTO", "CLUB") == 0.0
    with pytest.raises(KeyError, match="no organization 'NOPE'"):
        network.overlap_coefficient(g, "CSTO", "NOPE")


def test_membership_matrix(tiny: Path) -> None:
    m = network.membership_matrix("2012-07-01", ["CSTO", "CLUB"])
    assert m.loc["Aland", "CSTO"] == "member" and m.loc["Cedria", "CSTO"] == "observer"
    assert m.loc["Bokonia", "CSTO"] == "" and list(m.columns) == ["CSTO", "CLUB"]


def test_overlap_pools_a_successor(linked: Path) -> None:
    s = network.overlap_series(["CST", "CSTO"], "CLUB", range(2002, 2013, 10))
    # 2002: the old treaty has Aland only (the new one is not in force), the club Bokonia.
    # 2012: the new organization has Aland; the club has Aland and Bokonia: 1 of 2 shared.
    assert s[["members_a", "shared", "jaccard"]].values.tolist() == [[1, 0, 0.0], [1, 1, 0.5]]


def test_the_alliance_sco_series_runs_from_2001_to_the_cutoff_year(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import pandas as pd

    from helpers.network import alliance_sco_overlap

    orgs = TINY["organizations.csv"] + "SCO,Shanghai Club,SC,security_cooperation,2001-06-15,day,,,,src1,\n"
    spells = TINY["memberships.csv"] + "SCO,AAA,member,2001-06-15,day,,,,src1,\n"
    folder = write_package(tmp_path / "data", {"organizations.csv": orgs, "memberships.csv": spells})
    monkeypatch.setenv("CSTO_BOOK_DATA", str(folder))
    monkeypatch.setenv("CSTO_BOOK_BIB", str(folder / "references.bib"))
    series = alliance_sco_overlap(pd.Timestamp("2012-03-01"))
    assert list(series["year"]) == list(range(2001, 2013))
    assert list(series["shared"]) == [1] * 12  # Aland: in the CST, then the CSTO, and in the SCO from 2001
