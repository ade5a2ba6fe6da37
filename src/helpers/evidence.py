"""Questions about the evidence base: crises and responses, the 2022 operation, UN votes."""

from __future__ import annotations

import textwrap

import pandas as pd

from .formatting import ABSENT, NotInView, date_text, interval_text, range_text, whole
from .load import as_of, data_cutoff, load_table
from .memberships import spells

#: How a vote stands against Russia's vote on the same resolution.
ALIGNMENT = ("with Russia", "absent", "abstained", "against Russia")


#: The five texts the book starts from (their keys in references.bib) and how the book names them.
SOURCE_TEXTS: dict[str, str] = {
    "ips2022future": "IPS Journal essay",
    "ambrosio2024lifeless": "Ambrosio",
    "krasheninnikov2022dw": "Krasheninnikov",
    "bohdan2020raisons": "Bohdan",
    "bescotti2017limits": "Bescotti",
}


def chronology(theme: str | None = None) -> pd.DataFrame:
    """The events, in date order (then by key), optionally of one theme."""
    events = load_table("events")
    if theme is not None:
        themes = list(events["theme"].cat.categories)
        if theme not in themes:
            raise KeyError(f"unknown theme {theme!r}; known: {themes}")
        events = events[events["theme"] == theme]
    return events.sort_values(["date", "event_id"], ignore_index=True)


def crises() -> pd.DataFrame:
    """The crises in date order, with the year and the requesting state's name.

    ``asked_csto`` is True where a member formally asked the CSTO for help and
    ``asked_russia`` where it asked Russia alone (both read from ``request_to``).
    """
    c = load_table("crises")
    names = load_table("states").set_index("iso3")["name"]
    c["year"] = c["start_date"].dt.year
    c["asked_csto"] = (c["request_to"] == "csto").astype(bool)
    c["asked_russia"] = (c["request_to"] == "russia").astype(bool)
    c["requesting_state_name"] = c["requesting_state"].map(names)
    return c.sort_values(["start_date", "crisis_id"], ignore_index=True)


def article4_requests() -> pd.DataFrame:
    """The requests to the CSTO that invoked Article 4 (mutual defence), in date order."""
    c = crises()
    c = c[c["asked_csto"] & c["treaty_article"].eq(4).fillna(False)]
    return c.sort_values("request_date", ignore_index=True)


def article4_gap() -> str:
    """The time between the two Article 4 requests, in prose ("251 days (about eight months)")."""
    dates = article4_requests()["request_date"]
    if len(dates) < 2:  # the second request is not yet in the view
        raise NotInView(f"the prose speaks of two Article 4 requests; the view holds {len(dates)}")
    if len(dates) != 2:
        raise ValueError(f"the prose speaks of two Article 4 requests; the data hold {len(dates)}")
    return interval_text(dates.iloc[0], dates.iloc[1])


def event_interval(first: str, second: str) -> str:
    """The time between two events of the chronology, named by ``event_id``, in prose."""
    dates = load_table("events").set_index("event_id")["date"]
    return interval_text(dates[first], dates[second])


def crisis_response_matrix() -> pd.DataFrame:
    """One row per crisis, one column per level of the response scale (lowest first).

    A cell is True where that level was the highest the CSTO's response reached.
    The index is the crisis name; ``request_to`` (none, csto or russia) is the first column.
    """
    c = crises()
    levels = list(c["csto_response"].cat.categories)
    matrix = pd.DataFrame(
        {level: c["csto_response"] == level for level in levels}
    )
    matrix.insert(0, "request_to", c["request_to"].astype(str).to_numpy())
    matrix.index = pd.Index(c["name"], name="crisis")
    return matrix


def response_counts() -> pd.DataFrame:
    """Crises counted by response level and by whom a member asked for help (if anyone)."""
    c = crises()
    table = pd.crosstab(c["csto_response"], c["request_to"].astype(str), dropna=False)
    table = table.reindex(columns=["csto", "russia", "none"], fill_value=0)
    table.columns = ["asked the CSTO", "asked Russia only", "no request"]
    return table


def operation_timeline(theme: str = "intervention_2022") -> pd.DataFrame:
    """The events of an operation in order, with the day count from the first event (day 0)."""
    events = chronology(theme)
    events["day"] = (events["date"] - events["date"].min()).dt.days
    return events


def contingents() -> pd.DataFrame:
    """Contingents with the state's name, largest first, and days deployed (where known)."""
    c = load_table("contingents")
    names = load_table("states").set_index("iso3")["name"]
    c.insert(1, "state", c["iso3"].map(names))
    c["days_deployed"] = (c["departure_date"] - c["arrival_date"]).dt.days.astype("Int64")
    return c.sort_values(["personnel_high", "iso3"], ascending=[False, True], ignore_index=True)


#: The event at which the 2021 coordinating-state protocol was signed.
COORDINATING_STATE_PROTOCOL = "2021-09-16-dushanbe-summit-peacekeeping-protocol"


def protocol_ratifiers(instrument: str = COORDINATING_STATE_PROTOCOL) -> list[str]:
    """ISO3 codes of the states on record as having ratified the instrument signed at event ``instrument``.

    They are the states of the events whose ``ratifies`` field names that event (parliamentary
    votes, laws, and lists of ratifications such as the Secretariat's of February 2023).
    """
    ev = load_table("events")
    return sorted(set(ev.loc[ev["ratifies"] == instrument, "states"].explode().dropna()))


def deployment_days() -> int:
    """Days from the first contingent's arrival to the last one's departure."""
    c = load_table("contingents")
    return whole((c["departure_date"].max() - c["arrival_date"].min()).days)


#: The series of General Assembly resolutions in the data, and how the prose names them.
VOTE_SERIES: dict[str, str] = {
    "ukraine": "Ukraine's territorial integrity and the war",
    "crimea_rights": "human rights in Crimea",
    "georgia_idp": "the displaced from Abkhazia and South Ossetia",
}

#: The groups a voting state falls in on the day of a vote, in the order tables show them.
VOTE_GROUPS = ("member", "former member", "comparison state")


def _vote_groups(votes: pd.DataFrame) -> pd.Series:
    """Each vote's group: a party to the Treaty in law on the day (member), a state that had been
    one before (former member), or a state that never was (comparison state)."""
    known = set(load_table("organizations")["org_id"])
    treaty = [o for o in ("CST", "CSTO") if o in known]
    s = spells(treaty) if treaty else pd.DataFrame(columns=["iso3", "start_date", "end_date", "legal_member"])
    s = s[s["legal_member"].astype(bool)]
    out = []
    for iso3, day in zip(votes["iso3"], votes["date"]):
        mine = s[s["iso3"] == iso3]
        if ((mine["start_date"] <= day) & (mine["end_date"].isna() | (day < mine["end_date"]))).any():
            out.append("member")
        elif (mine["start_date"] <= day).any():
            out.append("former member")
        else:
            out.append("comparison state")
    return pd.Series(pd.Categorical(out, categories=list(VOTE_GROUPS), ordered=True), index=votes.index)


def vote_alignment(*, series: str | None = "ukraine",
                   comparison: bool = False) -> pd.DataFrame:
    """Each state's vote on each resolution, classed against Russia's vote on it.

    Columns: ``resolution_id``, ``series``, ``symbol``, ``date``, ``iso3``, ``state``, ``group``,
    ``vote`` and ``alignment`` (an ordered category: with Russia < absent < abstained < against
    Russia). ``series`` keeps one series of resolutions (None: all); the comparison states (never
    parties to the Treaty) are kept only with ``comparison``. Resolutions on which Russia's vote
    is not recorded are left out.
    """
    votes = load_table("un_votes")
    res = load_table("resolutions")[["resolution_id", "series", "symbol", "date"]]
    if series is not None:
        res = res[res["series"] == series]
    names = load_table("states").set_index("iso3")["name"]
    russia = votes[votes["iso3"] == "RUS"].set_index("resolution_id")["vote"].astype(str)
    v = votes[votes["resolution_id"].isin(russia.index)].merge(res, on="resolution_id")
    v["state"] = v["iso3"].map(names)
    v["group"] = _vote_groups(v)
    if not comparison:
        v = v[(v["group"] != "comparison state") | (v["iso3"] == "RUS")].copy()
    rus = v["resolution_id"].map(russia)
    vote = v["vote"].astype(str)
    label = pd.Series("against Russia", index=v.index)
    label[vote == rus] = "with Russia"
    label[(vote != rus) & (vote == "abstain")] = "abstained"
    label[(vote != rus) & (vote == "absent")] = "absent"
    v["alignment"] = pd.Categorical(label, categories=list(ALIGNMENT), ordered=True)
    cols = ["resolution_id", "series", "symbol", "date", "iso3", "state", "group", "vote", "alignment"]
    return v[cols].sort_values(["date", "iso3"], ignore_index=True)


def vote_agreement(*, by: tuple[str, ...] = ("state", "year")) -> pd.DataFrame:
    """The share of a state's votes that matched Russia's, over the texts on which its vote is known.

    A state matched Russia when it cast the same vote (yes, no or abstention); staying away is not
    a match. Its vote is known where a source names it, and also, as "did not vote against",
    where Russia voted against a text whose complete list of votes against is on record
    (``no_list_complete``) and the state is not on it. Grouped by ``by`` (any of ``state``,
    ``iso3``, ``group``, ``series``, ``year``); columns ``votes`` (known), ``same`` (matched),
    ``share`` (same / votes) and ``from_list`` (known only from a complete list). Russia itself is
    left out; the states are those with at least one sourced vote.
    """
    v = vote_alignment(series=None, comparison=True)
    v = v.assign(matched=v["alignment"] == "with Russia", from_list=False)
    res = load_table("resolutions")
    russia_no = set(v.loc[(v["iso3"] == "RUS") & (v["vote"].astype(str) == "no"), "resolution_id"])
    listed = res[res["no_list_complete"].fillna(False).astype(bool) & res["resolution_id"].isin(russia_no)]
    names = load_table("states").set_index("iso3")["name"]
    panel = sorted(set(v["iso3"]) - {"RUS"})
    have = set(zip(v["resolution_id"], v["iso3"]))
    extra = pd.DataFrame([
        {"resolution_id": r.resolution_id, "series": r.series, "symbol": r.symbol, "date": r.date,
         "iso3": iso3, "state": names.get(iso3, iso3), "vote": pd.NA, "matched": False, "from_list": True}
        for r in listed.itertuples(index=False) for iso3 in panel if (r.resolution_id, iso3) not in have
    ], columns=["resolution_id", "series", "symbol", "date", "iso3", "state", "vote", "matched", "from_list"])
    if len(extra):
        extra["group"] = _vote_groups(extra)
        v = pd.concat([v, extra], ignore_index=True)
    v = v[v["iso3"] != "RUS"].assign(year=lambda d: pd.to_datetime(d["date"]).dt.year)
    out = v.groupby(list(by), observed=True).agg(votes=("matched", "size"), same=("matched", "sum"),
                                                 from_list=("from_list", "sum")).reset_index()
    out["share"] = out["same"] / out["votes"]
    return out[[*by, "votes", "same", "share", "from_list"]]


def alignment_matrix() -> pd.DataFrame:
    """States by resolution (in date order, then by key): each cell the alignment with Russia's vote."""
    v = vote_alignment()
    order = list(dict.fromkeys(v.sort_values(["date", "resolution_id"])["resolution_id"]))
    m = v.pivot(index="state", columns="resolution_id", values="alignment")
    return m[order]


def compare_crises(ids: list[str]) -> pd.DataFrame:
    """Two or more crises side by side on the same fields (one column per crisis)."""
    c = crises().set_index("crisis_id")
    with as_of(data_cutoff()):
        unknown = [i for i in ids if i not in set(crises()["crisis_id"])]
    if unknown:
        raise KeyError(f"unknown crises: {unknown}")
    later = [i for i in ids if i not in c.index]  # after an earlier cut-off set with set_cutoff
    fields = {
        "name": "crisis", "start_date": "began", "crisis_type": "type", "requesting_state_name": "asked by",
        "request_date": "request", "request_basis": "basis invoked", "csto_response": "CSTO response",
        "rationale": "reason given", "russia_response": "Russia's response", "fatalities": "deaths reported",
    }
    c = c.assign(fatalities=[
        "" if pd.isna(lo) else range_text(lo, hi)
        for lo, hi in zip(c["fatalities_low"], c["fatalities_high"])
    ])
    # Dates as the prose writes them, to the precision the data know them.
    c["start_date"] = [date_text(d, p) for d, p in zip(c["start_date"], c["start_precision"])]
    c["request_date"] = [date_text(d, "day") for d in c["request_date"]]
    out = c.loc[[i for i in ids if i not in later], list(fields)].T
    out.index = [fields[f] for f in out.index]
    for col in out.columns:
        out[col] = [
            (v.date().isoformat() if isinstance(v, pd.Timestamp) else str(v).replace("_", " "))
            if not (v is None or (not isinstance(v, (list, tuple)) and pd.isna(v))) else ""
            for v in out[col]
        ]
    for i in later:
        out[i] = ABSENT
    return out[ids].reset_index(names="field")


def resolution_labels() -> dict[str, str]:
    """A short label per resolution: its symbol without 'A/RES/' (or its title), and month."""
    res = load_table("resolutions")
    out = {}
    for r in res.itertuples(index=False):
        name = str(r.symbol).replace("A/RES/", "") if pd.notna(r.symbol) else str(r.title)
        out[r.resolution_id] = "\n".join(textwrap.wrap(name, 10)) + f"\n{r.date:%b %Y}"
    return out


def reported_figures() -> pd.DataFrame:
    """The figures that event summaries report, typed, indexed by ``figure_id``."""
    return load_table("figures").set_index("figure_id")


def reported_figure(figure_id: str) -> pd.Series | None:
    """One reported figure's row, or None if it was reported after the cut-off date in force
    (a chapter re-run as of an earlier day); an id the data does not have is an error."""
    figures = reported_figures()
    if figure_id in figures.index:
        return figures.loc[figure_id]
    with as_of(data_cutoff()):
        if figure_id not in reported_figures().index:
            raise KeyError(f"no figure {figure_id!r} in figures.csv")
    return None


def figure_text(figure_id: str) -> str:
    """One reported figure as prose writes it, with thousands separators (``2,030``)."""
    figures = reported_figures()
    if figure_id not in figures.index:
        raise KeyError(f"no figure {figure_id!r} in figures.csv")
    return f"{int(figures.loc[figure_id, 'value']):,}"
