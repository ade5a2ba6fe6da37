"""The book's house style for figures: one palette, one font, one set of sizes.

Colours come from one palette (:data:`PALETTE`): the Okabe–Ito colours that reach 3:1
against white, and three darker colours in place of its orange, sky blue and yellow, so
that every colour that carries meaning meets WCAG 2.2's non-text contrast (1.4.11) and
the set stays distinguishable under the common forms of colour blindness; statuses that
must also survive greyscale printing carry a hatch pattern. :func:`legibility_faults`
refuses a figure whose text is too small or too faint, or one of whose marks is below
3:1 against the figure's background. The font is DejaVu Sans, which ships with matplotlib (no
web or system fonts are needed). Captions and alt text are written beside each
figure's code cell (``mystnb.figure.caption`` and ``mystnb.image.alt``).
"""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .formatting import long_date, range_text
from .vocabulary import words

#: The book's palette: five colours of Okabe & Ito (2008) and, for its orange (2.2:1 on
#: white), sky blue (2.3:1) and yellow (1.3:1), three colours found by search among those
#: of at least 3.2:1, keeping the least colour difference (CIELAB) between any two under
#: simulated normal, protan, deutan and tritan vision as large as Okabe–Ito's own (about 17).
PALETTE = {
    "black": "#000000",
    "blue": "#0072B2",          # 5.2:1 against white
    "vermillion": "#D55E00",    # 3.9:1
    "bluish_green": "#009E73",  # 3.4:1
    "reddish_purple": "#CC79A7",  # 3.1:1
    "olive": "#666633",         # 6.0:1 (was Okabe–Ito's yellow)
    "violet": "#8877EE",        # 3.6:1 (was sky blue)
    "plum": "#885577",          # 5.8:1 (was orange)
    "grey": "#767676",          # 4.5:1: "none", "absent" and text that is not black
}

#: One colour (and hatch, for greyscale print) per membership status, used in every figure.
STATUS_STYLE: dict[str, dict[str, Any]] = {
    "member": {"color": PALETTE["blue"], "hatch": "", "label": "Member"},
    "participation_frozen": {
        "color": PALETTE["vermillion"], "hatch": "///", "label": "Member, participation frozen",
    },
    "suspended": {"color": PALETTE["black"], "hatch": "xx", "label": "Suspended"},
    "signatory": {"color": PALETTE["violet"], "hatch": "..", "label": "Signatory (not yet in force)"},
    "associate_member": {"color": PALETTE["olive"], "hatch": "", "label": "Associate member"},
    "participant": {"color": PALETTE["olive"], "hatch": "\\\\", "label": "Participant (no Charter)"},
    "observer": {"color": PALETTE["plum"], "hatch": "", "label": "Observer"},
    "dialogue_partner": {"color": PALETTE["bluish_green"], "hatch": "", "label": "Dialogue partner"},
    "partner": {"color": PALETTE["reddish_purple"], "hatch": "", "label": "Partner"},
}

#: Width of the text block of the PDF (A4, Sphinx's default margins), in inches.
TEXT_WIDTH_IN = 6.3
#: Legibility floors: no text smaller than 8 pt in print (a figure is printed at its own
#: width, scaled down only if wider than the text block) ...
MIN_PRINT_PT = 8.0
#: ... nor than 11 px on screen, where the HTML shows the figure at its own width (at the
#: figure's dpi) or at most at the text column's width at 1280 px.
MIN_SCREEN_PX = 11.0
COLUMN_PX = 688


#: Contrast floors against the figure's background (WCAG 2.2: 1.4.11 for marks, 1.4.3 for text).
MIN_MARK_CONTRAST = 3.0
MIN_TEXT_CONTRAST = 4.5
#: The ``gid`` of an artist that carries no meaning (a divider, the ground of a map): it may be faint.
DECORATIVE = "decorative"


class IllegibleFigure(ValueError):
    """A figure with text below the legibility floors, or marks too faint to see."""


def contrast(color: Any, background: Any = "white") -> float:
    """WCAG 2.2's contrast ratio of two colours (any matplotlib colour), from 1 to 21."""
    def luminance(c: Any) -> float:
        r, g, b = (x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4
                   for x in mpl.colors.to_rgb(c))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    high, low = sorted((luminance(color), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def ink(color: Any) -> str:
    """``color`` darkened just enough to be text (4.5:1 against white), same hue."""
    rgb = mpl.colors.to_rgb(color)
    scale = 1.0
    while contrast(tuple(x * scale for x in rgb)) < MIN_TEXT_CONTRAST:
        scale -= 0.01
    return mpl.colors.to_hex(tuple(x * scale for x in rgb))


def _colours(artist: Any) -> list[tuple[str, Any]]:
    """The colours by which ``artist`` is seen: ``(part, colour)``, transparent ones left out."""
    if isinstance(artist, mpl.text.Text):
        return [("text", artist.get_color())]
    if isinstance(artist, Line2D):
        found = [("line", artist.get_color())] if artist.get_linestyle() not in ("None", "", " ") else []
        if artist.get_marker() not in (None, "None", "", " "):
            found += [("marker", artist.get_markerfacecolor()), ("marker edge", artist.get_markeredgecolor())]
        return [(part, c) for part, c in found if not _clear(c)]
    if isinstance(artist, (mpl.patches.Patch, mpl.collections.Collection)):
        faces = artist.get_facecolor()
        faces = [faces] if isinstance(faces, tuple) or getattr(faces, "ndim", 2) == 1 else list(faces)
        edges = artist.get_edgecolor()
        edges = [edges] if isinstance(edges, tuple) or getattr(edges, "ndim", 2) == 1 else list(edges)
        kind = "line" if isinstance(artist, mpl.collections.LineCollection) else "fill"
        found = [(kind, c) for c in faces if not _clear(c) and contrast(c) >= 1.05]
        return found or [("outline", c) for c in edges if not _clear(c)]  # a white fill: its outline
    return []


def _clear(color: Any) -> bool:
    return color is None or (not isinstance(color, str) and len(color) == 4 and color[3] == 0) \
        or (isinstance(color, str) and color.lower() == "none")


def contrast_faults(fig: plt.Figure) -> list[str]:
    """Each mark or text of ``fig`` too faint against the figure's background (white): marks
    (bars, lines, markers, areas, their legend keys) below 3:1, text below 4.5:1. Grid lines,
    axes, the figure's own ground and artists whose ``gid`` is :data:`DECORATIVE` are exempt; so
    is a white fill, which is seen by its outline (then the outline is checked)."""
    background = fig.get_facecolor()
    exempt = {id(fig.patch)}
    for ax in fig.axes:
        exempt |= {id(ax.patch), *map(id, ax.spines.values())}
        exempt |= {id(line) for line in ax.get_xgridlines() + ax.get_ygridlines()}
    faults = []
    for artist in fig.findobj(lambda a: a.get_visible() and id(a) not in {*exempt} and a.get_gid() != DECORATIVE):
        if isinstance(artist, mpl.legend.Legend):
            exempt.add(id(artist.legendPatch))
        if id(artist) in exempt or (isinstance(artist, mpl.text.Text) and not artist.get_text().strip()):
            continue
        for part, colour in _colours(artist):
            if part == "marker" and contrast(colour, background) < 1.05:
                continue  # a hollow marker: its edge is what is seen
            floor = MIN_TEXT_CONTRAST if part == "text" else MIN_MARK_CONTRAST
            ratio = contrast(colour, background)
            if ratio < floor - 1e-9:
                name = artist.get_text()[:30] if isinstance(artist, mpl.text.Text) else (
                    artist.get_label() or type(artist).__name__)
                faults.append(f"{name!r} ({part} {mpl.colors.to_hex(colour)}): {ratio:.2f}:1, below {floor:g}:1")
                break
    return faults


def legibility_faults(fig: plt.Figure) -> list[str]:
    """Each text of ``fig`` that falls below a floor, with its size in print and on screen."""
    fig.draw_without_rendering()  # the layout engine places labels and legends at draw time
    width_in = fig.get_tightbbox(fig.canvas.get_renderer()).width
    print_scale = min(1.0, TEXT_WIDTH_IN / width_in)
    screen_scale = min(1.0, COLUMN_PX / (width_in * fig.dpi))
    faults = []
    for text in fig.findobj(mpl.text.Text):
        if not text.get_visible() or not text.get_text().strip():
            continue
        size = float(text.get_fontsize())
        printed, shown = size * print_scale, size / 72 * fig.dpi * screen_scale
        if printed < MIN_PRINT_PT - 1e-6 or shown < MIN_SCREEN_PX - 1e-6:
            faults.append(f"{text.get_text()[:40]!r}: {printed:.1f} pt in print, {shown:.1f} px on screen")
    return faults


def legible(draw: _F) -> _F:
    """Make a figure function refuse to return a figure with text below the floors."""
    @functools.wraps(draw)
    def drawn(*args: Any, **kwargs: Any) -> plt.Figure:
        fig = draw(*args, **kwargs)
        faults = legibility_faults(fig)
        if faults:
            plt.close(fig)
            raise IllegibleFigure(f"{draw.__name__}: text below {MIN_PRINT_PT:g} pt in print or "
                                  f"{MIN_SCREEN_PX:g} px on screen: " + "; ".join(faults[:5]))
        faint = contrast_faults(fig)
        if faint:
            plt.close(fig)
            raise IllegibleFigure(f"{draw.__name__}: marks or text too faint against the background "
                                  "(WCAG 2.2, 1.4.11 and 1.4.3): " + "; ".join(faint[:5]))
        return fig
    drawn.checks_legibility = True  # type: ignore[attr-defined]
    return drawn  # type: ignore[return-value]


_F = TypeVar("_F", bound=Callable[..., plt.Figure])


def empty_figure(message: str) -> plt.Figure:
    """A small figure that says, in words, why there is nothing to draw."""
    fig, ax = plt.subplots(figsize=(TEXT_WIDTH_IN, 1.2))
    ax.axis("off")
    ax.text(0.5, 0.5, message, ha="center", va="center", wrap=True)
    return fig


def says_when_empty(what: str) -> Callable[[_F], _F]:
    """Make a figure function draw :func:`empty_figure` when its data (first argument) has no rows.

    That happens when a chapter is re-run with a cut-off date before the events it draws.
    """
    def wrap(draw: _F) -> _F:
        @functools.wraps(draw)
        def drawn(data: Any, *args: Any, **kwargs: Any) -> plt.Figure:
            if len(data) == 0:
                from .package import cutoff_text

                return empty_figure(f"No {what} in the data by the cut-off date, {cutoff_text()}.")
            return draw(data, *args, **kwargs)
        return drawn  # type: ignore[return-value]
    return wrap


#: The house style's settings (fonts, sizes, colours, output): one matplotlib style file.
HOUSE_STYLE = Path(__file__).with_name("house.mplstyle")


def use_house_style() -> None:
    """Apply the house style, and emit each figure as a 2x PNG (HTML) and a PDF (print).

    The PNG is drawn at twice the figure's dpi and says its size at 1x, so screens show it
    sharp at its own size, and a click opens it at full resolution; print gets vectors.
    """
    plt.style.use(HOUSE_STYLE)
    try:  # Inside a kernel: keep both formats so the PDF book gets vector figures.
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("retina", "pdf")
        shell = get_ipython()
        if shell is not None:
            shell.display_formatter.formatters["application/pdf"].for_type(mpl.figure.Figure, pdf_bytes)
    except ImportError:  # pragma: no cover - outside IPython nothing to configure
        pass


def pdf_bytes(fig: plt.Figure) -> str:
    """The figure as a PDF (base64), without the time it was drawn: the same figure gives the
    same bytes in every run (matplotlib otherwise writes the moment into ``CreationDate``)."""
    from IPython.core.pylabtools import print_figure

    return print_figure(fig, "pdf", base64=True, metadata={"CreationDate": None})  # type: ignore[no-any-return]


def status_legend(
    ax: plt.Axes | plt.Figure, statuses: list[str], extra: list[Any] | None = None, **kwargs: Any
) -> None:
    """Add a legend for the given statuses (house colours and hatches), plus ``extra`` handles,
    to an axes or (below all panels, with ``loc="outside lower center"``) to the figure."""
    handles: list[Any] = [
        Patch(
            facecolor=STATUS_STYLE[s]["color"],
            hatch=STATUS_STYLE[s]["hatch"],
            edgecolor="white",
            label=STATUS_STYLE[s]["label"],
        )
        for s in statuses
    ]
    ax.legend(handles=handles + list(extra or []), **kwargs)


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
        for when, _label in marks or []:
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


#: The CSTO response scale, lowest first, in one colour ramp (light to dark) for every figure.
RESPONSE_COLORS = {
    "none": PALETTE["grey"],
    "statement": PALETTE["violet"],
    "consultations": PALETTE["bluish_green"],
    "mission": PALETTE["plum"],
    "collective_deployment": PALETTE["vermillion"],
}


def _label(text: str) -> str:
    """A category as readers read it: the schema's words for the events' kinds and themes, else the
    code spaced."""
    text = str(text)
    return words("events", "kind").get(text) or words("events", "theme").get(text) or text.replace("_", " ")


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
    ax.set_yticks(range(len(cats)), [_label(c) for c in cats])
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
    ax.set_xticks(range(len(levels) + 1), ["request to"] + [_label(lv) for lv in levels],
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
    ax.set_yticks(range(len(levels)), [_label(lv) for lv in levels])
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
    ax.set_xticks(range(len(SHARED_SCALE)), [_label(v) for v in SHARED_SCALE], rotation=30, ha="right")
    ax.set_xlim(-0.5, len(SHARED_SCALE) - 0.5)
    ax.invert_yaxis()
    ax.grid(color="#eeeeee", linewidth=0.5)
    ax.set_axisbelow(True)
    ax.spines["left"].set_visible(False)
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=2, frameon=False)
    return fig


REASONS_FOR_STAYING_OUT = ("internal_affair", "not_member_territory", "disputed_border", "conflict_between_members",
                           "partner_on_other_side")


def _tick(text: str, width: int = 30) -> str:
    """A long tick label on two lines, broken near its middle (a short one is left whole)."""
    return text if len(text) <= width else "\n".join(textwrap.wrap(text, (len(text) + 1) // 2 + 1))


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
    ax.set_yticks(list(y), [_tick(reasons.get(k, _label(k))) for k in kinds])
    ax.invert_yaxis()
    ax.set_xlabel("crises")
    ax.set_xlim(0, max(max(a + n for a, n in zip(asked, not_asked)), 1) * 1.12)
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    ax.grid(axis="x", color="#dddddd", linewidth=0.5)
    ax.set_axisbelow(True)
    fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncol=2)
    return fig


ORG_COLORS = {
    "CSTO": PALETTE["vermillion"], "CST": PALETTE["vermillion"], "SCO": PALETTE["blue"],
    "CIS": PALETTE["black"], "EAEU": PALETTE["bluish_green"], "UNION_STATE": PALETTE["reddish_purple"],
    "GUAM": PALETTE["plum"], "OTS": PALETTE["violet"], "SHANGHAI5": PALETTE["blue"],
    # A predecessor takes its successor's colour, as the CST the CSTO's (the two never overlap in time);
    # CACO, which lived beside EurAsEC, has its own.
    "EURASEC": PALETTE["bluish_green"], "CACO": PALETTE["olive"],
}


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


def _style_grid(
    ax: plt.Axes, matrix: pd.DataFrame, styles: dict[str, dict[str, Any]],
    column_labels: dict[str, str] | None, rotation: int, fontsize: float | None = None,
    missing_mark: str | None = None,
) -> None:
    """Draw a rows-by-columns grid of cells styled by their value (colour and hatch)."""
    for i in range(len(matrix)):
        for j in range(len(matrix.columns)):
            value = matrix.iloc[i, j]
            if isinstance(value, str) and value in styles:
                style = styles[value]
                ax.add_patch(mpl.patches.Rectangle((j - 0.45, i - 0.4), 0.9, 0.8, facecolor=style["color"],
                                                   hatch=style["hatch"], edgecolor="white", linewidth=0.4))
            elif missing_mark:
                ax.text(j, i, missing_mark, ha="center", va="center", color=PALETTE["grey"])
    labels = column_labels or {}
    ax.set_xticks(range(len(matrix.columns)), [labels.get(c, c) for c in matrix.columns],
                  rotation=rotation, ha="right", fontsize=fontsize)
    ax.set_yticks(range(len(matrix)), list(matrix.index))
    ax.set_xlim(-0.6, len(matrix.columns) - 0.4)
    ax.set_ylim(len(matrix) - 0.5, -0.5)
    ax.tick_params(length=0)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)


@legible
@says_when_empty("memberships")
def matrix_figure(matrix: pd.DataFrame, org_labels: dict[str, str] | None = None) -> plt.Figure:
    """States (rows) by organizations (columns), each cell coloured by the status held."""
    fig, ax = plt.subplots(figsize=(TEXT_WIDTH_IN, 0.8 + 0.2 * len(matrix)))
    _style_grid(ax, matrix, STATUS_STYLE, org_labels, rotation=30)
    used = [s for s in STATUS_STYLE if (matrix == s).to_numpy().any()]
    status_legend(fig, used, loc="outside lower center", ncol=3)
    return fig


#: The families of event kinds that operation timelines draw, each in one colour and shape.
EVENT_FAMILIES: dict[str, dict[str, str]] = {
    "crisis": {"color": PALETTE["vermillion"], "marker": "s", "label": "the crisis on the ground"},
    "decisions": {"color": PALETTE["blue"], "marker": "o",
                  "label": "requests, meetings, votes and decisions"},
    "forces": {"color": PALETTE["bluish_green"], "marker": "^", "label": "forces deployed or withdrawn"},
    "statements": {"color": PALETTE["plum"], "marker": "D", "label": "statements"},
}
#: Each kind of event's family (the kinds are the events table's codes; a test checks that every
#: kind the schema allows has one).
EVENT_FAMILY_OF = {
    "crisis": "crisis", "request_for_assistance": "decisions", "csto_decision": "decisions",
    "summit_ministerial": "decisions", "vote": "decisions", "institutional_decision": "decisions",
    "treaty_agreement": "decisions", "deployment": "forces", "withdrawal": "forces", "exercise": "forces",
    "statement": "statements",
}


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


#: How each basis of a contingent figure is drawn: confirmed figures solid, press reports of what
#: was to be sent hollow (an outline), so that reported intentions do not read as counts.
BASIS_STYLE: dict[str, dict[str, Any]] = {
    "official": {"color": PALETTE["blue"], "solid": True, "label": "official figure"},
    "official_and_press": {"color": PALETTE["bluish_green"], "solid": True,
                           "label": "official and press figures (hatched: the range between them)"},
    "press_report": {"color": PALETTE["plum"], "solid": False,
                     "label": "press report of what was to be sent, not confirmed"},
}


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


ALIGNMENT_STYLE = {
    "with Russia": {"color": PALETTE["vermillion"], "hatch": ""},
    "absent": {"color": PALETTE["grey"], "hatch": ".."},
    "abstained": {"color": PALETTE["olive"], "hatch": ""},
    "against Russia": {"color": PALETTE["blue"], "hatch": ""},
}


@legible
@says_when_empty("recorded votes")
def alignment_figure(matrix: pd.DataFrame, column_labels: dict[str, str] | None = None) -> plt.Figure:
    """States (rows) by resolutions (columns): each vote classed against Russia's vote.

    Cells with no sourced vote are left white and marked with a dash.
    """
    fig, ax = plt.subplots(figsize=(TEXT_WIDTH_IN, 0.9 + 0.3 * len(matrix)))
    _style_grid(ax, matrix, ALIGNMENT_STYLE, column_labels, rotation=0, fontsize=8, missing_mark="–")
    for label in ax.get_xticklabels():  # upright, one column's label under it: none overlaps the next
        label.set_horizontalalignment("center")
    handles = [Patch(facecolor=s["color"], hatch=s["hatch"], edgecolor="white", label=k)
               for k, s in ALIGNMENT_STYLE.items()]
    handles.append(Line2D([], [], marker="_", markersize=7, markeredgewidth=1.2, linestyle="",
                          color=PALETTE["grey"], label="no sourced vote"))
    fig.legend(handles=handles, loc="outside lower center", ncol=5)
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


#: The colours of the agreement grid, from no vote matching Russia's (the alignment figure's
#: "against Russia") to every vote matching it (its "with Russia"); every step is at least 3:1
#: against white, and the two ends stay apart under the common colour-vision deficiencies.
AGREEMENT_CMAP = mpl.colors.LinearSegmentedColormap.from_list(
    "agreement", [PALETTE["blue"], PALETTE["vermillion"]])


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
