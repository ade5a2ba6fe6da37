"""The real data package: valid by our rules and by Frictionless, every source resolvable,
and membership questions answered correctly at dates where the answer is well documented."""

from __future__ import annotations

import pandas as pd
import pytest
from frictionless import validate

import helpers
from helpers import load_table, members_on, validate_package
from helpers.bib import bib_entries, keys_without_locator
from helpers.paths import REPO_ROOT

SEED_KEYS = set(helpers.SOURCE_TEXTS)


def test_package_passes_our_checks() -> None:
    assert [str(p) for p in validate_package()] == []


def test_package_passes_frictionless() -> None:
    report = validate(REPO_ROOT / "data" / "datapackage.json")
    errors = report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.valid, errors


def test_every_source_key_resolves_and_has_a_locator() -> None:
    entries = bib_entries()
    cited: set[str] = set()
    for name in ("states", "organizations", "memberships"):
        for keys in load_table(name)["source_ids"]:
            cited.update(keys)
    assert cited <= set(entries), sorted(cited - set(entries))
    assert keys_without_locator() == []


def test_seed_texts_are_in_the_bibliography() -> None:
    assert SEED_KEYS <= set(bib_entries())


def _members(org: str, date: str, legal: bool = True) -> dict[str, str]:
    got = members_on(org, date, legal_members_only=legal)
    return dict(zip(got["iso3"], got["status"].astype(str)))


CENTRAL = {"KAZ", "KGZ", "RUS", "TJK"}


@pytest.mark.parametrize(
    ("org", "date", "expected"),
    [
        ("CST", "1992-05-14", set()),
        ("CST", "1995-01-01", CENTRAL | {"ARM", "AZE", "BLR", "GEO", "UZB"}),  # in force for nine
        ("CST", "1999-04-20", CENTRAL | {"ARM", "AZE", "BLR", "GEO", "UZB"}),  # last day of the first term
        ("CST", "1999-04-21", CENTRAL | {"ARM", "BLR"}),  # three did not renew
        ("CSTO", "2003-01-01", set()),  # Charter signed, not yet in force
        ("CSTO", "2004-01-01", CENTRAL | {"ARM", "BLR"}),
        ("CSTO", "2008-01-01", CENTRAL | {"ARM", "BLR", "UZB"}),  # Uzbekistan's return
        ("CSTO", "2013-01-01", CENTRAL | {"ARM", "BLR"}),
        ("CSTO", "2025-06-01", CENTRAL | {"ARM", "BLR"}),  # Armenia frozen, still a member
        ("SCO", "2002-01-01", CENTRAL | {"CHN", "UZB"}),
        ("SCO", "2018-01-01", CENTRAL | {"CHN", "UZB", "IND", "PAK"}),
        ("SCO", "2025-01-01", CENTRAL | {"CHN", "UZB", "IND", "PAK", "IRN", "BLR"}),
        ("EAEU", "2016-01-01", {"ARM", "BLR", "KAZ", "KGZ", "RUS"}),
    ],
)
def test_legal_members_on_anchor_dates(org: str, date: str, expected: set[str]) -> None:
    assert set(_members(org, date)) == expected


def test_armenias_freeze_is_legal_membership() -> None:
    assert _members("CSTO", "2025-06-01")["ARM"] == "participation_frozen"
    assert _members("CSTO", "2023-06-01")["ARM"] == "member"


def test_uzbekistan_2012_is_a_suspension_not_membership() -> None:
    all_statuses = _members("CSTO", "2013-01-01", legal=False)
    assert all_statuses["UZB"] == "suspended"


def test_every_date_has_one_status_per_state() -> None:
    """From 1991 to the cut-off, no state ever holds two statuses in one organization."""
    m = load_table("memberships")
    for date in pd.date_range("1991-12-01", "2026-11-01", freq="MS"):
        on = m[(m["start_date"] <= date) & (m["end_date"].isna() | (date < m["end_date"]))]
        assert not on.duplicated(["org_id", "iso3"]).any(), date


# --- The evidence base (events, crises, contingents, votes, claims) ----------------------

REQUIRED_CRISES = {
    "kgz-2005-tulip", "kgz-2010-osh", "kgz-2010-april", "kaz-2011-zhanaozen",
    "tjk-2012-khorog", "tjk-2022-gbao", "nk-2016-april", "nk-2020-war", "arm-2021-may",
    "arm-2022-september", "kgz-tjk-2021-april", "kgz-tjk-2022-september", "kaz-2022-january",
}


def test_every_event_id_begins_with_its_date() -> None:
    ev = load_table("events")
    assert (ev["event_id"].str[:10] == ev["date"].dt.strftime("%Y-%m-%d")).all()
    assert len(ev) > 80


def test_the_required_crises_are_all_there() -> None:
    assert REQUIRED_CRISES <= set(load_table("crises")["crisis_id"])


def test_every_crisis_and_request_is_in_the_chronology() -> None:
    ev, cr = load_table("events"), load_table("crises")
    for c in cr.itertuples():
        starts = ev[(ev["crisis_id"] == c.crisis_id) & (ev["kind"] == "crisis")]
        assert (starts["date"] == c.start_date).any(), f"{c.crisis_id}: no crisis event on its start date"
        if str(c.request_to) != "none":
            asks = ev[(ev["crisis_id"] == c.crisis_id) & (ev["kind"] == "request_for_assistance")]
            assert (asks["date"] == c.request_date).any(), f"{c.crisis_id}: no request event"


def test_the_2022_operation_has_its_key_dates() -> None:
    kinds = set(load_table("events").query("theme == 'intervention_2022'")["kind"].astype(str))
    assert {"crisis", "request_for_assistance", "csto_decision", "deployment", "withdrawal"} <= kinds
    assert set(load_table("contingents")["iso3"]) == {"RUS", "BLR", "ARM", "TJK", "KGZ"}


def test_votes_cover_the_core_resolutions_and_members() -> None:
    votes = load_table("un_votes")
    states = {"ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK", "AZE", "GEO", "UZB"}
    baseline = {"MDA", "TKM", "CHN", "IND", "SRB"}
    for res in ("68-262", "es-11-1", "es-11-4"):
        assert set(votes.loc[votes["resolution_id"] == res, "iso3"]) == states | baseline, res
    assert set(votes.loc[votes["iso3"] == "RUS", "vote"].astype(str)) == {"no"}
    res = load_table("resolutions")
    assert {"ukraine", "crimea_rights", "georgia_idp"} <= set(res["series"].astype(str))
    # No vote rests on an encyclopedia: its sources never include a reference work only.
    assert not votes["source_ids"].map(lambda keys: any(k.startswith("wikipedia") for k in keys)).any()


def test_claims_cover_at_least_fifteen_points_with_two_versions() -> None:
    claims = load_table("claims")
    versions = claims.groupby("claim_id").size()
    assert len(versions) >= 15 and (versions >= 2).all()


def test_each_address_has_one_bibliography_key() -> None:
    from collections import defaultdict

    by_url: dict[str, list[str]] = defaultdict(list)
    for key, fields in bib_entries().items():
        if fields.get("url"):
            by_url[fields["url"].strip().rstrip("/")].append(key)
    shared = {u: ks for u, ks in by_url.items() if len(ks) > 1}
    assert not shared, shared


def test_the_chronology_is_complete_to_a_stated_date_before_the_cutoff() -> None:
    complete, cutoff = helpers.chronology_complete_date(), helpers.cutoff_date()
    assert complete <= cutoff
    events, crises = load_table("events"), load_table("crises")
    assert events["date"].max() <= complete, "an event lies after csto:chronology_complete_to: move the date"
    assert crises["start_date"].max() <= complete
