"""Questions about membership: who belonged to which organization, when, with which status.

A spell runs from ``start_date`` (included) to ``end_date`` (excluded): on its end
date the state no longer holds that status. An empty ``end_date`` means ongoing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from .load import load_table, view_key

#: Statuses under which a state is legally a member (participation frozen included).
LEGAL_MEMBER_STATUSES = ("member", "participation_frozen")

DateLike = str | dt.date | pd.Timestamp


def _ts(date: DateLike) -> pd.Timestamp:
    ts = pd.Timestamp(date)
    if ts is pd.NaT:
        raise ValueError(f"not a date: {date!r}")
    return ts.normalize()


def _precision_window(date: pd.Timestamp, precision: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The days a date of the given precision may stand for (end excluded)."""
    if precision == "year":
        return date, date + pd.DateOffset(years=1)
    if precision == "month":
        return date, date + pd.DateOffset(months=1)
    return date, date + pd.Timedelta(days=1)


#: Spells already built, by organizations and :func:`helpers.load.view_key`: figures and
#: facts ask for the same spells hundreds of times (one membership graph per year).
_SPELLS: dict[tuple[Any, ...], pd.DataFrame] = {}


def spells(org_id: str | list[str] | None = None) -> pd.DataFrame:
    """Membership spells as a tidy frame, joined with state names, sorted by start.

    ``org_id`` selects one organization or a list of them (all when ``None``).
    Columns: the ``memberships`` fields plus ``state`` (the state's name) and
    ``legal_member``. The frame is a copy (callers may change it).
    """
    key = (org_id if org_id is None or isinstance(org_id, str) else tuple(org_id), *view_key())
    if key not in _SPELLS:
        if len(_SPELLS) > 256:  # an old view's spells are never asked for again
            _SPELLS.clear()
        _SPELLS[key] = _spells(org_id)
    return _SPELLS[key].copy()


def _spells(org_id: str | list[str] | None) -> pd.DataFrame:
    m = load_table("memberships")
    states = load_table("states")[["iso3", "name"]].rename(columns={"name": "state"})
    if org_id is not None:
        wanted = [org_id] if isinstance(org_id, str) else list(org_id)
        known = set(load_table("organizations")["org_id"])
        for org in wanted:
            if org not in known:
                raise KeyError(f"unknown organization {org!r}; known: {sorted(known)}")
        m = m[m["org_id"].isin(wanted)]
    out = m.merge(states, on="iso3", how="left", validate="many_to_one")
    out["legal_member"] = out["status"].isin(LEGAL_MEMBER_STATUSES)
    return out.sort_values(["org_id", "start_date", "iso3"], ignore_index=True)


def members_on(
    org_id: str,
    date: DateLike,
    *,
    legal_members_only: bool = False,
) -> pd.DataFrame:
    """Who belonged to ``org_id`` on ``date``, with which status.

    Returns one row per state with ``iso3``, ``state``, ``status``, ``legal_member``,
    ``start_date``, ``end_date`` and ``date_uncertain`` (True when ``date`` falls in
    the window of a start or end date known only to the month or year). With
    ``legal_members_only``, observers, partners and signatories are left out.
    """
    day = _ts(date)
    s = spells(org_id)
    on = (s["start_date"] <= day) & (s["end_date"].isna() | (day < s["end_date"]))
    out = s[on].copy()
    if legal_members_only:
        out = out[out["legal_member"]]

    def uncertain(row: pd.Series) -> bool:
        for col, prec in (("start_date", "start_precision"), ("end_date", "end_precision")):
            if pd.notna(row[col]) and row[prec] != "day":
                lo, hi = _precision_window(row[col], str(row[prec]))
                if lo <= day < hi:
                    return True
        return False

    out["date_uncertain"] = out.apply(uncertain, axis=1).astype(bool) if len(out) else []
    cols = ["iso3", "state", "status", "legal_member", "start_date", "end_date", "date_uncertain"]
    return out[cols].sort_values("iso3", ignore_index=True)


def state_status(org_id: str, iso3: str, date: DateLike) -> pd.Series:
    """One state's spell in ``org_id`` on ``date``: ``status``, ``legal_member``, ``start_date``, ...

    Raises ``KeyError`` if the state held no status in the organization that day.
    """
    on = members_on(org_id, date).set_index("iso3")
    if iso3 not in on.index:
        raise KeyError(f"{iso3} held no status in {org_id} on {_ts(date).date()}")
    return on.loc[iso3]


def legal_member_count(org_id: str, date: DateLike) -> int:
    """How many states were legal members (or state parties) of ``org_id`` on ``date``."""
    return len(members_on(org_id, date, legal_members_only=True))


def signatory_count(org_id: str, date: DateLike) -> int:
    """How many states had signed ``org_id``'s founding act on ``date`` without it yet in force for them."""
    return int((members_on(org_id, date)["status"] == "signatory").sum())


def change_dates(org_id: str | list[str]) -> list[pd.Timestamp]:
    """Every date on which the membership of ``org_id`` (one or several) changed, in order."""
    s = spells(org_id)
    dates = pd.concat([s["start_date"], s["end_date"]]).dropna().unique()
    return sorted(pd.Timestamp(d) for d in dates)


def member_counts(
    org_id: str | list[str],
    statuses: tuple[str, ...] = LEGAL_MEMBER_STATUSES,
    until: DateLike | None = None,
    *,
    signed: bool = False,
) -> pd.DataFrame:
    """The number of states in ``statuses`` after each change, as a step series.

    With ``signed``, states that had signed the founding act but were not yet bound by
    it (status ``signatory``) count too; a state counts once whatever it holds.

    ``org_id`` may be a list (e.g. ``["CST", "CSTO"]``): a state counts once if it
    holds one of ``statuses`` in any of them. Columns: ``date`` (each change date,
    plus ``until`` if given) and ``count`` (the states counted from that date on).
    """
    s = spells(org_id)
    s = s[s["status"].isin(statuses + (("signatory",) if signed else ()))]
    dates = change_dates(org_id)
    if until is not None:
        dates = sorted({d for d in dates if d <= _ts(until)} | {_ts(until)})
    counts = [
        s.loc[(s["start_date"] <= d) & (s["end_date"].isna() | (d < s["end_date"])), "iso3"].nunique()
        for d in dates
    ]
    return pd.DataFrame({"date": pd.to_datetime(dates), "count": counts})


def members_of_both(first: str, second: str, date: DateLike, *, legal_members_only: bool = True) -> pd.DataFrame:
    """The states that belonged to both organizations on ``date``, with their status in each.

    Columns: ``state``, ``iso3``, and ``in <first>`` and ``in <second>`` (the status, in words).
    With ``legal_members_only`` (the default) observers, partners and signatories do not count.
    """
    a = members_on(first, date, legal_members_only=legal_members_only)
    b = members_on(second, date, legal_members_only=legal_members_only)
    both = a.merge(b[["iso3", "status"]], on="iso3", suffixes=("_a", "_b"))
    return pd.DataFrame({
        "state": both["state"], "iso3": both["iso3"],
        f"in {first}": both["status_a"].astype(str).str.replace("_", " "),
        f"in {second}": both["status_b"].astype(str).str.replace("_", " "),
    }).sort_values("state", ignore_index=True)
