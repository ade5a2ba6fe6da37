"""Figures of what the alliance has: exercises by series and year, and the forces' declared sizes
over time (Russia's facilities on the map are in :mod:`helpers.maps`).

Each figure passes :func:`helpers.style.legible`; its colours come from :mod:`helpers.style`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib import patheffects
from matplotlib.lines import Line2D

from .style import ORG_COLORS, PALETTE, TEXT_WIDTH_IN, legible, says_when_empty

#: How an exercise's status is drawn: marker, whether filled, and the offset within its series' row.
EXERCISE_STATUS = {
    "held": {"marker": "o", "filled": True, "dy": 0.0, "label": "held"},
    "announced": {"marker": "o", "filled": False, "dy": -0.25, "label": "only announced (no later report found)"},
    "called_off": {"marker": "X", "filled": True, "dy": 0.25, "label": "called off"},
}

#: One colour per kind of force (each force has its own marker shape, from FORCE_MARKERS).
FORCE_KIND_COLORS = {
    "collective": PALETTE["vermillion"],
    "regional": PALETTE["blue"],
    "air_defence": PALETTE["bluish_green"],
}

#: Marker shapes given to the forces in the order they first appear.
FORCE_MARKERS = ("o", "^", "D", "s", "v", "P", "X")



@legible
@says_when_empty("exercises")
def exercises_figure(grid: pd.DataFrame) -> plt.Figure:
    """Series (rows) by year: a mark for each year with an exercise of the series held, only
    announced, or called off (``capabilities.exercise_grid``); a number beside a mark counts
    more than one."""
    from .capabilities import SERIES

    series = [s for s in SERIES if s in set(grid["series"])]
    series += sorted(set(grid["series"]) - set(series))
    row = {s: i for i, s in enumerate(series)}
    fig, ax = plt.subplots(figsize=(TEXT_WIDTH_IN, 1.4 + 0.36 * len(series)))
    for r in grid.itertuples(index=False):
        style = EXERCISE_STATUS[str(r.status)]
        colour = ORG_COLORS[str(r.organization)] if style["marker"] == "o" else PALETTE["black"]
        y = row[r.series] + style["dy"]
        ax.plot(r.year, y, linestyle="", marker=style["marker"], markersize=6,
                markerfacecolor=colour if style["filled"] else "white", markeredgecolor=colour)
        if r.n > 1:
            ax.annotate(str(r.n), (r.year, y), xytext=(5, 0), textcoords="offset points", va="center", fontsize=8)
    years = range(int(grid["year"].min()), int(grid["year"].max()) + 1)
    ax.set_yticks(range(len(series)), series)
    ax.set_ylim(len(series) - 0.5, -0.6)
    ax.set_xticks([y for y in years if y % 2 == 0], [str(y) for y in years if y % 2 == 0], rotation=90)
    ax.set_xlim(years[0] - 0.7, years[-1] + 0.9)
    ax.grid(axis="x", color="#eeeeee", linewidth=0.5)
    ax.set_axisbelow(True)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    handles = [Line2D([], [], linestyle="", marker="o", color=ORG_COLORS[o], label=f"{o} exercise held")
               for o in ("CSTO", "SCO") if o in set(grid["organization"])]
    handles += [Line2D([], [], linestyle="", marker=s["marker"], markersize=6, label=s["label"],
                       markerfacecolor="white" if not s["filled"] else PALETTE["black"],
                       markeredgecolor=PALETTE["black"]) for k, s in EXERCISE_STATUS.items() if k != "held"]
    fig.legend(handles=handles, loc="outside lower center", ncol=2)
    return fig


@legible
@says_when_empty("declared sizes of forces")
def force_sizes_figure(sizes: pd.DataFrame) -> plt.Figure:
    """Declared sizes of each force by the date they were given (``capabilities.force_sizes(None)``):
    one marker shape per force, coloured by its kind; filled for the force's personnel, hollow for
    Russia's contribution; the force's key beside its last mark."""
    fig, ax = plt.subplots(figsize=(TEXT_WIDTH_IN, 4.2))
    when = sizes["as_of"].dt.year + (sizes["as_of"].dt.day_of_year - 1) / 366
    data = sizes.assign(when=when, thousands=sizes["value"] / 1000)
    shapes = dict(zip(dict.fromkeys(data["force_id"]), FORCE_MARKERS))
    labelled: list[tuple[float, float]] = []
    for (force_id, measure), group in data.groupby(["force_id", "measure"], sort=False):
        colour = FORCE_KIND_COLORS[str(group["kind"].iloc[0])]
        whole = measure == "personnel"
        ax.plot(group["when"], group["thousands"], linestyle=":", linewidth=0.8, color=colour,
                marker=shapes[force_id], markersize=6, markerfacecolor=colour if whole else "white")
        last = group.iloc[-1]
        dy = -11 * sum(abs(last["when"] - x) < 3 and abs(last["thousands"] - y) < 1.5 for x, y in labelled)
        labelled.append((last["when"], last["thousands"]))
        ax.annotate(str(force_id) if whole else f"{force_id} (Russia)", (last["when"], last["thousands"]),
                    xytext=(7, dy), textcoords="offset points", va="center", fontsize=8,
                    path_effects=[patheffects.withStroke(linewidth=2, foreground="white")])
    ax.set_ylabel("Declared personnel (thousands)")
    ax.set_ylim(0, max(data["thousands"].max() * 1.12, 1))
    ax.set_xlim(when.min() - 1, when.max() + 4)
    ax.grid(axis="y", color="#eeeeee", linewidth=0.5)
    ax.set_axisbelow(True)
    names = data.drop_duplicates("force_id").set_index("force_id")
    handles = [Line2D([], [], linestyle="", marker=shapes[i], color=FORCE_KIND_COLORS[str(r.kind)],
                      label=f"{i}: {r['name']}") for i, r in names.iterrows()]
    handles += [Line2D([], [], linestyle="", marker="o", color=PALETTE["black"], label="filled: the force's personnel"),
                Line2D([], [], linestyle="", marker="o", color=PALETTE["black"], markerfacecolor="white",
                       label="hollow: Russia's contribution")]
    fig.legend(handles=handles, loc="outside lower center", ncol=1)
    return fig
