"""Maps: who held which status in an organization on a date, and Russia's facilities in the
CSTO's members, drawn on Eurasia.

The outlines are the data package's ``boundaries`` table (Natural Earth, 1:110m, public
domain), projected with an Albers equal-area conic projection so that the areas of
Russia, Central Asia and South Asia compare fairly. Statuses use the house colours
and hatches of :data:`helpers.plotting.STATUS_STYLE`.
"""

from __future__ import annotations

import textwrap
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.collections import PathCollection
from matplotlib.lines import Line2D
from matplotlib.path import Path as MplPath
from matplotlib.transforms import Bbox

from .formatting import long_date
from .load import load_table
from .memberships import DateLike, members_on
from .plotting import DECORATIVE, PALETTE, STATUS_STYLE, TEXT_WIDTH_IN, legible, says_when_empty, status_legend

#: Albers equal-area conic for Eurasia: central meridian, origin latitude, standard parallels.
PROJECTION = {"lon0": 80.0, "lat0": 45.0, "lat1": 35.0, "lat2": 65.0}
#: The part of the projected plane that each map shows (the CSTO's and the SCO's states, in full).
WINDOW = {"west": 18.0, "east": 140.0, "south": 5.0, "north": 78.0}
OUTSIDE = "#eeeeee"  # states outside the organization: a ground, not a category (DECORATIVE)
#: The dates of the membership maps before the cut-off: mid-1994 (the treaty in force), mid-2004
#: (after the 1999 split, and the SCO's first observer), mid-2012 (Uzbekistan's second exit).
MAP_DATES = ("1994-07-01", "2004-07-01", "2012-07-01")
#: The window of the map of Russia's facilities (degrees): Belarus to eastern Kazakhstan.
BASES_WINDOW = {"west": 22.0, "east": 88.0, "south": 35.0, "north": 57.0}


def map_dates(cutoff: DateLike) -> list[pd.Timestamp]:
    """The maps' dates that fall before ``cutoff``, then the cut-off date itself."""
    day = pd.Timestamp(cutoff)
    return [pd.Timestamp(d) for d in MAP_DATES if pd.Timestamp(d) < day] + [day]


def albers(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Project longitudes and latitudes (degrees) to the map plane (units of the Earth's radius)."""
    lon0, lat0, lat1, lat2 = (np.radians(PROJECTION[k]) for k in ("lon0", "lat0", "lat1", "lat2"))
    n = (np.sin(lat1) + np.sin(lat2)) / 2
    c = np.cos(lat1) ** 2 + 2 * n * np.sin(lat1)
    rho0 = np.sqrt(c - 2 * n * np.sin(lat0)) / n
    lon = np.where(np.asarray(lon) < -30, np.asarray(lon) + 360, lon)  # Chukotka east of 180 degrees
    rho = np.sqrt(c - 2 * n * np.sin(np.radians(lat))) / n
    theta = n * (np.radians(lon) - lon0)
    return rho * np.sin(theta), rho0 - rho * np.cos(theta)


def outline_path(geometry: dict[str, Any]) -> MplPath:
    """One matplotlib path for a GeoJSON (Multi)Polygon, holes included, in the map plane."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    rings = [np.asarray(ring, dtype=float) for polygon in polygons for ring in polygon]
    return MplPath.make_compound_path(*(MplPath(np.column_stack(albers(r[:, 0], r[:, 1])), closed=True)
                                        for r in rings))


def _window() -> tuple[float, float, float, float]:
    lon = np.linspace(WINDOW["west"], WINDOW["east"], 60)
    edge_lon = np.concatenate([lon, lon, [WINDOW["west"]] * 2, [WINDOW["east"]] * 2])
    edge_lat = np.concatenate([[WINDOW["south"]] * 60, [WINDOW["north"]] * 60,
                               [WINDOW["south"], WINDOW["north"]] * 2])
    x, y = albers(edge_lon, edge_lat)
    return x.min(), x.max(), y.min(), y.max()


def statuses_on(org_ids: list[str], date: DateLike) -> dict[str, str]:
    """Each state's status on ``date`` in any of ``org_ids`` (e.g. a treaty and its successor);
    a state holding two takes the one listed first in the house style (member before signatory)."""
    rank = {s: i for i, s in enumerate(STATUS_STYLE)}
    held: dict[str, str] = {}
    for org in org_ids:
        for row in members_on(org, date).itertuples(index=False):
            status = str(row.status)
            if row.iso3 not in held or rank[status] < rank[held[row.iso3]]:
                held[row.iso3] = status
    return held


def _not_yet(org_ids: list[str], date: DateLike) -> str | None:
    """Why an organization has no members on ``date``, if it had not been founded."""
    orgs = load_table("organizations").set_index("org_id").reindex(org_ids)
    if orgs["founding_date"].isna().all():  # founded after the cut-off: not yet in the record
        return "Not yet founded"
    first = orgs["founding_date"].min()
    if pd.Timestamp(date) < first:
        return f"Not yet founded\n({long_date(first)})"
    return None


@legible
def membership_map_figure(
    org_ids: list[str], dates: list[DateLike], *, columns: int = 2, labels: dict[str, str] | None = None,
) -> plt.Figure:
    """Small multiples of Eurasia, one map per date, each state coloured by its status in ``org_ids``.

    ``labels`` maps states (ISO codes) to the side ("left" or "right") on which to name them
    where they hold a status other than plain membership: the exceptions, which a small
    state's colour alone would hide. States with a status but no outline at this scale are
    named in the legend, so that none is dropped silently.
    """
    outlines = load_table("boundaries")
    x0, x1, y0, y1 = _window()
    view = Bbox.from_extents(x0, y0, x1, y1)
    paths = {row.name: outline_path(row.geometry) for row in outlines.itertuples(index=False)}
    paths = {name: path for name, path in paths.items() if path.get_extents().overlaps(view)}  # in view only
    by_iso3 = {row.iso3: row.name for row in outlines.itertuples(index=False) if pd.notna(row.iso3)}
    rows = -(-len(dates) // columns)
    panel_w = TEXT_WIDTH_IN / columns
    fig, axes = plt.subplots(rows, columns, squeeze=False,
                             figsize=(TEXT_WIDTH_IN, rows * panel_w * (y1 - y0) / (x1 - x0) + 1.1))
    drawn: set[str] = set()
    missing: dict[str, str] = {}
    states = load_table("states").set_index("iso3")["name"]
    for ax, date in zip(axes.flat, dates):
        held = statuses_on(org_ids, date)
        status_of = {by_iso3[iso3]: s for iso3, s in held.items() if iso3 in by_iso3}
        missing |= {str(states.get(iso3, iso3)): s for iso3, s in held.items() if iso3 not in by_iso3}
        groups: dict[str | None, list[MplPath]] = {}
        for name, path in paths.items():
            groups.setdefault(status_of.get(name), []).append(path)
        for status, group in groups.items():  # one collection per status: one hatch, one colour
            style = STATUS_STYLE[status] if status else {"color": OUTSIDE, "hatch": ""}
            ax.add_collection(PathCollection(group, facecolor=style["color"], hatch=style["hatch"] or None,
                                             edgecolor="white", linewidth=0.3, label=status or "outside",
                                             gid=None if status else DECORATIVE),
                              autolim=False)
        for iso3, side in (labels or {}).items():
            if held.get(iso3, "member") != "member" and iso3 in by_iso3:
                x, y = _anchor(paths[by_iso3[iso3]])
                ax.annotate(str(states.get(iso3, iso3)), (x, y), xytext=(-5 if side == "left" else 5, -5),
                            textcoords="offset points", ha="right" if side == "left" else "left", va="top",
                            fontsize=8,
                            path_effects=[patheffects.withStroke(linewidth=2, foreground="white")])
        drawn |= set(held.values())
        note = None if held else _not_yet(org_ids, date)
        if note:
            ax.text(0.5, 0.5, note, transform=ax.transAxes, ha="center", va="center", fontsize=8)
        ax.set_title(long_date(date), fontsize=8)
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_aspect("equal")
        ax.axis("off")
    for ax in axes.flat[len(dates):]:
        ax.axis("off")
    order = [s for s in STATUS_STYLE if s in drawn]
    extra = []
    if missing:
        listed = ", ".join(f"{name} ({STATUS_STYLE[s]['label'].lower()})" for name, s in sorted(missing.items()))
        note = textwrap.fill(f"Not drawn, too small at this scale: {listed}", 40)
        extra = [Line2D([], [], linestyle="", label=note)]
    status_legend(fig, order, extra=extra, loc="outside lower center", ncol=2 if extra else 3)
    return fig


def _anchor(path: MplPath) -> tuple[float, float]:
    """Where to anchor a label: the mean of the vertices of the outline's largest ring."""
    rings = path.to_polygons()
    largest = max(rings, key=lambda r: np.ptp(r[:, 0]) * np.ptp(r[:, 1]))
    return float(largest[:, 0].mean()), float(largest[:, 1].mean())


@legible
@says_when_empty("facilities of Russia")
def bases_map_figure(bases: pd.DataFrame, date: pd.Timestamp) -> plt.Figure:
    """The members of the treaty (the CSTO from 2002) on ``date`` and Russia's facilities on their
    territory, numbered, with the key below the map (``capabilities.bases``)."""
    lon = np.linspace(BASES_WINDOW["west"], BASES_WINDOW["east"], 40)
    edge = np.concatenate([lon, lon]), np.concatenate([[BASES_WINDOW["south"]] * 40, [BASES_WINDOW["north"]] * 40])
    ex, ey = albers(*edge)
    x0, x1, y0, y1 = ex.min(), ex.max(), ey.min(), ey.max()
    view = Bbox.from_extents(x0, y0, x1, y1)
    outlines = load_table("boundaries")
    known = set(load_table("organizations")["org_id"])  # the CSTO only once founded
    held = {iso3: status for iso3, status in statuses_on([o for o in ("CST", "CSTO") if o in known], date).items()
            if status in ("member", "participation_frozen")}
    fig, ax = plt.subplots(figsize=(TEXT_WIDTH_IN, TEXT_WIDTH_IN * (y1 - y0) / (x1 - x0) + 1.9))
    groups: dict[str | None, list] = {}
    for r in outlines.itertuples(index=False):
        path = outline_path(r.geometry)
        if path.get_extents().overlaps(view):
            groups.setdefault(held.get(r.iso3) if pd.notna(r.iso3) else None, []).append(path)
    for status, group in groups.items():
        style = STATUS_STYLE[status] if status else {"color": "#eeeeee", "hatch": ""}
        ax.add_collection(PathCollection(group, facecolor=style["color"], hatch=style["hatch"] or None,
                                         edgecolor="white", linewidth=0.4,
                                         gid=None if status else "decorative"), autolim=False)
    points = bases[bases["lat"].notna()].reset_index(drop=True)
    undrawn = bases[bases["lat"].isna()]
    px, py = albers(points["lon"].to_numpy(float), points["lat"].to_numpy(float))
    key = []
    placed: list[tuple[float, float]] = []
    step = (x1 - x0) / 42  # a marker's width: markers closer than this are set side by side
    for i, (x, y, r) in enumerate(zip(px, py, points.itertuples(index=False)), start=1):
        while any(abs(x - qx) < step and abs(y - qy) < step for qx, qy in placed):
            x += step
        placed.append((x, y))
        ax.plot(x, y, marker="o", markersize=11, markerfacecolor="white", markeredgecolor=PALETTE["black"])
        ax.annotate(str(i), (x, y), ha="center", va="center", fontsize=8)
        key.append(Line2D([], [], linestyle="", label=f"{i}  {r.name}: {r.place}, {r.host_name}"))
    key += [Line2D([], [], linestyle="", label=f"Not drawn (no position read): {r.name} ({r.host_name})")
            for r in undrawn.itertuples(index=False)]
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(f"Members on {long_date(date)} (coloured) and Russia's facilities (numbered;\n"
                 "markers closer than their width are set side by side)", fontsize=9)
    fig.legend(handles=key, loc="outside lower center", ncol=1, handlelength=0, handletextpad=0)
    status_legend(ax, [s for s in STATUS_STYLE if s in set(held.values())], loc="upper left")
    return fig
