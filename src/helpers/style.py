"""The house style of the book's figures: every palette, the page and screen sizes, and the
legibility check every figure passes: one palette, one font, one set of sizes.

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


_F = TypeVar("_F", bound=Callable[..., plt.Figure])


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


#: The CSTO response scale, lowest first, in one colour ramp (light to dark) for every figure.
RESPONSE_COLORS = {
    "none": PALETTE["grey"],
    "statement": PALETTE["violet"],
    "consultations": PALETTE["bluish_green"],
    "mission": PALETTE["plum"],
    "collective_deployment": PALETTE["vermillion"],
}


ORG_COLORS = {
    "CSTO": PALETTE["vermillion"], "CST": PALETTE["vermillion"], "SCO": PALETTE["blue"],
    "CIS": PALETTE["black"], "EAEU": PALETTE["bluish_green"], "UNION_STATE": PALETTE["reddish_purple"],
    "GUAM": PALETTE["plum"], "OTS": PALETTE["violet"], "SHANGHAI5": PALETTE["blue"],
    # A predecessor takes its successor's colour, as the CST the CSTO's (the two never overlap in time);
    # CACO, which lived beside EurAsEC, has its own.
    "EURASEC": PALETTE["bluish_green"], "CACO": PALETTE["olive"],
}


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


#: How each basis of a contingent figure is drawn: confirmed figures solid, press reports of what
#: was to be sent hollow (an outline), so that reported intentions do not read as counts.
BASIS_STYLE: dict[str, dict[str, Any]] = {
    "official": {"color": PALETTE["blue"], "solid": True, "label": "official figure"},
    "official_and_press": {"color": PALETTE["bluish_green"], "solid": True,
                           "label": "official and press figures (hatched: the range between them)"},
    "press_report": {"color": PALETTE["plum"], "solid": False,
                     "label": "press report of what was to be sent, not confirmed"},
}


ALIGNMENT_STYLE = {
    "with Russia": {"color": PALETTE["vermillion"], "hatch": ""},
    "absent": {"color": PALETTE["grey"], "hatch": ".."},
    "abstained": {"color": PALETTE["olive"], "hatch": ""},
    "against Russia": {"color": PALETTE["blue"], "hatch": ""},
}


#: The colours of the agreement grid, from no vote matching Russia's (the alignment figure's
#: "against Russia") to every vote matching it (its "with Russia"); every step is at least 3:1
#: against white, and the two ends stay apart under the common colour-vision deficiencies.
AGREEMENT_CMAP = mpl.colors.LinearSegmentedColormap.from_list(
    "agreement", [PALETTE["blue"], PALETTE["vermillion"]])


def category_label(text: str) -> str:
    """A category as readers read it: the schema's words for the events' kinds and themes, else the
    code spaced."""
    text = str(text)
    return words("events", "kind").get(text) or words("events", "theme").get(text) or text.replace("_", " ")


def style_grid(
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


def two_lines(text: str, width: int = 30) -> str:
    """A long tick label on two lines, broken near its middle (a short one is left whole)."""
    return text if len(text) <= width else "\n".join(textwrap.wrap(text, (len(text) + 1) // 2 + 1))
