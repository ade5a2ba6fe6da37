"""Figures of the UN votes: each vote against Russia's, and the share of votes that matched it.

Each figure passes :func:`helpers.style.legible`; its colours come from :mod:`helpers.style`.
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .style import AGREEMENT_CMAP, ALIGNMENT_STYLE, PALETTE, TEXT_WIDTH_IN, legible, says_when_empty, style_grid


@legible
@says_when_empty("recorded votes")
def alignment_figure(matrix: pd.DataFrame, column_labels: dict[str, str] | None = None) -> plt.Figure:
    """States (rows) by resolutions (columns): each vote classed against Russia's vote.

    Cells with no sourced vote are left white and marked with a dash.
    """
    fig, ax = plt.subplots(figsize=(TEXT_WIDTH_IN, 0.9 + 0.3 * len(matrix)))
    style_grid(ax, matrix, ALIGNMENT_STYLE, column_labels, rotation=0, fontsize=8, missing_mark="–")
    for label in ax.get_xticklabels():  # upright, one column's label under it: none overlaps the next
        label.set_horizontalalignment("center")
    handles = [Patch(facecolor=s["color"], hatch=s["hatch"], edgecolor="white", label=k)
               for k, s in ALIGNMENT_STYLE.items()]
    handles.append(Line2D([], [], marker="_", markersize=7, markeredgewidth=1.2, linestyle="",
                          color=PALETTE["grey"], label="no sourced vote"))
    fig.legend(handles=handles, loc="outside lower center", ncol=5)
    return fig


@legible
@says_when_empty("recorded votes")
def agreement_figure(grid: pd.DataFrame, groups: dict[str, str]) -> plt.Figure:
    """States (rows, under a heading for each group) by year: the share of the state's known votes
    that matched Russia's, each cell coloured on one scale; blank where no vote is known (the
    counts are the chapter's table).

    ``grid`` has columns ``state``, ``year``, ``votes``, ``share`` (``evidence.vote_agreement``);
    ``groups`` maps each state to its group's heading, in the order the headings are shown.
    """
    cmap = AGREEMENT_CMAP
    headings = list(dict.fromkeys(groups.values()))
    rows: list[tuple[str, str]] = []  # ("heading", text) or ("state", name), top to bottom
    for heading in headings:
        rows.append(("heading", heading))
        rows += [("state", s) for s in sorted(s for s, g in groups.items() if g == heading)]
    years = sorted(grid["year"].unique())
    fig, ax = plt.subplots(figsize=(TEXT_WIDTH_IN, 1.6 + 0.27 * len(rows)))
    cells = grid.set_index(["state", "year"])
    for i, (kind, name) in enumerate(rows):
        if kind == "heading":
            ax.text(-0.5, i + 0.25, name, ha="left", va="center", fontsize=9, fontweight="bold",
                    color=PALETTE["black"])
            continue
        for j, year in enumerate(years):
            if (name, year) not in cells.index or cells.loc[(name, year), "votes"] == 0:
                continue
            colour = cmap(float(cells.loc[(name, year), "share"]))
            ax.add_patch(mpl.patches.Rectangle((j - 0.47, i - 0.42), 0.94, 0.84, facecolor=colour,
                                               edgecolor="white", linewidth=0.4))
    ax.set_xticks(range(len(years)), [str(y) for y in years], rotation=90, fontsize=8)
    ax.set_yticks([i for i, (k, _) in enumerate(rows) if k == "state"], [n for k, n in rows if k == "state"])
    ax.set_xlim(-0.6, len(years) - 0.4)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.tick_params(length=0)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    bar = fig.colorbar(mpl.cm.ScalarMappable(norm=mpl.colors.Normalize(0, 1), cmap=cmap), ax=ax,
                       orientation="horizontal", location="bottom", fraction=0.04, pad=0.1, aspect=40)
    bar.set_label("share of the state's known votes that matched Russia's")
    bar.ax.tick_params(labelsize=8)
    return fig
