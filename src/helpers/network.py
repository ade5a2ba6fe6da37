"""Membership networks: states and organizations as a bipartite graph, and overlap measures.

A state is linked to an organization on a date if it holds one of ``statuses``
there (legal membership by default: member, or member with participation frozen).
"""

from __future__ import annotations

import networkx as nx
import pandas as pd
from networkx.algorithms import bipartite

from .load import load_table
from .memberships import LEGAL_MEMBER_STATUSES, DateLike, members_on

DEFAULT_ORGS = ("CSTO", "SCO", "CIS", "EURASEC", "CACO", "EAEU", "UNION_STATE", "GUAM", "OTS")
#: How figures label organizations whose key is not their name.
ORG_LABELS = {"UNION_STATE": "Union State", "EURASEC": "EurAsEC"}


def recorded(orgs: tuple[str, ...] | list[str]) -> list[str]:
    """The organizations of ``orgs`` that the record holds at the cut-off in force (an organization
    founded later is not in it yet, and its node is left out)."""
    known = set(load_table("organizations")["org_id"])
    return [org for org in orgs if org in known]


def membership_graph(
    date: DateLike,
    orgs: tuple[str, ...] | list[str] = DEFAULT_ORGS,
    statuses: tuple[str, ...] = LEGAL_MEMBER_STATUSES,
) -> nx.Graph:
    """The bipartite graph of states and organizations on ``date``.

    Organization nodes have ``kind="org"``; state nodes ``kind="state"`` and ``name``.
    Each edge carries the state's ``status``. Organizations with no linked state on
    the date are kept as isolated nodes, so that graphs of two dates are comparable; an
    organization founded after the cut-off in force is not in the record and has no node.
    """
    g = nx.Graph()
    for org in recorded(orgs):
        g.add_node(org, kind="org", bipartite=1)
        on = members_on(org, date)
        on = on[on["status"].astype(str).isin(statuses)]
        for row in on.itertuples(index=False):
            g.add_node(row.iso3, kind="state", name=row.state, bipartite=0)
            g.add_edge(row.iso3, org, status=str(row.status))
    return g


def membership_change(then: nx.Graph, now: nx.Graph, core_org: str = "CSTO") -> pd.DataFrame:
    """Each state's memberships in two graphs of :func:`membership_graph`: how many it held then and
    now, the organizations gained and lost, and whether it belonged to ``core_org`` in both.

    Columns: ``iso3``, ``state``, ``then``, ``now``, ``gained``, ``lost`` (tuples of organization
    keys, in the graphs' order) and ``core``; sorted by ``now``, then ``then``, then name.
    """
    orgs = [n for n, k in now.nodes(data="kind") if k == "org"]
    states = {n: d["name"] for g in (then, now) for n, d in g.nodes(data=True) if d["kind"] == "state"}
    rows = []
    for iso3, name in states.items():
        held_then = set(then.neighbors(iso3)) if iso3 in then else set()
        held_now = set(now.neighbors(iso3)) if iso3 in now else set()
        rows.append({
            "iso3": iso3, "state": name, "then": len(held_then), "now": len(held_now),
            "gained": tuple(o for o in orgs if o in held_now - held_then),
            "lost": tuple(o for o in orgs if o in held_then - held_now),
            "core": core_org in held_then and core_org in held_now,
        })
    out = pd.DataFrame(rows)
    return out.sort_values(["now", "then", "state"], ascending=[False, False, True], ignore_index=True)


def _nodes(g: nx.Graph, kind: str) -> list[str]:
    return sorted(n for n, k in g.nodes(data="kind") if k == kind)


def org_projection(g: nx.Graph) -> nx.Graph:
    """Organizations linked by the number of states they share (edge ``weight``)."""
    return bipartite.weighted_projected_graph(g, _nodes(g, "org"))


def state_projection(g: nx.Graph) -> nx.Graph:
    """States linked by the number of organizations they share (edge ``weight``)."""
    return bipartite.weighted_projected_graph(g, _nodes(g, "state"))


def jaccard(g: nx.Graph, a: str, b: str) -> float:
    """Shared members of two organizations over their combined members (0 when both are empty);
    ``KeyError`` for an organization the graph does not hold (not founded by the cut-off)."""
    missing = [org for org in (a, b) if org not in g]
    if missing:
        raise KeyError(f"no organization {missing[0]!r} in the graph")
    ma, mb = set(g.neighbors(a)), set(g.neighbors(b))
    union = ma | mb
    return len(ma & mb) / len(union) if union else 0.0


def overlap_coefficient(g: nx.Graph, a: str, b: str) -> float:
    """Shared members over the members of the smaller organization (0 when either is empty): how much
    of the smaller body sits inside the larger; ``KeyError`` for an organization the graph does not hold."""
    missing = [org for org in (a, b) if org not in g]
    if missing:
        raise KeyError(f"no organization {missing[0]!r} in the graph")
    ma, mb = set(g.neighbors(a)), set(g.neighbors(b))
    smaller = min(len(ma), len(mb))
    return len(ma & mb) / smaller if smaller else 0.0


def overlap_series(
    a: str | list[str], b: str | list[str], years: range,
    statuses: tuple[str, ...] = LEGAL_MEMBER_STATUSES,
) -> pd.DataFrame:
    """Membership overlap of two organizations on 1 July of each year.

    ``a`` or ``b`` may be a list (e.g. ``["CST", "CSTO"]``), whose members are pooled.
    Columns: ``year``, ``members_a``, ``members_b``, ``shared``, ``jaccard`` (shared over all in
    either) and ``overlap`` (shared over the members of the smaller of the two: the overlap coefficient).
    """
    side_a = [a] if isinstance(a, str) else list(a)
    side_b = [b] if isinstance(b, str) else list(b)
    rows = []
    for year in years:
        g = membership_graph(f"{year}-07-01", side_a + side_b, statuses)
        ma = set().union(*(g.neighbors(o) for o in side_a if o in g))  # not yet founded: no members
        mb = set().union(*(g.neighbors(o) for o in side_b if o in g))
        union = ma | mb
        smaller = min(len(ma), len(mb))
        rows.append({"year": year, "members_a": len(ma), "members_b": len(mb),
                     "shared": len(ma & mb), "jaccard": len(ma & mb) / len(union) if union else 0.0,
                     "overlap": len(ma & mb) / smaller if smaller else 0.0})
    return pd.DataFrame(rows, columns=["year", "members_a", "members_b", "shared", "jaccard", "overlap"])


def alliance_sco_overlap(until: pd.Timestamp) -> pd.DataFrame:
    """The CST/CSTO's overlap with the SCO, year by year from 2001 (the SCO's founding) to ``until``."""
    return overlap_series(["CST", "CSTO"], "SCO", range(2001, until.year + 1))

def bridging_states(g: nx.Graph) -> pd.DataFrame:
    """States ranked by how many of the graph's organizations they belong to.

    Columns: ``iso3``, ``state``, ``organizations`` (count), ``belongs_to`` (sorted keys).
    """
    rows = [
        {"iso3": s, "state": g.nodes[s]["name"], "organizations": g.degree(s),
         "belongs_to": ", ".join(sorted(g.neighbors(s)))}
        for s in _nodes(g, "state")
    ]
    out = pd.DataFrame(rows, columns=["iso3", "state", "organizations", "belongs_to"])
    return out.sort_values(["organizations", "state"], ascending=[False, True], ignore_index=True)


def membership_matrix(
    date: DateLike, orgs: tuple[str, ...] | list[str] = DEFAULT_ORGS,
    statuses: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """States (rows, by name) by organizations (columns): each cell the status held, or empty.

    With ``statuses`` None, every status counts (observers and partners included). Organizations
    with no state on the day are left out.
    """
    cells: dict[str, dict[str, str]] = {}
    for org in recorded(orgs):
        on = members_on(org, date)
        for row in on.itertuples(index=False):
            if statuses is None or str(row.status) in statuses:
                cells.setdefault(row.state, {})[org] = str(row.status)
    m = pd.DataFrame.from_dict(cells, orient="index").reindex(columns=list(orgs), fill_value="")
    m = m.sort_index().fillna("")
    # An organization no state belonged to on the day (not yet founded, or dissolved) has no column.
    return m.loc[:, [org for org in m.columns if (m[org] != "").any()]]
