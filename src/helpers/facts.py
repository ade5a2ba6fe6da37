"""Each chapter's numbers, as one function per chapter returning a mapping of glue names to values.

A chapter's first cell calls its function and glues every value; the prose cites them by name.
Every function takes the cut-off date the chapter was run with (``None``: the data's own) and
reads the tables as of that date. A number that has no value at that date (the crisis it
counts had not begun, say) is :data:`ABSENT` rather than an error, so that a chapter re-run with
an earlier cut-off still runs top to bottom; at the data's own cut-off no value is absent
(a test checks it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pandas as pd

from .agreement import wilson_interval
from .chapter_tables import response_rank, sensitivity
from .evidence import (
    ALIGNMENT,
    SOURCE_TEXTS,
    article4_gap,
    article4_requests,
    chronology,
    contingents,
    crises,
    deployment_days,
    event_interval,
    figure_text,
    operation_timeline,
    protocol_ratifiers,
    reported_figures,
    vote_agreement,
    vote_alignment,
)
from .formatting import (
    ABSENT,
    NotInView,
    count_range,
    decimal_text,
    long_date,
    number_word,
    percent_text,
    range_text,
    series_text,
    share_text,
    whole,
)
from .load import as_of, load_table
from .memberships import (
    legal_member_count,
    member_counts,
    members_of_both,
    members_on,
    signatory_count,
    spells,
    state_status,
)
from .package import chronology_complete_date, cutoff_text, inclusion_rule, package_summary, source_count

Cutoff = str | dt.date | pd.Timestamp | None

#: The CSTO's members in Central Asia, and its members other than Russia and Belarus.
CENTRAL_ASIA = ("Kazakhstan", "Kyrgyzstan", "Tajikistan", "Uzbekistan")
ALLIES = ("Armenia", "Kazakhstan", "Kyrgyzstan", "Tajikistan")
#: The date of the SCO chapter's "then" snapshot.
SCO_THEN = "2004-07-01"


class Facts(dict[str, Any]):
    """Glue names to values; :meth:`put` records :data:`ABSENT` where the rows a value needs are missing."""

    def put(self, name: str, compute: Callable[[], Any]) -> None:
        """Set ``name`` to ``compute()``, or to :data:`ABSENT` if the rows it reads are not in the view.

        Absence is a :class:`LookupError` (a missing key or row, or :class:`~helpers.formatting.NotInView`
        raised where a value has nothing to be taken from); any other error is a fault and is raised.
        """
        try:
            self[name] = compute()
        except LookupError:
            self[name] = ABSENT


def _count(mask: pd.Series) -> int:
    return int(mask.sum())


def _none_or(n: int) -> str:
    return "no" if n == 0 else str(n)


def _and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def russia_gap(c: pd.DataFrame) -> pd.Series:
    """For each crisis, how many steps of the shared scale Russia's own response stood above the CSTO's."""
    return pd.Series([response_rank(r) - response_rank(s) for r, s in zip(c["russia_level"], c["csto_response"])],
                     index=c.index, dtype=int)


def russia_party(c: pd.DataFrame) -> pd.Series:
    """For each crisis, whether Russia was itself a party (its own crises and wars)."""
    return c["affected"].map(lambda states: "RUS" in tuple(states))


def building_steps() -> pd.DataFrame:
    """The chronology's events of the origins and institution-building themes."""
    steps = chronology()
    return steps[steps["theme"].isin(["origins", "institution_building"])]


def intro(cutoff: Cutoff = None) -> Facts:
    """The introduction's numbers."""
    f = Facts()
    with as_of(cutoff) as day:
        c = crises()
        f.put("i_n_crises", lambda: len(c))
        f.put("i_deployment_days", deployment_days)
        f.put("i_cutoff", cutoff_text)
        f.put("i_chronology_complete", lambda: long_date(chronology_complete_date()))
        f.put("i_n_requests", lambda: _count(c["asked_csto"]))
        f.put("i_n_asked_russia", lambda: number_word(_count(c["asked_russia"])))
        f.put("i_russia_years", lambda: series_text(sorted({str(y) for y in c.loc[c["asked_russia"], "year"]})))
        f.put("i_csto_now", lambda: legal_member_count("CSTO", day))
        f.put("i_cst_1992", lambda: signatory_count("CST", "1992-05-15"))
        f.put("i_cst_1994", lambda: legal_member_count("CST", "1994-04-20"))
        f.put("i_csto_max", lambda: int(member_counts("CSTO")["count"].max()))
        f.put("i_first_year", lambda: int(c["year"].min()))
        f.put("i_last_year", lambda: int(c["year"].max()))
        f.put("i_sco_now", lambda: legal_member_count("SCO", day))
        f.put("i_n_resolutions", lambda: vote_alignment()["resolution_id"].nunique())
    return f


def origins(cutoff: Cutoff = None) -> Facts:
    """The numbers of *Origins*."""
    f = Facts()
    with as_of(cutoff) as day:
        f.put("cst_signatories_1992", lambda: signatory_count("CST", "1992-05-15"))
        f.put("cst_signatories_1993", lambda: signatory_count("CST", "1993-12-31"))
        f.put("cst_parties_1994", lambda: legal_member_count("CST", "1994-04-20"))
        f.put("cst_parties_1999", lambda: legal_member_count("CST", "1999-04-21"))
        f.put("csto_members_2003", lambda: legal_member_count("CSTO", "2003-09-18"))
        f.put("csto_members_2008", lambda: legal_member_count("CSTO", "2008-01-01"))
        f.put("csto_members_now", lambda: legal_member_count("CSTO", day))
        f.put("cutoff_text", cutoff_text)
        steps = building_steps()
        f.put("n_steps", lambda: len(steps))
        f.put("n_steps_treaties", lambda: _count(steps["kind"] == "treaty_agreement"))
        def left_1999() -> pd.Series:
            cst = spells("CST")  # a LookupError before the treaty was signed: the numbers are absent
            return cst.loc[cst["end_reason"] == "non_renewal", "iso3"]

        def joined_1993() -> pd.Series:
            cst = spells("CST")
            return cst.loc[(cst["status"] == "signatory") & (cst["start_date"] > "1992-05-15"), "iso3"]

        f.put("cst_accessions_1993", lambda: len(joined_1993()))
        f.put("n_left_1999", lambda: len(left_1999()))
        f.put("n_late_left", lambda: _count(left_1999().isin(joined_1993())))
        f.put("n_tashkent_left", lambda: _count(~left_1999().isin(joined_1993())))
        f.put("csto_max_members", lambda: int(member_counts("CSTO")["count"].max()))
        f.put("n_steps_to_charter", lambda: _count(steps["date"] <= "2002-10-07"))
        f.put("n_steps_after_charter", lambda: _count(steps["date"] > "2002-10-07"))
        f.put("n_steps_2009_2012", lambda: _count(steps["date"].dt.year.between(2009, 2012)))
        f.put("n_protocol_ratifiers", lambda: len(protocol_ratifiers()))
        f.put("belarus_holdout",
              lambda: event_interval("2009-06-14-belarus-boycott", "2009-10-20-belarus-signs-crrf"))
        f.put("n_alma_ata", lambda: number_word(
            len(steps.set_index("event_id").loc["1991-12-21-alma-ata-protocol", "states"])))
    return f


#: The two four-year windows the capabilities chapter compares the CSTO's exercises in.
EXERCISE_WINDOWS = ((2018, 2021), (2022, 2025))


def capabilities(cutoff: Cutoff = None) -> Facts:
    """The numbers of *What the alliance has* (``helpers.capabilities``)."""
    from . import capabilities as cap
    from . import security

    f = Facts()
    with as_of(cutoff) as day:
        forces = cap.forces()
        kind = forces["kind"].astype(str)
        f.put("n_forces", lambda: len(forces))
        f.put("n_collective", lambda: number_word(_count(kind == "collective")))
        f.put("n_regional", lambda: number_word(_count(kind == "regional")))
        f.put("n_air_defence", lambda: number_word(_count(kind == "air_defence")))
        f.put("n_bilateral_ads", lambda: number_word(_count((kind == "air_defence")
                                                           & (forces["parties"].map(len) == 2))))
        for force_id in ("CRDF", "CRRF", "CPF"):
            key = force_id.lower()
            f.put(f"{key}_sizes", lambda force_id=force_id: range_text(*cap.size_range(force_id)))
            f.put(f"{key}_n_sizes", lambda force_id=force_id: number_word(
                len(cap.force_sizes().query("force_id == @force_id"))))
        f.put("crrf_russia", lambda: range_text(*cap.size_range("CRRF", "russia_personnel")))
        f.put("rbg_russia", lambda: range_text(*cap.size_range("RBG", "russia_personnel")))
        f.put("n_sizes", lambda: len(load_table("force_sizes")))
        bases = cap.bases()
        by_id = bases.set_index("base_id")
        f.put("n_bases", lambda: len(bases))
        f.put("n_base_hosts", lambda: number_word(bases["host"].nunique()))
        f.put("base_hosts_and", lambda: series_text(sorted(bases["host_name"].unique())))
        f.put("n_bases_kgz", lambda: number_word(_count(bases["host"] == "KGZ")))
        for base_id, key in (("TJK-201", "tjk201"), ("ARM-102", "arm102"), ("KGZ-KANT", "kant")):
            f.put(f"{key}_personnel", lambda base_id=base_id: range_text(*cap.personnel_range(base_id)))
            f.put(f"{key}_term", lambda base_id=base_id: whole(by_id.loc[base_id, "term_end"]))
        f.put("n_personnel", lambda: len(cap.base_personnel()))
        f.put("last_term", lambda: whole(bases["term_end"].max()))
        x = security.exercises()
        csto = x[x["organization"] == "CSTO"]
        status = csto["status"].astype(str)
        f.put("n_csto_exercises", lambda: len(csto))
        f.put("n_csto_held", lambda: _count(status == "held"))
        f.put("n_csto_called_off", lambda: number_word(_count(status == "called_off")))
        f.put("n_csto_announced", lambda: number_word(_count(status == "announced")))
        f.put("n_csto_series", lambda: number_word(csto["series"].nunique()))
        f.put("first_csto_exercise", lambda: whole(csto["year"].min()))
        last = security.last_year(day)
        for first, final in EXERCISE_WINDOWS:
            def held_in(first: int = first, final: int = final) -> int:
                if last < final:
                    raise NotInView(f"the record ends in {last}, before {final}")
                return _count((status == "held") & csto["year"].between(first, final))
            f.put(f"n_held_{first}_{final}", held_in)
        f.put("n_called_off_since_2022", lambda: number_word(len(cap.called_off(2022))))
        held = csto[status == "held"]
        armenia = held["participants"].map(lambda states: "ARM" in tuple(states))
        f.put("n_armenia_before_2023", lambda: _count(armenia & (held["year"] < 2023)))
        f.put("n_armenia_since_2023", lambda: number_word(_count(armenia & (held["year"] >= 2023))))
        f.put("n_held_since_2023", lambda: _count(held["year"] >= 2023))
        c = crises()
        gap = russia_gap(c)
        own = russia_party(c)
        hosts = cap.hosts_with_bases() - {"RUS"}
        in_host = c["affected"].map(lambda states: bool(hosts & set(states)))
        f.put("n_russia_more_others", lambda: _count(~own & (gap > 0)))
        f.put("n_russia_more_in_hosts", lambda: _count(~own & (gap > 0) & in_host))
        f.put("n_crises", lambda: len(c))
        f.put("cutoff_text", cutoff_text)
    return f


def _armenia(f: Facts, day: pd.Timestamp, legal: tuple[str, str], since: str) -> None:
    """Armenia's status in the CSTO on ``day``, in words, since when, and whether it is a legal member."""
    def arm() -> pd.Series:
        return state_status("CSTO", "ARM", day)

    f.put("armenia_status", lambda: str(arm()["status"]).replace("_", " "))
    f.put(since, lambda: long_date(arm()["start_date"]))
    f.put("armenia_legal", lambda: legal[0] if bool(arm()["legal_member"]) else legal[1])


#: The alliance-reliability rates the Failures chapter cites (berkemeier2018reassessing,
#: chiba2026reliable, leeds2000reevaluating), by how the prose names each.
RELIABILITY_RATES = (("after 1945", 0.22), ("for defence pacts", 0.41),
                     ("for alliances invoked by war over two centuries", 0.67),
                     ("once each treaty's specific promises are taken into account", 0.745))


def _rates_within(k: int, n: int) -> str:
    """Which of the literature's rates the 95 per cent interval of ``k`` in ``n`` takes in, in prose."""
    low, high = wilson_interval(k, n)
    inside = [name for name, rate in RELIABILITY_RATES if low <= rate <= high]
    outside = [name for name, rate in RELIABILITY_RATES if not low <= rate <= high]
    if not outside:
        return "every rate the literature reports"
    if not inside:
        return "none of the rates the literature reports"
    return (f"the rate{'s' if len(inside) > 1 else ''} found {series_text(inside)}, "
            f"but not the rate{'s' if len(outside) > 1 else ''} found {series_text(outside)}")


def _interval_text(k: int, n: int) -> str:
    """The 95 per cent Wilson interval of a share in prose: 'between 3 and 56 per cent'."""
    if n == 0:
        raise NotInView("no cases in the view")
    low, high = wilson_interval(k, n)
    return f"between {percent_text(low).split()[0]} and {percent_text(high)}"


def failures(cutoff: Cutoff = None) -> Facts:
    """The numbers of *Failures*."""
    f = Facts()
    with as_of(cutoff) as day:
        c = crises()
        asked, to_russia = c[c["asked_csto"]], c[c["asked_russia"]]
        unasked = c[c["request_to"].astype(str) == "none"]
        level, rationale = c["csto_response"].astype(str), c["rationale_type"].astype(str)
        f.put("n_crises", lambda: len(c))
        f.put("first_year", lambda: int(c["year"].min()))
        f.put("last_year", lambda: int(c["year"].max()))
        f.put("n_requests", lambda: len(asked))
        for name, kind in [("n_deployments", "collective_deployment"), ("n_missions", "mission"),
                           ("n_consultations", "consultations"), ("n_statements", "statement"),
                           ("n_nothing", "none")]:
            f.put(name, lambda kind=kind: _count(level == kind))
        f.put("n_requests_deployed",
              lambda: _count(asked["csto_response"].astype(str) == "collective_deployment"))
        for kind in ["internal_affair", "not_member_territory", "disputed_border", "conflict_between_members",
                     "aggression_from_abroad", "other", "none_given", "partner_on_other_side"]:
            f.put(f"n_rationale_{kind}", lambda kind=kind: _count(rationale == kind))
        f.put("n_interstate_members", lambda: _count(c["crisis_type"].astype(str) == "interstate_members"))
        f.put("n_none_given_requested", lambda: _count(asked["rationale_type"].astype(str) == "none_given"))
        f.put("n_no_request", lambda: len(unasked))
        ob = c["obligation"].astype(str)
        art4 = c[ob == "article4"]
        f.put("n_article4", lambda: _count(ob == "article4"))
        f.put("n_article2", lambda: _count(ob == "article2"))
        f.put("n_no_obligation", lambda: _count(ob == "none"))
        f.put("n_article4_asked", lambda: _count(art4["asked_csto"]))
        f.put("n_article4_deployed", lambda: _count(art4["csto_response"].astype(str) == "collective_deployment"))
        f.put("n_article4_unasked", lambda: number_word(len(art4) - _count(art4["asked_csto"])))
        gap = russia_gap(c)
        f.put("n_russia_more", lambda: _count(gap > 0))
        f.put("n_csto_more", lambda: _count(gap < 0))
        f.put("n_same_level", lambda: _count(gap == 0))
        f.put("n_russia_deployed_alone",
              lambda: _count((c["russia_level"].astype(str) == "deployment")
                             & (c["csto_response"].astype(str) != "collective_deployment")))
        f.put("n_no_request_at_most_statement",
              lambda: _count(unasked["csto_response"].astype(str).isin(["none", "statement"])))
        f.put("n_requests_above_statement",
              lambda: _count(~asked["csto_response"].astype(str).isin(["none", "statement"])))
        f.put("n_requests_2021_2022", lambda: _count(asked["year"].isin([2021, 2022])))
        f.put("n_requests_article4", lambda: _count(asked["treaty_article"].eq(4)))
        f.put("n_requests_armenia", lambda: _count(asked["requesting_state"] == "ARM"))
        f.put("n_asked_russia", lambda: number_word(len(to_russia)))
        f.put("russia_years", lambda: series_text(sorted({str(y) for y in to_russia["year"]})))
        f.put("n_excluded", lambda: len(load_table("crisis_exclusions")))
        f.put("n_unasked_beyond_second", lambda: number_word(int(
            sensitivity().set_index("version").iloc[1]["unasked, beyond a statement"])))
        helped = art4["csto_response"].astype(str).isin(["mission", "collective_deployment"])
        f.put("n_article4_helped", lambda: _count(helped))
        for name, k in [("deployed", _count(art4["csto_response"].astype(str) == "collective_deployment")),
                        ("helped", _count(helped))]:
            f.put(f"article4_{name}_share", lambda k=k: share_text(k, len(art4)))
            f.put(f"article4_{name}_interval", lambda k=k: _interval_text(k, len(art4)))
            f.put(f"article4_{name}_rates", lambda k=k: _rates_within(k, len(art4)))
        own = russia_party(c)  # Russia's own crises and wars
        f.put("n_russia_own", lambda: _count(own))
        f.put("n_russia_more_own", lambda: _count(own & (gap > 0)))
        f.put("n_russia_more_others", lambda: _count(~own & (gap > 0)))
        f.put("n_csto_more_others", lambda: _count(~own & (gap < 0)))
        f.put("n_russia_deployed_alone_others",
              lambda: _count(~own & (c["russia_level"].astype(str) == "deployment")
                             & (c["csto_response"].astype(str) != "collective_deployment")))
        f.put("article4_gap", article4_gap)
        dead = c.set_index("crisis_id")
        for cid, key in {"kgz-2010-osh": "osh", "kaz-2011-zhanaozen": "zhanaozen", "kgz-tjk-2021-april": "kgtj2021",
                         "kgz-tjk-2022-september": "kgtj2022", "arm-2022-september": "arm2022",
                         "tjk-2010-rasht": "rasht"}.items():
            f.put(f"dead_low_{key}", lambda cid=cid: int(dead.loc[cid, "fatalities_low"]))
            f.put(f"dead_high_{key}", lambda cid=cid: int(dead.loc[cid, "fatalities_high"]))
            f.put(f"dead_{key}", lambda cid=cid: count_range(int(dead.loc[cid, "fatalities_low"]),
                                                             int(dead.loc[cid, "fatalities_high"])))
        _armenia(f, day, ("a legal member", "not a legal member"), "armenia_status_since")
        f.put("cutoff_text", cutoff_text)
    return f


#: The Kazakhstan chapter's glue names for the figures of ``figures.csv``.
KAZAKHSTAN_FIGURES = {
    "official_personnel": "kaz-2022-official-personnel", "official_equipment": "kaz-2022-official-equipment",
    "price_tenge": "kaz-2022-gas-price", "zas_planned": "kaz-2022-planned-force",
    "rus_flights": "kaz-2022-russian-flights", "kgz_for": "kaz-2022-kgz-votes-for",
    "kgz_against": "kaz-2022-kgz-votes-against", "kgz_vehicles": "kaz-2022-kgz-vehicles",
    "bandits": "kaz-2022-bandits", "sites": "kaz-2022-sites-guarded", "freed": "kaz-2022-security-freed",
    "toll_first": "kaz-2022-toll-first", "toll_march": "kaz-2022-toll-march",
    "toll_security": "kaz-2022-toll-security", "toll_victims": "kaz-2022-victims",
    "toll_jan15": "kaz-2022-toll-225", "toll_ombudswoman": "kaz-2022-toll-ombudswoman",
}


#: The states whose contingents the Kazakhstan chapter discusses one by one.
CONTRIBUTORS_2022 = ("ARM", "BLR", "KGZ", "RUS", "TJK")


def kazakhstan_2022(cutoff: Cutoff = None) -> Facts:
    """The numbers of *Kazakhstan, January 2022*."""
    f = Facts()
    with as_of(cutoff):
        timeline, con = operation_timeline(), contingents()
        crisis_rows = crises().set_index("crisis_id")
        f.put("n_timeline_events", lambda: len(timeline))
        f.put("operation_days", lambda: whole(timeline["day"].max()))
        f.put("n_contributors", lambda: len(con))
        f.put("deployment_days", deployment_days)
        f.put("dead_text", lambda: count_range(int(crisis_rows.loc["kaz-2022-january", "fatalities_low"]),
                                               int(crisis_rows.loc["kaz-2022-january", "fatalities_high"])))
        f.put("request_date", lambda: long_date(crisis_rows.loc["kaz-2022-january", "request_date"]))
        f.put("article4_gap", article4_gap)
        low, high = int(con["personnel_low"].sum()), int(con["personnel_high"].sum())
        f.put("sum_low", lambda: f"{low:,}")
        f.put("sum_high", lambda: f"{high:,}")
        for name, figure_id in KAZAKHSTAN_FIGURES.items():
            f.put(name, lambda figure_id=figure_id: figure_text(figure_id))
        figures = reported_figures()

        def official() -> int:
            return int(figures.loc["kaz-2022-official-personnel", "value"])

        f.put("excess_low", lambda: f"{low - official():,}")
        f.put("excess_high", lambda: f"{high - official():,}")
        by_state = con.set_index("iso3")
        for iso in CONTRIBUTORS_2022:
            f.put(f"pers_{iso}", lambda iso=iso: range_text(int(by_state.loc[iso, "personnel_low"]),
                                                            int(by_state.loc[iso, "personnel_high"])))
        two = by_state.loc[["RUS", "BLR"]] if {"RUS", "BLR"} <= set(by_state.index) else by_state.iloc[:0]
        f.put("rus_blr", lambda: range_text(int(two["personnel_low"].sum()), int(two["personnel_high"].sum())))
        small = by_state.drop(["RUS", "BLR"], errors="ignore")
        f.put("implied", lambda: count_range(official() - int(small["personnel_high"].sum()),
                                             official() - int(small["personnel_low"].sum())))
        f.put("rus_days", lambda: whole(by_state.loc["RUS", "days_deployed"]))
        others = by_state.drop("RUS", errors="ignore")["days_deployed"].dropna()
        f.put("others_days_min", lambda: whole(others.min()))
        f.put("others_days_max", lambda: whole(others.max()))
        dates = chronology().set_index("event_id")["date"]

        def days_to_war(start: str) -> int:
            return (dates["2022-02-24-russia-invades-ukraine"] - dates[start]).days

        f.put("n_contributors_word", lambda: number_word(len(con)))
        f.put("days_to_war", lambda: days_to_war("2022-01-06-csc-decision-article4"))
        f.put("weeks_to_war", lambda: number_word(days_to_war("2022-01-06-csc-decision-article4") // 7))
        f.put("days_after_withdrawal", lambda: days_to_war("2022-01-19-withdrawal-completed"))
        f.put("osh_low", lambda: int(crisis_rows.loc["kgz-2010-osh", "fatalities_low"]))
        f.put("osh_high", lambda: int(crisis_rows.loc["kgz-2010-osh", "fatalities_high"]))
    return f


def sco_overlap(cutoff: Cutoff = None) -> Facts:
    """The numbers of *The SCO overlap*."""
    from . import network  # networkx is imported only by the chapters that draw networks

    f = Facts()
    orgs = list(network.DEFAULT_ORGS)
    with as_of(cutoff) as day:
        then, now = network.membership_graph(SCO_THEN, orgs), network.membership_graph(day, orgs)
        overlap = network.alliance_sco_overlap(day)
        by_year = overlap.set_index("year")
        weights, weights_then = network.org_projection(now), network.org_projection(then)
        bridges, then_bridges = network.bridging_states(now), network.bridging_states(then)
        matrix = network.membership_matrix(day, orgs)
        most = bridges["organizations"].max()
        top = list(bridges.loc[bridges["organizations"] == most, "state"])
        peak = overlap.loc[overlap["jaccard"] == overlap["jaccard"].max(), "year"]
        f.put("n_orgs", lambda: number_word(len(orgs)))
        f.put("n_orgs_cap", lambda: number_word(len(orgs)).capitalize())
        f.put("jaccard_2004", lambda: decimal_text(network.jaccard(then, "CSTO", "SCO")))
        f.put("jaccard_now", lambda: decimal_text(network.jaccard(now, "CSTO", "SCO")))
        f.put("jaccard_max", lambda: decimal_text(overlap["jaccard"].max()))
        f.put("overlap_2004", lambda: decimal_text(network.overlap_coefficient(then, "CSTO", "SCO")))
        f.put("overlap_now", lambda: decimal_text(network.overlap_coefficient(now, "CSTO", "SCO")))
        f.put("shared_now", lambda: int(overlap["shared"].iloc[-1]))
        f.put("sco_members_now", lambda: int(overlap["members_b"].iloc[-1]))
        f.put("csto_members_now", lambda: int(overlap["members_a"].iloc[-1]))
        for other in ["SCO", "CIS", "EAEU"]:
            f.put(f"csto_{other.lower()}_shared_now", lambda other=other: int(weights.edges["CSTO", other]["weight"]))
        f.put("n_bridges_5", lambda: _count(bridges["organizations"] >= 5))
        f.put("top_bridges", lambda: ", ".join(top) if top else ABSENT)
        f.put("n_sco_partners", lambda: _count(matrix["SCO"] == "partner"))
        f.put("cutoff_text", cutoff_text)
        _functions(f, day)
        f.put("shared_2001", lambda: int(by_year.loc[2001, "shared"]))
        f.put("shared_2004", lambda: int(by_year.loc[2004, "shared"]))
        f.put("sco_members_2004", lambda: int(by_year.loc[2004, "members_b"]))
        f.put("peak_first", lambda: whole(peak.min()))
        f.put("before_peak", lambda: whole(peak.min()) - 1)
        f.put("peak_last", lambda: whole(peak.max()))
        f.put("jaccard_2017", lambda: decimal_text(by_year.loc[2017, "jaccard"]))
        f.put("jaccard_min", lambda: decimal_text(overlap["jaccard"].min()))
        f.put("jaccard_min_year", lambda: whole(overlap.set_index("year")["jaccard"].idxmin()
                                                if len(overlap) else None))
        f.put("n_memberships_2004", lambda: int(then_bridges["organizations"].sum()))
        f.put("n_memberships_now", lambda: int(bridges["organizations"].sum()))
        f.put("n_states_2004", lambda: len(then_bridges))
        f.put("n_states_now", lambda: len(bridges))
        f.put("max_orgs_2004", lambda: int(then_bridges["organizations"].max()))
        top_then = list(then_bridges.loc[then_bridges["organizations"] == then_bridges["organizations"].max(), "state"])
        f.put("top_bridges_2004_and", lambda: _and_list(top_then))
        f.put("n_orgs_now", lambda: number_word(len(matrix.columns)))
        f.put("n_bridges_3", lambda: _count(bridges["organizations"] >= 3))
        f.put("n_pairs", lambda: len(orgs) * (len(orgs) - 1) // 2)
        f.put("linked_pairs_2004", lambda: len(weights_then.edges))
        f.put("linked_pairs_now", lambda: len(weights.edges))
        f.put("n_matrix_states", lambda: len(matrix))
        f.put("top_bridges_and", lambda: _and_list(top))
        f.put("max_orgs_now", lambda: int(most))
    return f


#: The year the SCO chapter reports the shared functions for, besides the cut-off.
FUNCTIONS_THEN = 2009


def _functions(f: Facts, day: pd.Timestamp) -> None:
    """The SCO chapter's numbers on what the two organizations do (``helpers.security``)."""
    from . import security

    last = security.last_year(day)
    rows = load_table("security_functions")
    x = security.exercises()
    held = x[x["status"] == "held"]
    f.put("n_function_rows", lambda: len(rows))
    f.put("n_exercises", lambda: len(x))
    f.put("n_function_kinds", lambda: number_word(len(security.FUNCTIONS)))
    overlap = security.functional_overlap(security.FIRST_YEAR, last).set_index("year")
    f.put("functions_then_year", lambda: FUNCTIONS_THEN if FUNCTIONS_THEN <= last else ABSENT)
    f.put("shared_functions_then", lambda: number_word(int(overlap.loc[FUNCTIONS_THEN, "both"])))
    f.put("shared_functions_now", lambda: number_word(int(overlap.loc[last, "both"])))
    f.put("csto_functions_now", lambda: number_word(int(overlap.loc[last, "CSTO"])))
    f.put("sco_functions_now", lambda: number_word(int(overlap.loc[last, "SCO"])))
    f.put("n_csto_held", lambda: _count(held["organization"] == "CSTO"))
    f.put("n_sco_held", lambda: _count(held["organization"] == "SCO"))
    sco_years = set(held.loc[held["organization"] == "SCO", "year"])
    f.put("sco_gap_years", lambda: number_word(len(set(range(whole(min(sco_years, default=None)), last + 1))
                                                   - sco_years)))
    f.put("sco_first_exercise", lambda: whole(min(sco_years, default=None)))
    pm = held[held["series"] == "Peace Mission"]
    f.put("last_peace_mission", lambda: whole(pm["year"].max()))
    off = x[(x["status"] == "called_off") & (x["year"] >= 2022)]
    f.put("n_called_off_since_2022", lambda: number_word(len(off)))


def after_2022(cutoff: Cutoff = None) -> Facts:
    """The numbers of *After 2022*."""
    f = Facts()
    with as_of(cutoff) as day:
        votes = vote_alignment()
        tally = vote_tally()
        central = votes[votes["state"].isin(CENTRAL_ASIA)]
        f.put("n_resolutions", lambda: votes["resolution_id"].nunique())
        f.put("n_votes", lambda: len(votes))
        f.put("central_with_russia", lambda: _count(central["alignment"] == "with Russia"))
        f.put("central_against", lambda: _count(central["alignment"] == "against Russia"))
        f.put("armenia_with_russia", lambda: int(tally.loc["Armenia", "with Russia"]))
        f.put("belarus_with_russia", lambda: int(tally.loc["Belarus", "with Russia"]))
        f.put("belarus_votes", lambda: int(tally.loc["Belarus"].sum()))
        f.put("n_after_events", lambda: len(chronology("after_2022")))
        f.put("n_armenia_steps", lambda: len(armenia_steps()))
        _armenia(f, day, ("a member in law", "no longer a member in law"), "armenia_since")
        f.put("cutoff_text", cutoff_text)
        members = ("Armenia", "Belarus", "Kazakhstan", "Kyrgyzstan", "Russia", "Tajikistan")
        n_states, n_res = votes["state"].nunique(), votes["resolution_id"].nunique()
        f.put("n_cells", lambda: n_states * n_res)
        f.put("n_missing", lambda: n_states * n_res - len(votes))
        f.put("n_missing_members", lambda: len(members) * n_res - _count(votes["state"].isin(members)))
        f.put("n_war_resolutions", lambda: votes.loc[votes["date"] >= "2022-01-01", "resolution_id"].nunique())
        rows = load_table("un_votes")
        single = rows["source_ids"].map(len) == 1
        f.put("n_single_source", lambda: _count(single))
        f.put("n_single_allies", lambda: _count(rows[single]["iso3"].isin(["ARM", "KAZ", "KGZ", "TJK"])))
        f.put("belarus_holdout",
              lambda: event_interval("2009-06-14-belarus-boycott", "2009-10-20-belarus-signs-crrf"))
        f.put("allies_against", lambda: int(tally.loc[list(ALLIES), "against Russia"].sum()))
        f.put("allies_against_text", lambda: _none_or(int(tally.loc[list(ALLIES), "against Russia"].sum())))
        f.put("central_against_text", lambda: _none_or(_count(central["alignment"] == "against Russia")))
        f.put("central_members_with_russia", lambda: int(tally.loc[list(ALLIES[1:]), "with Russia"].sum()))
        for state, key in {"Armenia": "arm", "Kazakhstan": "kaz", "Kyrgyzstan": "kgz", "Tajikistan": "tjk"}.items():
            f.put(f"{key}_abstained", lambda state=state: int(tally.loc[state, "abstained"]))
            f.put(f"{key}_votes", lambda state=state: int(tally.loc[state].sum()))
        _baseline(f)
        res = load_table("resolutions").set_index("resolution_id")
        for rid, key in {"es-11-1": "aggression", "es-11-3": "hrc", "es-11-4": "annex"}.items():
            for col in ["yes", "no", "abstain"]:
                f.put(f"{key}_{col}", lambda rid=rid, col=col: int(res.loc[rid, col]))
    return f


#: The day the war divides the vote record at.
WAR_START = pd.Timestamp("2022-02-24")


def _matched(a: pd.DataFrame, state: str, series: str, since: bool | None = None) -> str:
    """``"same of known"`` for one state and series (``since``: only from the war's start, or only before it)."""
    rows = a[(a["state"] == state) & (a["series"] == series)]
    if since is not None:
        rows = rows[(rows["year"] >= WAR_START.year) == since]
    if rows.empty or int(rows["votes"].sum()) == 0:
        raise LookupError(f"no known vote of {state} on {series}")
    return f"{int(rows['same'].sum())} of {int(rows['votes'].sum())}"


def _baseline(f: Facts) -> None:
    """After 2022's numbers on the votes against a baseline of comparison states."""
    res = load_table("resolutions")
    a = vote_agreement(by=("state", "series", "year", "group"))
    f.put("n_comparison_states", lambda: number_word(a.loc[a["group"] == "comparison state", "state"].nunique()))
    f.put("n_idp_texts", lambda: _count(res["series"] == "georgia_idp"))
    f.put("n_crimea_texts", lambda: _count(res["series"] == "crimea_rights"))
    f.put("n_complete_lists", lambda: _count(res["no_list_complete"].fillna(False).astype(bool)))

    def full(series: str, since: bool) -> str:
        rows = a[(a["series"] == series) & ((a["year"] >= WAR_START.year) == since)]
        by = rows.groupby("state")[["same", "votes"]].sum()
        return _and_list(sorted(by.index[(by["votes"] > 0) & (by["same"] == by["votes"])]))

    f.put("crimea_full_before_and", lambda: full("crimea_rights", False))
    f.put("crimea_full_since_and", lambda: full("crimea_rights", True))
    # The counts the prose names: state, series, and the period (before the war, since it, or all).
    for key, state, series, since in [
        ("arm_idp_before", "Armenia", "georgia_idp", False), ("blr_idp_before", "Belarus", "georgia_idp", False),
        ("kaz_crimea_since", "Kazakhstan", "crimea_rights", True), ("ind_crimea_since", "India", "crimea_rights", True),
        ("srb_crimea_since", "Serbia", "crimea_rights", True), ("kaz_ukr_all", "Kazakhstan", "ukraine", None),
        ("uzb_ukr_all", "Uzbekistan", "ukraine", None), ("chn_ukr_all", "China", "ukraine", None),
    ]:
        f.put(key, lambda s=state, se=series, w=since: _matched(a, s, se, w))
    central = a[a["state"].isin(ALLIES[1:]) & (a["series"] == "georgia_idp")]
    f.put("idp_central_same", lambda: "none" if central["same"].sum() == 0 else number_word(int(central["same"].sum())))
    f.put("idp_central_known", lambda: int(central["votes"].sum()))


def vote_tally() -> pd.DataFrame:
    """Each state's votes on the Ukraine resolutions, counted by alignment with Russia's vote."""
    return (vote_alignment().groupby(["state", "alignment"], observed=False).size().unstack(fill_value=0)
            .reindex(columns=list(ALIGNMENT)))


def armenia_steps() -> pd.DataFrame:
    """The chronology's events involving Armenia from November 2022 on."""
    recent = chronology().query("date >= '2022-11-01'")
    return recent[recent["states"].map(lambda s: "ARM" in s)]


def conclusion(cutoff: Cutoff = None) -> Facts:
    """The numbers of the conclusion."""
    f = Facts()
    with as_of(cutoff) as day:
        claims = load_table("claims")
        seed_claims = claims[claims["source_id"].isin(list(SOURCE_TEXTS))]
        f.put("n_points", lambda: claims["claim_id"].nunique())
        f.put("n_seed_versions", lambda: len(seed_claims))
        f.put("n_contradicted", lambda: _count(seed_claims["verdict"] == "contradicted"))
        f.put("n_judgement", lambda: _count(seed_claims["verdict"] == "judgement"))
        f.put("c_cutoff", cutoff_text)
        c = crises()
        f.put("c_n_crises", lambda: len(c))
        f.put("c_n_requests", lambda: _count(c["asked_csto"]))
        f.put("c_n_article4", lambda: number_word(len(article4_requests())).capitalize())
        f.put("c_article4_gap", article4_gap)
        def csto_now() -> pd.Series:
            return members_on("CSTO", day, legal_members_only=True)["iso3"]

        f.put("c_csto_now", lambda: len(csto_now()))
        f.put("c_in_sco", lambda: _count(csto_now().isin(members_on("SCO", day, legal_members_only=True)["iso3"])))
        votes = vote_alignment()
        four = votes[votes["state"].isin(ALLIES)]
        f.put("c_n_resolutions", lambda: votes["resolution_id"].nunique())
        f.put("c_four_votes", lambda: len(four))
        for key, alignment in [("abstained", "abstained"), ("with", "with Russia"), ("absent", "absent")]:
            f.put(f"c_four_{key}", lambda alignment=alignment: _count(four["alignment"] == alignment))
        f.put("c_four_against", lambda: _none_or(_count(four["alignment"] == "against Russia")))
        f.put("c_n_ratifiers", lambda: len(protocol_ratifiers()))
    return f


def data_and_methods() -> Facts:
    """The numbers of *Data and methods*, which describes the data package as published."""
    f = Facts()
    summary = package_summary()
    events, c = chronology(), crises()
    f.put("n_tables", lambda: len(summary))
    f.put("n_rows", lambda: int(summary["rows"].sum()))
    f.put("n_sources", source_count)
    f.put("inclusion_rule", inclusion_rule)
    f.put("cutoff", cutoff_text)
    f.put("chronology_complete", lambda: long_date(chronology_complete_date()))
    f.put("n_events", lambda: len(events))
    f.put("first_event", lambda: long_date(events["date"].min()))
    f.put("last_event", lambda: long_date(events["date"].max()))
    f.put("n_crises", lambda: len(c))
    f.put("n_requests", lambda: _count(c["asked_csto"]))
    f.put("n_asked_russia", lambda: _count(c["asked_russia"]))
    f.put("n_claims", lambda: load_table("claims")["claim_id"].nunique())
    return f


#: Each executable chapter's document name and its facts function.
CHAPTER_FACTS: dict[str, Callable[..., Facts]] = {
    "intro": intro,
    "origins": origins,
    "capabilities": capabilities,
    "failures": failures,
    "kazakhstan-2022": kazakhstan_2022,
    "sco-overlap": sco_overlap,
    "after-2022": after_2022,
    "conclusion": conclusion,
}


def your_question(first: str, second: str, date: str | dt.date | pd.Timestamp) -> Facts:
    """The numbers of *Asking your own question*: legal members of both organizations on a date and the day before."""
    day = pd.Timestamp(date).normalize()
    f = Facts()
    f.put("q_date", lambda: long_date(day))
    f.put("q_count", lambda: number_word(len(members_of_both(first, second, day))))
    f.put("q_day_before", lambda: number_word(len(members_of_both(first, second, day - pd.Timedelta(days=1)))))
    return f
