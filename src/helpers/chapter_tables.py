"""The frames behind the chapters' tables, one function each; the chapters add the caption and label."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from .evidence import SOURCE_TEXTS, chronology, crises, response_counts, vote_agreement
from .formatting import date_text, long_date, range_text
from .load import load_table
from .memberships import spells
from .vocabulary import words

if TYPE_CHECKING:
    import networkx as nx

_DEPARTURES = ["non_renewal", "suspension", "withdrawal"]


def _words(values: pd.Series) -> pd.Series:
    """Category codes as the prose writes them ("collective_deployment" -> "collective deployment")."""
    return values.astype(str).str.replace("_", " ")


def signatories_and_departures() -> pd.DataFrame:
    """Each state that signed the treaty or the Charter, when it first signed, and when it left (Origins).

    Columns: ``state``, ``first signed``, ``departures`` (each way of leaving and its date,
    "; "-separated; a suspension is dated from its start).
    """
    cst = spells(["CST", "CSTO"])
    signed = cst[cst["status"].isin(["signatory", "member"])]
    first = signed.groupby("state").agg(first_signed=("start_date", "min")).reset_index()
    left = cst[cst["end_reason"].isin(_DEPARTURES) | (cst["status"] == "suspended")]
    exits = {
        state: "; ".join(
            f"suspended {long_date(r.start_date)}" if r.status == "suspended"
            else f"{str(r.end_reason).replace('_', '-')} {long_date(r.end_date)}"
            for r in rows.itertuples()
        )
        for state, rows in left.groupby("state")
    }
    table = first.sort_values(["first_signed", "state"])
    table["first signed"] = table["first_signed"].map(long_date)
    table["departures"] = [exits.get(state, "") for state in table["state"]]
    return table[["state", "first signed", "departures"]]


def requests_and_responses() -> pd.DataFrame:
    """The formal requests for help, to the CSTO or to Russia alone, and what the CSTO did (Failures)."""
    c = crises()
    appeals = c[c["request_to"].astype(str) != "none"]
    out = appeals.assign(
        asked=appeals["request_to"].astype(str).map({"csto": "CSTO", "russia": "Russia alone"}),
        date=appeals["request_date"].map(long_date),
        response=_words(appeals["csto_response"]),
        reason=_words(appeals["rationale_type"]),
    )
    return out[["name", "requesting_state_name", "asked", "date", "request_basis", "response", "reason"]].rename(
        columns={"requesting_state_name": "asked by", "request_basis": "basis invoked", "response": "CSTO response"}
    )


def bridging_states_table(graph: nx.Graph, at_least: int = 3) -> pd.DataFrame:
    """States that are legal members of ``at_least`` of the graph's organizations (The SCO overlap)."""
    from . import network  # networkx is imported only by the chapters that draw networks

    bridges = network.bridging_states(graph)
    bridges = bridges[bridges["organizations"] >= at_least]
    return bridges.assign(**{"member of": bridges["belongs_to"].str.replace("UNION_STATE", "Union State")})[
        ["state", "organizations", "member of"]]


def verdicts_on_the_csto() -> pd.DataFrame:
    """Each text's verdict on what the CSTO is, from the claims table (Conclusion)."""
    claims = load_table("claims")
    nature = claims[claims["claim_id"] == "csto-nature"]
    return pd.DataFrame({
        "text": nature["source_id"].map(SOURCE_TEXTS).fillna(nature["source_id"]),
        "where": nature["locator"],
        "verdict on the CSTO": nature["version"],
    }).reset_index(drop=True)


def source_text_scorecard() -> pd.DataFrame:
    """The five source texts' checkable claims counted by the book's verdict (Conclusion)."""
    claims = load_table("claims")
    seed = claims[claims["source_id"].isin(list(SOURCE_TEXTS))]
    return (seed.assign(text=seed["source_id"].map(SOURCE_TEXTS), verdict=_words(seed["verdict"]))
            .groupby(["text", "verdict"]).size().unstack(fill_value=0).reset_index())


def events_by_theme() -> pd.DataFrame:
    """Events in the chronology, by theme (Data and methods)."""
    return (chronology().groupby("theme", observed=False).size().rename("events").reset_index()
            .assign(theme=lambda d: _words(d["theme"])))


def responses_by_request() -> pd.DataFrame:
    """Crises by the highest CSTO response and whom a member asked (Data and methods)."""
    counts = response_counts().reset_index()
    counts["csto_response"] = _words(counts["csto_response"])
    return counts.rename(columns={"csto_response": "highest CSTO response"})


#: The response scale shared by the CSTO and Russia, lowest first.
RESPONSE_SCALE = ("none", "statement", "consultations", "mission", "deployment")


def response_rank(value: object) -> int:
    """A response's place on the shared scale (the CSTO's collective deployment ranks as a deployment)."""
    text = "deployment" if str(value) == "collective_deployment" else str(value)
    return RESPONSE_SCALE.index(text)


def obligations_and_responses() -> pd.DataFrame:
    """Each crisis: the Treaty obligation it engaged, what the CSTO and Russia did, and the reason (Failures).

    Ordered by obligation (Article 4, Article 2, none), then date.
    """
    c = crises()
    order = {"article4": 0, "article2": 1, "none": 2}
    out = c.assign(
        ob=c["obligation"].astype(str).map(order),
        obligation=c["obligation"].astype(str).map({"article4": "Article 4", "article2": "Article 2",
                                                    "none": "neither"}),
        asked=c["request_to"].astype(str).map({"csto": "the CSTO", "russia": "Russia alone", "none": "no one"}),
        csto=_words(c["csto_response"]),
        russia=_words(c["russia_level"]),
    ).sort_values(["ob", "start_date"])
    return out[["name", "year", "obligation", "asked", "csto", "russia"]].rename(
        columns={"asked": "request to", "csto": "CSTO response", "russia": "Russia's own response"})


#: The coded fields the second coder's codes replace in the sensitivity table.
_SECOND_CODED = ("request_to", "csto_response", "russia_level", "rationale_type", "obligation")
#: The day the CSTO's Charter entered into force: the sensitivity table's "Charter era".
CHARTER_IN_FORCE = pd.Timestamp("2003-09-18")


def headline_counts(c: pd.DataFrame) -> dict[str, int]:
    """The Failures chapter's headline counts for one version of the crises table."""
    level, asked = c["csto_response"].astype(str), c["request_to"].astype(str)
    art4 = c["obligation"].astype(str) == "article4"
    gap = [response_rank(r) - response_rank(s) for r, s in zip(c["russia_level"], c["csto_response"])]
    return {
        "crises": len(c),
        "requests to the CSTO": int((asked == "csto").sum()),
        "unasked, beyond a statement": int(((asked == "none") & ~level.isin(["none", "statement"])).sum()),
        "collective deployments": int((level == "collective_deployment").sum()),
        "Article 4 engaged": int(art4.sum()),
        "Article 4, help sent": int((art4 & level.isin(["mission", "collective_deployment"])).sum()),
        "Article 4, troops sent": int((art4 & (level == "collective_deployment")).sum()),
        "Russia went further": sum(g > 0 for g in gap),
        "CSTO went further": sum(g < 0 for g in gap),
    }


def sensitivity() -> pd.DataFrame:
    """The headline counts under the main alternative codings and universes (Failures).

    One row per version: the book's coding; the second coder's codes wherever the two codings
    differ; the violence gate alone (the external threshold); crises on a member's recognised
    territory only; the Charter era only; crises in which Russia was not itself a party.
    """
    c = crises()
    second = load_table("second_coding").set_index("crisis_id")
    alt = c.copy()
    for name in _SECOND_CODED:
        codes = (alt["crisis_id"].map(second[name].astype("string")) if len(second)
                 else pd.Series(pd.NA, index=alt.index))
        alt[name] = alt[name].astype(str).where(codes.isna(), codes)
    gates = c["inclusion"].astype(str).str.split(";")
    versions = {
        "As coded": c,
        "Second coder's codes": alt,
        "Violence gate only": c[gates.map(lambda g: "violence" in g)],
        "On members' territory only": c[c["place"].astype(str) == "member_territory"],
        "Charter era only": c[c["start_date"] >= CHARTER_IN_FORCE],
        "Russia not a party": c[c["affected"].map(lambda states: "RUS" not in tuple(states))],
    }
    rows = [{"version": name, **headline_counts(frame)} for name, frame in versions.items()]
    return pd.DataFrame(rows)


def sensitivity_by_count() -> pd.DataFrame:
    """:func:`sensitivity` turned for the page: one row per count, one column per version."""
    table = sensitivity().set_index("version").T
    table.index.name = "count"
    return table.reset_index()


def crisis_exclusions() -> pd.DataFrame:
    """The candidate crises the inclusion rule leaves out, with the gate each fails and why (Failures)."""
    x = load_table("crisis_exclusions").sort_values(["start_date", "candidate_id"])
    began = [date_text(d, p) for d, p in zip(x["start_date"], x["start_precision"].astype(str))]
    return pd.DataFrame({"candidate": x["name"], "began": began,
                         "gate failed": x["fails"].astype(str), "reason": x["reason"]})


#: The agreement table's column for each series of resolutions.
SERIES_HEADINGS = {"georgia_idp": "Georgia's displaced", "crimea_rights": "human rights in Crimea",
                   "ukraine": "Ukraine"}

#: The headings of the agreement table, by group on the data's cut-off.
GROUP_HEADINGS = {"member": "members", "former member": "former members", "comparison state": "comparison states"}


def vote_groups_now() -> dict[str, str]:
    """Each voting state's group heading on the last vote in the data (After 2022's table and figure)."""
    last = vote_agreement(by=("state", "group", "year")).sort_values("year").groupby("state").tail(1)
    order = list(GROUP_HEADINGS)
    last = last.sort_values(["group", "state"], key=lambda s: s.map(order.index) if s.name == "group" else s)
    return {r.state: GROUP_HEADINGS[str(r.group)] for r in last.itertuples()}


def vote_agreement_table() -> pd.DataFrame:
    """States (grouped as on the last vote) by series of resolutions: the votes that matched
    Russia's, "same of known", and the group heading (After 2022)."""
    a = vote_agreement(by=("state", "series"))
    a["cell"] = [f"{s} of {n}" for s, n in zip(a["same"], a["votes"])]
    wide = a.pivot(index="state", columns="series", values="cell").fillna("")
    groups = vote_groups_now()
    wide = wide.reindex(list(groups))
    series = [s for s in ("georgia_idp", "crimea_rights", "ukraine") if s in wide.columns]
    out = wide[series].rename(columns={s: SERIES_HEADINGS[s] for s in series})
    out.insert(0, "group", [groups[s] for s in out.index])
    return out.reset_index(names="state")


def bases_table() -> pd.DataFrame:
    """Russia's facilities in the members (What the alliance has): host, kind, first agreement,
    the end of the present term and the range of personnel figures reported, with their number."""
    from .capabilities import base_personnel, bases

    b = bases()
    people = base_personnel().groupby("base_id")["value"].agg(["min", "max", "size"])
    kinds = words("bases", "kind")

    def reported(base_id: str) -> str:
        if base_id not in people.index:
            return "none found"
        low, high, n = people.loc[base_id]
        return f"{range_text(int(low), int(high))} ({int(n)} figure{'s' if n > 1 else ''})"

    return pd.DataFrame({
        "facility": b["name"], "host": b["host_name"], "kind": b["kind"].map(lambda k: kinds.get(k, k)),
        "first agreement": [date_text(d, p) for d, p in zip(b["first_agreement"], b["first_precision"])],
        "term ends": b["term_end"].map(lambda y: "not in the record" if pd.isna(y) else str(int(y))),
        "personnel reported": b["base_id"].map(reported),
    })
