"""Figures of the crises and the 2022 operation: the chronology, the responses of the alliance and
of Russia, the reasons given, and the contingents.

Each figure passes :func:`helpers.style.legible`; its colours come from :mod:`helpers.style`.
"""

from __future__ import annotations

import textwrap

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .formatting import long_date, range_text
from .style import (
    BASIS_STYLE,
    DECORATIVE,
    EVENT_FAMILIES,
    EVENT_FAMILY_OF,
    PALETTE,
    RESPONSE_COLORS,
    TEXT_WIDTH_IN,
    category_label,
    legible,
    says_when_empty,
    two_lines,
)
from .vocabulary import words


@legible
@says_when_empty("events")
def chronology_figure(events: pd.DataFrame, by: str = "kind") -> plt.Figure:
    """One dot per event on a time axis, in rows by ``by`` (a categorical column)."""
    cats = [c for c in events[by].cat.categories if (events[by] == c).any()]
    fig, ax = plt.subplots(figsize=(TEXT_WIDTH_IN, 0.6 + 0.32 * len(cats)))
    colors = list(mpl.rcParams["axes.prop_cycle"].by_key()["color"])
    for i, cat in enumerate(cats):
        rows = events[events[by] == cat]
        ax.scatter(rows["date"], [i] * len(rows), s=22, color=colors[i % len(colors)],
                   edgecolor="white", linewidth=0.5, zorder=3)
    ax.set_yticks(range(len(cats)), [category_label(c) for c in cats])
    ax.invert_yaxis()
    ax.grid(axis="x", color="#dddddd", linewidth=0.5)
    ax.set_axisbelow(True)
    return fig


@legible
@says_when_empty("crises")
def response_matrix_figure(crises: pd.DataFrame) -> plt.Figure:
    """Crises (rows, in date order) by the highest level of the CSTO's response (columns).

    A filled square marks the level reached; the first column says whom a member
    formally asked for help: the CSTO, or Russia alone.
    """
    levels = list(crises["csto_response"].cat.categories)
    fig, ax = plt.subplots(figsize=(TEXT_WIDTH_IN, 0.8 + 0.24 * len(crises)))
    for i, row in enumerate(crises.itertuples(index=False)):
        j = levels.index(str(row.csto_response))
        ax.scatter(j + 1, i, marker="s", s=90, color=RESPONSE_COLORS[str(row.csto_response)],
                   edgecolor=PALETTE["black"], linewidth=0.4, zorder=3)
        if str(row.request_to) != "none":
            ax.text(0, i, "CSTO" if str(row.request_to) == "csto" else "Russia", ha="center", va="center",
                    fontsize=8, fontweight="bold" if str(row.request_to) == "csto" else "normal")
    ax.set_xticks(range(len(levels) + 1), ["request to"] + [category_label(lv) for lv in levels],
                  rotation=30, ha="right")
    ax.set_yticks(range(len(crises)), [f"{r.name} ({r.year})" for r in crises.itertuples()])
    ax.set_xlim(-0.6, len(levels) + 0.6)
    ax.invert_yaxis()
    ax.grid(color="#eeeeee", linewidth=0.5)
    ax.set_axisbelow(True)
    ax.spines["left"].set_visible(False)
    return fig


@legible
@says_when_empty("crises")
def requests_timeline_figure(crises: pd.DataFrame) -> plt.Figure:
    """Each crisis at its start date and the level of the CSTO's response.

    Filled circles: a member formally asked the CSTO for help; diamonds: a member
    asked Russia alone; hollow circles: no request.
    """
    levels = list(crises["csto_response"].cat.categories)
    fig, ax = plt.subplots(figsize=(TEXT_WIDTH_IN, 3.0))
    kinds = (("csto", "o", True, "a member asked the CSTO"),
             ("russia", "D", True, "a member asked Russia alone"),
             ("none", "o", False, "no request"))
    for to, marker, filled, label in kinds:
        rows = crises[crises["request_to"].astype(str) == to]
        if rows.empty:
            continue
        y = [levels.index(str(v)) for v in rows["csto_response"]]
        ax.scatter(rows["start_date"], y, s=48, marker=marker,
                   facecolors=[RESPONSE_COLORS[str(v)] for v in rows["csto_response"]] if filled else "none",
                   edgecolors=[PALETTE["black"] if filled else RESPONSE_COLORS[str(v)]
                               for v in rows["csto_response"]],
                   linewidth=1.2, zorder=3, label=label)
    ax.set_yticks(range(len(levels)), [category_label(lv) for lv in levels])
    ax.set_ylim(-0.5, len(levels) - 0.5)
    ax.grid(axis="y", color="#dddddd", linewidth=0.5)
    ax.set_axisbelow(True)
    # The legend shows the marker only, in grey: the colour of each dot is its response level,
    # which the rows already name (a coloured legend dot would borrow the first crisis's colour).
    shown = set(crises["request_to"].astype(str))
    handles = [Line2D([], [], marker=marker, linestyle="", markersize=7, label=label,
                      markerfacecolor=PALETTE["grey"] if filled else "none", markeredgecolor=PALETTE["black"])
               for to, marker, filled, label in kinds if to in shown]
    ax.legend(handles=handles, loc="upper left")
    return fig


#: The reasons given for staying out or holding back; the others (the reason given for acting,
#: any other reason, none found) are drawn below a rule, apart from them.
#: The scale shared by the CSTO's and Russia's responses, lowest first, as the figures label it.
SHARED_SCALE = ("none", "statement", "consultations", "mission", "deployment")


@legible
@says_when_empty("crises")
def substitution_figure(crises: pd.DataFrame) -> plt.Figure:
    """Each crisis (rows, in date order): the highest level of the CSTO's response (circle) and
    of Russia's own (diamond) on the shared scale, joined by a line; an asterisk after a name
    marks a crisis in which Russia was itself a party.
    """
    fig, ax = plt.subplots(figsize=(TEXT_WIDTH_IN, 1.2 + 0.24 * len(crises)))
    rank = {level: i for i, level in enumerate(SHARED_SCALE)}
    rank["collective_deployment"] = rank["deployment"]
    for i, row in enumerate(crises.itertuples(index=False)):
        a, b = rank[str(row.csto_response)], rank[str(row.russia_level)]
        ax.plot([a, b], [i, i], color=PALETTE["grey"], linewidth=1.2, zorder=2)
        ax.scatter(a, i + 0.12, marker="o", s=46, color=PALETTE["blue"], edgecolor=PALETTE["black"],
                   linewidth=0.4, zorder=3, label="the CSTO" if i == 0 else None)
        ax.scatter(b, i - 0.12, marker="D", s=40, color=PALETTE["vermillion"], edgecolor=PALETTE["black"],
                   linewidth=0.4, zorder=3, label="Russia on its own" if i == 0 else None)
    own = [("RUS" in tuple(r.affected)) for r in crises.itertuples()]
    ax.set_yticks(range(len(crises)), [f"{r.name} ({r.year})" + (" *" if o else "")
                                       for r, o in zip(crises.itertuples(), own)])
    ax.set_xticks(range(len(SHARED_SCALE)), [category_label(v) for v in SHARED_SCALE], rotation=30, ha="right")
    ax.set_xlim(-0.5, len(SHARED_SCALE) - 0.5)
    ax.invert_yaxis()
    ax.grid(color="#eeeeee", linewidth=0.5)
    ax.set_axisbelow(True)
    ax.spines["left"].set_visible(False)
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=2, frameon=False)
    return fig


REASONS_FOR_STAYING_OUT = ("internal_affair", "not_member_territory", "disputed_border", "conflict_between_members",
                           "partner_on_other_side")


@legible
@says_when_empty("crises")
def rationale_figure(crises: pd.DataFrame) -> plt.Figure:
    """How many crises each kind of stated rationale covers, split by whether the CSTO was asked.

    The reasons given for staying out or holding back come first; aggression from abroad (the
    reason given for acting), other reasons and no reason on record come below a rule. Each bar is
    labelled with its count, so that an empty category reads as zero, not as a missing bar.
    """
    kinds = list(crises["rationale_type"].cat.categories)
    kinds = [k for k in kinds if k in REASONS_FOR_STAYING_OUT] + [k for k in kinds if k not in REASONS_FOR_STAYING_OUT]
    to_csto = crises["asked_csto"]
    asked = [int(((crises["rationale_type"] == k) & to_csto).sum()) for k in kinds]
    not_asked = [int(((crises["rationale_type"] == k) & ~to_csto).sum()) for k in kinds]
    fig, ax = plt.subplots(figsize=(TEXT_WIDTH_IN, max(2.8, 0.35 * len(kinds) + 0.8)))
    y = range(len(kinds))
    ax.barh(y, asked, color=PALETTE["blue"], label="a member asked the CSTO")
    ax.barh(y, not_asked, left=asked, color=PALETTE["violet"], hatch="//", edgecolor="white",
            label="no request to the CSTO")
    for i, (a, n) in enumerate(zip(asked, not_asked)):
        ax.text(a + n, i, f"  {a + n}", va="center", fontsize=8)
    split = sum(k in REASONS_FOR_STAYING_OUT for k in kinds)
    if 0 < split < len(kinds):
        ax.axhline(split - 0.5, color="#999999", linewidth=0.6, gid=DECORATIVE)
    reasons = words("crises", "rationale_type")
    ax.set_yticks(list(y), [two_lines(reasons.get(k, category_label(k))) for k in kinds])
    ax.invert_yaxis()
    ax.set_xlabel("crises")
    ax.set_xlim(0, max(max(a + n for a, n in zip(asked, not_asked)), 1) * 1.12)
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    ax.grid(axis="x", color="#dddddd", linewidth=0.5)
    ax.set_axisbelow(True)
    fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncol=2)
    return fig


@legible
@says_when_empty("events")
def operation_timeline_figure(events: pd.DataFrame) -> plt.Figure:
    """One row per event of an operation, in date order: its title on the left, a mark at its date
    (titles as the rows' labels, so that none runs off the figure). Kinds of event are grouped
    into four families (:data:`EVENT_FAMILIES`), each with its own colour and shape, so that no
    two marks need to be told apart by a shade alone."""
    lines = sum(len(textwrap.wrap(str(t), 52)) for t in events["title"])
    fig, ax = plt.subplots(figsize=(TEXT_WIDTH_IN, 1.0 + 0.16 * lines + 0.08 * len(events)))
    families = [f for f in EVENT_FAMILIES if any(EVENT_FAMILY_OF[str(k)] == f for k in events["kind"])]
    for i, row in enumerate(events.itertuples(index=False)):
        style = EVENT_FAMILIES[EVENT_FAMILY_OF[str(row.kind)]]
        ax.scatter(row.date, i, s=34, color=style["color"], marker=style["marker"], zorder=3)
    ax.set_yticks(range(len(events)), [textwrap.fill(str(t), 52) for t in events["title"]])
    ax.tick_params(axis="y", length=0)
    ax.invert_yaxis()
    start, end = events["date"].min(), events["date"].max()
    span = max((end - start).days, 1)
    pad = pd.Timedelta(days=max(1, span // 25))
    ax.set_xlim(start - pad, end + pad)
    if span <= 60:
        ax.xaxis.set_major_locator(mpl.dates.DayLocator(interval=max(2, -(-span // 5))))
        ax.xaxis.set_major_formatter(mpl.dates.DateFormatter("%-d %b"))
    elif span <= 500:
        ax.xaxis.set_major_locator(mpl.dates.MonthLocator(interval=max(2, span // 150)))
        ax.xaxis.set_major_formatter(mpl.dates.DateFormatter("%b %Y"))
    else:
        ax.xaxis.set_major_locator(mpl.dates.YearLocator())
        ax.xaxis.set_major_formatter(mpl.dates.DateFormatter("%Y"))
    ax.grid(color="#dddddd", linewidth=0.5)
    ax.set_axisbelow(True)
    ax.spines["left"].set_visible(False)
    handles = [Line2D([], [], marker=EVENT_FAMILIES[f]["marker"], linestyle="", color=EVENT_FAMILIES[f]["color"],
                      label=EVENT_FAMILIES[f]["label"]) for f in families]
    fig.legend(handles=handles, loc="outside lower center", ncol=2)
    return fig


def _personnel_bar(ax: plt.Axes, y: float, left: float, low: int, high: int, basis: str) -> None:
    """The bar of one figure or range from ``left``: the low figure in its basis's style (solid,
    or an outline for a press report), and the range up to the high figure hatched (an outline)."""
    style = BASIS_STYLE[basis]
    if style["solid"]:
        ax.barh(y, low, left=left, color=style["color"], edgecolor="white", linewidth=0.6)
    else:
        ax.barh(y, low, left=left, facecolor="white", edgecolor=style["color"], linewidth=1.2, hatch="///")
    if high > low:
        ax.barh(y, high - low, left=left + low, facecolor="white", edgecolor=style["color"], linewidth=1.2,
                hatch="///")


@legible
@says_when_empty("contingents")
def contingents_figure(contingents: pd.DataFrame, official: pd.Series | None = None) -> plt.Figure:
    """Personnel by contributing state, drawn by the basis of each figure, and their sum.

    Official figures are solid bars; press reports of what was to be sent are outlines; a
    range between two figures is hatched. With ``official`` (a row of
    :func:`helpers.reported_figures`: the official total for the whole force), two rows
    under the states compare the sum of the national figures with that total.
    """
    rows = len(contingents) + (3 if official is not None else 0)
    fig, ax = plt.subplots(figsize=(TEXT_WIDTH_IN, 1.0 + 0.32 * rows))
    labels = []
    for i, row in enumerate(contingents.itertuples(index=False)):
        _personnel_bar(ax, i, 0, row.personnel_low, row.personnel_high, str(row.personnel_basis))
        ax.text(row.personnel_high, i, "  " + range_text(row.personnel_low, row.personnel_high), va="center",
                fontsize=8)
        labels.append(str(row.state))
    ticks = list(range(len(contingents)))
    if official is not None:
        y = len(contingents) + 0.6
        left = 0
        for basis in BASIS_STYLE:  # the sum, confirmed figures first
            part = contingents[contingents["personnel_basis"].astype(str) == basis]
            if len(part):
                low, high = int(part["personnel_low"].sum()), int(part["personnel_high"].sum())
                _personnel_bar(ax, y, left, low, high, basis)
                left += high
        total_low, total_high = int(contingents["personnel_low"].sum()), int(contingents["personnel_high"].sum())
        ax.text(total_high, y, "  " + range_text(total_low, total_high), va="center", fontsize=8)
        value = int(official["value"])
        ax.barh(y + 1, value, color=PALETTE["black"])
        ax.text(value, y + 1, f"  {value:,}", va="center", fontsize=8)
        ax.axhline(y - 0.6, color="#999999", linewidth=0.6, gid=DECORATIVE)
        ticks += [y, y + 1]
        labels += ["sum of the national figures", f"official total for the force\n({long_date(official['as_of'])})"]
    ax.set_yticks(ticks, labels)
    ax.invert_yaxis()
    ax.set_xlabel("personnel")
    ax.xaxis.set_major_formatter(mpl.ticker.StrMethodFormatter("{x:,.0f}"))
    ax.grid(axis="x", color="#dddddd", linewidth=0.5)
    ax.set_axisbelow(True)
    used = [b for b in BASIS_STYLE if (contingents["personnel_basis"].astype(str) == b).any()]
    handles = [Patch(facecolor=BASIS_STYLE[b]["color"] if BASIS_STYLE[b]["solid"] else "white",
                     edgecolor=BASIS_STYLE[b]["color"], hatch="" if BASIS_STYLE[b]["solid"] else "///",
                     label=BASIS_STYLE[b]["label"]) for b in used]
    if official is not None:
        handles.append(Patch(color=PALETTE["black"], label="official total for the whole force"))
    fig.legend(handles=handles, loc="outside lower center", ncol=1)
    widest = contingents["personnel_high"].max()
    if official is not None:
        widest = max(contingents["personnel_high"].sum(), int(official["value"]))
    ax.set_xlim(0, max(widest, 1) * 1.18)
    return fig
