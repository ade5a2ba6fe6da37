"""Figures of membership: spells and counts over time, the web of organizations, the overlap of two
memberships, and the fields of security each organization works in.

Each figure passes :func:`helpers.style.legible`; its colours come from :mod:`helpers.style`.
"""

from __future__ import annotations

from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .formatting import long_date
from .style import (
    ORG_COLORS,
    PALETTE,
    STATUS_STYLE,
    TEXT_WIDTH_IN,
    ink,
    legible,
    says_when_empty,
    status_legend,
    style_grid,
)
from .vocabulary import words


def spell_timeline(
    ax: plt.Axes,
    spells: pd.DataFrame,
    until: pd.Timestamp,
    *,
    order: list[str] | None = None,
    title: str | None = None,
) -> list[str]:
    """Draw one horizontal bar per state and spell, coloured by status.

    ``spells`` is a frame from :func:`helpers.memberships.spells`; ongoing spells
    run to ``until`` (the data's cut-off date). Returns the statuses drawn, for the legend.
    """
    states = order or list(dict.fromkeys(spells.sort_values("start_date")["state"]))
    y = {name: i for i, name in enumerate(states)}
    for row in spells.itertuples(index=False):
        style = STATUS_STYLE[str(row.status)]
        end = row.end_date if pd.notna(row.end_date) else until
        ax.barh(
            y[row.state],
            (end - row.start_date).days,
            left=row.start_date,
            height=0.3 if row.status == "signatory" else 0.7,
            zorder=3 if row.status == "signatory" else 2,
            color=style["color"],
            hatch=style["hatch"],
            edgecolor="white",
            linewidth=0.4,
        )
    ax.set_yticks(range(len(states)), states)
    ax.invert_yaxis()
    ax.set_xlim(pd.Timestamp("1991-06-01"), until + pd.Timedelta(days=180))
    ax.grid(axis="x", color="#dddddd", linewidth=0.5)
    ax.set_axisbelow(True)
    if title:
        ax.set_title(title)
    return [s for s in STATUS_STYLE if s in set(spells["status"].astype(str))]


@legible
def timeline_figure(
    panels: list[tuple[str, pd.DataFrame]],
    until: pd.Timestamp,
    *,
    marks: list[tuple[pd.Timestamp, str]] | None = None,
) -> plt.Figure:
    """A membership timeline with one panel per (title, spells) pair, sharing the time axis.

    Signatory spells are drawn as thin bars over the other statuses, so that the
    months between signing a charter and its entry into force stay visible.
    ``marks`` adds dashed vertical lines, each named with its date in the legend
    (e.g. a charter's entry into force).
    """
    heights = [max(2, spells["state"].nunique()) for _, spells in panels]
    fig, axes = plt.subplots(
        len(panels), 1, sharex=True, squeeze=False,
        figsize=(TEXT_WIDTH_IN, 0.9 + 0.19 * sum(heights)),
        gridspec_kw={"height_ratios": heights},
    )
    drawn: list[str] = []
    for ax, (title, spells) in zip(axes[:, 0], panels):
        drawn += spell_timeline(ax, spells, until, title=title)
        for when, _mark in marks or []:
            ax.axvline(when, color=PALETTE["black"], linestyle="--", linewidth=0.7)
    order = [s for s in STATUS_STYLE if s in drawn]
    extra = [
        Line2D([], [], color=PALETTE["black"], linestyle="--", linewidth=0.7,
               label=f"{label} ({long_date(when)})")
        for when, label in marks or []
    ]
    status_legend(fig, order, extra=extra, loc="outside lower center", ncol=2)
    axes[-1, 0].xaxis.set_major_locator(mpl.dates.YearLocator(4))
    axes[-1, 0].xaxis.set_major_formatter(mpl.dates.DateFormatter("%Y"))
    fig.align_ylabels()
    return fig


@legible
def member_count_figure(
    series: dict[str, pd.DataFrame],
    until: pd.Timestamp,
    *,
    signed: dict[str, pd.DataFrame] | None = None,
) -> plt.Figure:
    """Step lines of the number of legal members over time, one per organization.

    ``series`` maps a legend label to a frame from :func:`helpers.member_counts`.
    ``signed`` maps some of those labels to the same count with signatories included
    (``member_counts(..., signed=True)``): the states that had signed but were not yet
    bound are drawn as a hatched band above that organization's line, so that the
    months before a treaty's entry into force do not read as an empty alliance.
    """
    fig, ax = plt.subplots(figsize=(TEXT_WIDTH_IN, 2.8))
    styles = ((PALETTE["blue"], "-", 2.2), (PALETTE["plum"], "--", 1.6), (PALETTE["bluish_green"], ":", 1.6))
    for n, ((label, counts), (color, dash, width)) in enumerate(zip(series.items(), styles)):
        data = counts[counts["date"] <= until]
        xs = list(data["date"]) + [until]
        ys = list(data["count"]) + [data["count"].iloc[-1]]
        # Different dashes, the first series on top: where two counts are equal both stay visible.
        ax.step(xs, ys, where="post", color=color, linestyle=dash, linewidth=width, label=label, zorder=3 - n)
        if signed and label in signed:
            both = data.merge(signed[label], on="date", how="left", suffixes=("", "_signed"))
            tops = list(both["count_signed"].fillna(both["count"])) + [both["count_signed"].iloc[-1]]
            ax.fill_between(xs, ys, tops, step="post", facecolor="none", edgecolor=color, hatch="..",
                            linewidth=0, label=f"{label.split(' (')[0]}: signed, not yet in force", zorder=1)
    ax.set_ylabel("states")
    ax.set_ylim(0, None)
    ax.yaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    ax.grid(axis="y", color="#dddddd", linewidth=0.5)
    ncol = min(len(ax.get_legend_handles_labels()[1]), 2)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=ncol, frameon=False)  # off the lines
    return fig


@legible
@says_when_empty("states")
def membership_change_figure(change: pd.DataFrame, then_label: str, now_label: str,
                             org_labels: dict[str, str] | None = None) -> plt.Figure:
    """How many of the organizations each state belonged to on two dates (a hollow dot, then a filled
    one, joined by a line), with the organizations gained and lost written beside the row.

    ``change`` is a frame from :func:`helpers.network.membership_change`; the states of its
    ``core`` (CSTO members on both dates) are drawn in the CSTO's colour and named in bold.
    """
    labels = org_labels or {}
    fig, ax = plt.subplots(figsize=(TEXT_WIDTH_IN, 1.0 + 0.22 * len(change)))
    core_color, other_color = ORG_COLORS["CSTO"], PALETTE["grey"]
    for i, row in enumerate(change.itertuples(index=False)):
        color = core_color if row.core else other_color
        ax.plot([row.then, row.now], [i, i], color=color, linewidth=1.4, zorder=2)
        ax.scatter([row.then], [i], s=36, facecolors="white", edgecolors=color, linewidths=1.4, zorder=3)
        ax.scatter([row.now], [i], s=36, color=color, zorder=4)
        notes = [f"+{labels.get(o, o)}" for o in row.gained] + [f"\u2212{labels.get(o, o)}" for o in row.lost]
        if notes:
            ax.text(max(row.then, row.now) + 0.25, i, ", ".join(notes), va="center", fontsize=8, color=ink(color))
    ax.set_yticks(range(len(change)), list(change["state"]))
    for tick, core in zip(ax.get_yticklabels(), change["core"]):
        if core:
            tick.set_fontweight("bold")
            tick.set_color(ink(core_color))
    ax.invert_yaxis()
    most = int(max(change["then"].max(), change["now"].max()))
    ax.set_xlim(-0.3, most + 2.2)
    ax.set_xticks(range(most + 1))
    ax.set_xlabel("organizations the state belonged to in law")
    ax.grid(axis="x", color="#dddddd", linewidth=0.5)
    ax.set_axisbelow(True)
    handles = [
        Line2D([], [], marker="o", linestyle="", markersize=6, markerfacecolor="white",
               markeredgecolor=other_color, label=then_label),
        Line2D([], [], marker="o", linestyle="", markersize=6, color=other_color, label=now_label),
        Line2D([], [], color=core_color, linewidth=1.4, marker="o", markersize=6,
               label="member of the CSTO on both dates (bold)"),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncol=3)
    return fig


@legible
def network_figure(
    panels: list[tuple[str, Any]], org_labels: dict[str, str] | None = None, order: list[str] | None = None,
) -> plt.Figure:
    """Bipartite membership graphs side by side: organizations on the left, states on the right.

    Each panel is (title, graph from :func:`helpers.network.membership_graph`); an edge
    is drawn in its organization's colour. States are listed in every panel in the same
    order (``order``, ISO codes, or else by name), so that the panels can be compared line by
    line; each organization sits at the mean height of its members in all panels, which
    keeps the lines short and their crossings few.
    """
    import networkx as nx

    states = sorted({n for _, g in panels for n, k in g.nodes(data="kind") if k == "state"},
                    key=lambda n: next(g.nodes[n]["name"] for _, g in panels if n in g))
    if order:
        states = [s for s in order if s in states] + [s for s in states if s not in order]
    names = {n: next(g.nodes[n]["name"] for _, g in panels if n in g) for n in states}
    rank = {s: i for i, s in enumerate(states)}

    def height(org: str) -> float:
        members = [rank[s] for _, g in panels for s in g.neighbors(org)]
        return sum(members) / len(members) if members else float(len(states))

    orgs = sorted((n for n, k in panels[0][1].nodes(data="kind") if k == "org"), key=height)
    labels = org_labels or {}
    fig, axes = plt.subplots(1, len(panels), squeeze=False, figsize=(TEXT_WIDTH_IN, 0.6 + 0.2 * len(states)))
    for ax, (title, g) in zip(axes[0], panels):
        pos = {o: (0.0, (len(states) - 1) * (1 - (i + 0.5) / len(orgs))) for i, o in enumerate(orgs)}  # first on top
        pos |= {s: (1.0, len(states) - 1 - j) for j, s in enumerate(states)}
        for org in orgs:
            edges = [(org, s) for s in g.neighbors(org)]
            nx.draw_networkx_edges(g, pos, edgelist=edges, ax=ax, edge_color=ORG_COLORS.get(org, "grey"),
                                   width=1.0, alpha=0.8)
        for org in orgs:
            x, y = pos[org]
            ax.scatter([x], [y], s=60, color=ORG_COLORS.get(org, "grey"), zorder=3)
            ax.text(x - 0.05, y, labels.get(org, org), ha="right", va="center", fontsize=8)
        present = [s for s in states if s in g and g.degree(s) > 0]
        ax.scatter([1.0] * len(present), [pos[s][1] for s in present], s=14, color="black", zorder=3)
        for s in states:
            ax.text(1.05, pos[s][1], names[s], ha="left", va="center", fontsize=8,
                    color="black" if s in present else PALETTE["grey"])
        ax.set_title(title)
        ax.set_xlim(-0.55, 1.75)
        ax.set_ylim(-1, len(states))
        ax.axis("off")
    return fig


@legible
@says_when_empty("years of overlap")
def overlap_figure(series: pd.DataFrame, label_a: str, label_b: str) -> plt.Figure:
    """Shared members (bars, above) and two overlap measures (lines, below) of two organizations by
    year: the Jaccard index and, where the series has it, the overlap coefficient; two panels on one
    time axis, each with its own labelled scale (no second y-axis)."""
    fig, (top, bottom) = plt.subplots(2, 1, sharex=True, figsize=(TEXT_WIDTH_IN, 4.2),
                                      gridspec_kw={"height_ratios": [3, 2]})
    top.bar(series["year"], series["shared"], color=PALETTE["violet"])
    top.set_ylabel("states in both")
    top.yaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    top.set_ylim(0, max(series["shared"].max() + 1, 1))
    top.grid(axis="y", color="#dddddd", linewidth=0.5)
    top.set_axisbelow(True)
    bottom.plot(series["year"], series["jaccard"], color=PALETTE["vermillion"], linewidth=1.8,
                marker="o", markersize=3, label=f"Jaccard: shared / all in {label_a} or {label_b}")
    if "overlap" in series:
        bottom.plot(series["year"], series["overlap"], color=PALETTE["blue"], linewidth=1.8, linestyle="--",
                    marker="s", markersize=3, label="overlap coefficient: shared / members of the smaller")
        bottom.legend(loc="lower left", frameon=False)
    bottom.set_ylim(0, 1.05)
    bottom.set_ylabel("share of\nmembers")
    bottom.grid(axis="y", color="#dddddd", linewidth=0.5)
    fig.align_ylabels()
    return fig


@legible
@says_when_empty("memberships")
def matrix_figure(matrix: pd.DataFrame, org_labels: dict[str, str] | None = None) -> plt.Figure:
    """States (rows) by organizations (columns), each cell coloured by the status held."""
    fig, ax = plt.subplots(figsize=(TEXT_WIDTH_IN, 0.8 + 0.2 * len(matrix)))
    style_grid(ax, matrix, STATUS_STYLE, org_labels, rotation=30)
    used = [s for s in STATUS_STYLE if (matrix == s).to_numpy().any()]
    status_legend(fig, used, loc="outside lower center", ncol=3)
    return fig


@legible
@says_when_empty("security functions")
def functions_figure(active: pd.DataFrame) -> plt.Figure:
    """Functions (rows) by year: a lane for the CSTO above one for the SCO, filled in each year
    the organization performed the function (``security.active_functions``)."""
    functions = list(dict.fromkeys(active["function"]))
    years = sorted(active["year"].unique())
    fig, ax = plt.subplots(figsize=(TEXT_WIDTH_IN, 1.3 + 0.42 * len(functions)))
    lanes = {"CSTO": (-0.17, "", "the CSTO"), "SCO": (0.17, "////", "the SCO (with the Shanghai Five)")}
    for i, fn in enumerate(functions):
        for org, (dy, hatch, _) in lanes.items():
            on = active[(active["function"] == fn) & (active["organization"] == org) & active["active"]]
            spans = [(int(y) - 0.5, 1.0) for y in on["year"]]
            ax.broken_barh(spans, (i + dy - 0.14, 0.28), facecolors=ORG_COLORS[org], hatch=hatch,
                           edgecolor="white", linewidth=0.3)
    names = words("security_functions", "function")
    # Exercises count in the years one was held; the other fields, while a body or act was in force.
    ax.set_yticks(range(len(functions)), [names.get(f, f) + (" (held)" if f == "military_exercises" else "")
                                          for f in functions])
    ax.set_ylim(len(functions) - 0.5, -0.5)
    step = 2 if len(years) > 14 else 1
    ax.set_xticks(years[::step], [str(y) for y in years[::step]], rotation=90)
    ax.set_xlim(years[0] - 0.6, years[-1] + 0.6)
    ax.grid(axis="x", color="#eeeeee", linewidth=0.5)
    ax.set_axisbelow(True)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    handles = [Patch(facecolor=ORG_COLORS[o], hatch=h, edgecolor="white", label=label)
               for o, (_, h, label) in lanes.items()]
    fig.legend(handles=handles, loc="outside lower center", ncol=2)
    return fig
