"""The house-style figures draw from the tiny package without error and show what they claim."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
import pytest

import helpers
from helpers import plotting


def test_palette_is_okabe_ito_and_style_applies(tiny: Path) -> None:
    plotting.use_house_style()
    assert matplotlib.rcParams["font.family"] == ["DejaVu Sans"]
    assert set(plotting.RESPONSE_COLORS) == {"none", "statement", "consultations", "mission",
                                             "collective_deployment"}


def test_timeline_and_count_figures(tiny: Path) -> None:
    fig = plotting.timeline_figure([("Old", helpers.spells("CST"))], until=pd.Timestamp("2010-01-01"),
                                   marks=[(pd.Timestamp("2003-09-18"), "handover")])
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["Aland", "Bokonia"]
    legend = [t.get_text() for t in fig.legends[0].get_texts()]  # below all panels
    assert "handover (18 September 2003)" in legend
    fig = plotting.member_count_figure({"Old": helpers.member_counts("CST")}, pd.Timestamp("2010-01-01"))
    assert fig.axes[0].get_legend().get_texts()[0].get_text() == "Old"
    fig = plotting.member_count_figure({"Old": helpers.member_counts("CST")}, pd.Timestamp("2010-01-01"),
                                       signed={"Old": helpers.member_counts("CST", signed=True)})
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == ["Old", "Old: signed, not yet in force"]
    band = fig.axes[0].collections[0].get_paths()[0].vertices
    before = band[band[:, 0] < mpl.dates.date2num(pd.Timestamp("1994-04-20"))]
    assert before[:, 1].max() == 1  # AAA's signature, before the treaty bound anyone


def test_crisis_figures(tiny: Path) -> None:
    crises = helpers.crises()
    fig = plotting.response_matrix_figure(crises)
    assert [t.get_text() for t in fig.axes[0].texts] == ["CSTO"]  # one request, to the CSTO
    fig = plotting.requests_timeline_figure(crises)
    assert len(fig.axes[0].collections) == 2
    fig = plotting.rationale_figure(crises)
    assert len(fig.axes[0].patches) == 2 * len(crises["rationale_type"].cat.categories)
    fig = plotting.chronology_figure(helpers.chronology())
    assert len(fig.axes[0].get_yticklabels()) == 2
    fig = plotting.substitution_figure(crises)
    # one row per crisis, a circle (the CSTO) and a diamond (Russia) on each; none of them is Russia's own
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["Aland unrest (2010)", "Cedria clash (2012)"]
    assert len(fig.axes[0].collections) == 2 * len(crises)


def test_network_and_operation_figures(tiny: Path) -> None:
    from helpers import network

    g = network.membership_graph("2012-07-01", ["CSTO", "CLUB"])
    fig = plotting.network_figure([("2012", g), ("2012 again", g)])
    assert [ax.get_title("left") or ax.get_title() for ax in fig.axes] == ["2012", "2012 again"]
    # Organizations sit beside their members: with Bokonia listed first, the Club (its only
    # organization) is drawn above the CSTO.
    fig = plotting.network_figure([("2012", g)], order=["BBB", "AAA"])
    heights = {t.get_text(): t.get_position()[1] for t in fig.axes[0].texts}
    assert heights["CLUB"] > heights["CSTO"] and heights["Bokonia"] > heights["Aland"]
    orgs = ["CST", "CSTO", "CLUB"]
    change = network.membership_change(network.membership_graph("2002-01-01", orgs),
                                       network.membership_graph("2025-01-01", orgs), core_org="CLUB")
    assert change[["iso3", "then", "now", "gained", "lost", "core"]].values.tolist() == [
        ["AAA", 1, 1, ("CSTO",), ("CST",), False], ["BBB", 1, 1, (), (), True]]  # by count, then name
    fig = plotting.membership_change_figure(change, "2002", "2025")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Aland", "Bokonia"]
    assert [t.get_fontweight() for t in ax.get_yticklabels()] == ["normal", "bold"]
    assert [t.get_text() for t in ax.texts] == ["+CSTO, \u2212CST"]
    fig = plotting.overlap_figure(network.overlap_series("CSTO", "CLUB", range(2010, 2013)), "A", "B")
    assert len(fig.axes) == 2
    fig = plotting.matrix_figure(network.membership_matrix("2012-07-01", ["CSTO", "CLUB"]))
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["Aland", "Bokonia", "Cedria"]
    fig = plotting.operation_timeline_figure(helpers.chronology())
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["Treaty signed", "Aland asks for help"]
    fig = plotting.contingents_figure(helpers.contingents())
    assert "100–150" in [t.get_text().strip() for t in fig.axes[0].texts]
    # With a total for the whole force: the sum and the total are rows of their own,
    # and the official figure is solid (the range above it hatched, an outline).
    total = helpers.reported_figures().loc["aaa-2010-troops"]
    fig = plotting.contingents_figure(helpers.contingents(), official=total)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "Aland", "sum of the national figures", "official total for the force\n(12 June 2010)"]
    assert [t.get_text().strip() for t in ax.texts] == ["100–150", "100–150", "1,200"]
    solid = [p for p in ax.patches if p.get_facecolor()[:3] != (1.0, 1.0, 1.0)]
    assert len(solid) == 3 and len(ax.patches) == 5  # low parts and the total solid; two hatched ranges


def test_compare_crises(tiny: Path) -> None:
    t = helpers.compare_crises(["aaa-2010", "ccc-2012"])
    assert list(t.columns) == ["field", "aaa-2010", "ccc-2012"]
    row = t.set_index("field").loc["deaths reported"]
    assert row.tolist() == ["400–470", ""]
    import pytest
    with pytest.raises(KeyError, match="unknown crises"):
        helpers.compare_crises(["nope"])


def test_the_style_file_carries_the_palette_and_turns_mathematics_off() -> None:
    import matplotlib

    from helpers.plotting import HOUSE_STYLE, PALETTE, use_house_style

    assert HOUSE_STYLE.name == "house.mplstyle" and HOUSE_STYLE.exists()
    use_house_style()
    cycle = [c.upper() for c in matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]]
    order = ("blue", "plum", "bluish_green", "vermillion", "reddish_purple", "violet", "olive", "black")
    assert cycle == [PALETTE[k].upper() for k in order]
    assert matplotlib.rcParams["text.parse_math"] is False and matplotlib.rcParams["font.size"] == 9


def test_compare_crises_writes_dates_as_the_prose_does(tiny: Path) -> None:
    t = helpers.compare_crises(["aaa-2010", "ccc-2012"]).set_index("field")
    assert t.loc["began"].tolist() == ["10 June 2010", "January 2012"]  # ccc-2012 is known to the month
    assert t.loc["request"].tolist() == ["12 June 2010", ""]


def test_date_text_keeps_the_precision() -> None:
    import pandas as pd

    from helpers.formatting import date_text

    day = pd.Timestamp("2023-05-01")
    assert (date_text(day), date_text(day, "month"), date_text(day, "year"), date_text(pd.NaT)) == \
        ("1 May 2023", "May 2023", "2023", "")


def test_figures_hold_the_legibility_floors() -> None:
    """8 pt in print, 11 px on screen: a smaller text is refused, with its size in both."""
    plotting.use_house_style()
    fig, ax = plt.subplots(figsize=(plotting.TEXT_WIDTH_IN, 2))
    ax.text(0.5, 0.5, "big enough", fontsize=8)
    assert plotting.legibility_faults(fig) == []
    ax.text(0.5, 0.2, "too small", fontsize=7)
    assert plotting.legibility_faults(fig) == ["'too small': 7.0 pt in print, 10.7 px on screen"]
    plt.close(fig)
    wide, ax = plt.subplots(figsize=(plotting.TEXT_WIDTH_IN * 1.5, 2))  # printed at 2/3 of its size
    ax.text(0, 0.5, "scaled down", fontsize=9)
    assert plotting.legibility_faults(wide)[0].startswith("'scaled down': 6.")
    plt.close(wide)

    @plotting.legible
    def tiny_figure() -> plt.Figure:
        f, a = plt.subplots()
        a.set_title("small", fontsize=6)
        return f

    with pytest.raises(plotting.IllegibleFigure, match="tiny_figure: text below 8 pt in print"):
        tiny_figure()


def test_every_figure_of_the_house_style_is_checked() -> None:
    figures = [name for name in dir(plotting) if name.endswith("_figure") and name != "empty_figure"]
    assert len(figures) >= 12
    assert [n for n in figures if not getattr(getattr(plotting, n), "checks_legibility", False)] == []


def test_every_kind_of_event_belongs_to_a_family_of_the_operation_timelines() -> None:
    from helpers.load import resource

    kinds = next(f for f in resource("events")["schema"]["fields"] if f["name"] == "kind")["constraints"]["enum"]
    assert set(plotting.EVENT_FAMILY_OF) == set(kinds)
    assert set(plotting.EVENT_FAMILY_OF.values()) == set(plotting.EVENT_FAMILIES)


def test_figures_and_dates_are_written_as_the_prose_writes_them() -> None:
    from helpers.formatting import long_date, range_text

    assert (range_text(150, 150), range_text(70, 100), range_text(3920, 3950)) == ("150", "70–100", "3,920–3,950")
    assert long_date("2004-07-01") == long_date(pd.Timestamp("2004-07-01")) == "1 July 2004"


def test_every_palette_colour_reaches_3_to_1_and_faint_marks_are_refused() -> None:
    """WCAG 2.2, 1.4.11: every colour that carries meaning is at least 3:1 against the figure's
    white ground; a figure drawing a fainter mark (Okabe–Ito's yellow, 1.3:1) or fainter text is
    refused by the same check that refuses small text."""
    import matplotlib.pyplot as plt

    from helpers.plotting import (
        DECORATIVE,
        PALETTE,
        RESPONSE_COLORS,
        STATUS_STYLE,
        IllegibleFigure,
        contrast,
        contrast_faults,
        ink,
        legible,
    )

    assert round(contrast("#000000"), 1) == 21.0 and round(contrast("#F0E442"), 2) == 1.32
    used = {*PALETTE.values(), *RESPONSE_COLORS.values(), *(s["color"] for s in STATUS_STYLE.values())}
    assert all(contrast(c) >= 3.0 for c in used), {c: round(contrast(c), 2) for c in used if contrast(c) < 3}
    assert all(contrast(ink(c)) >= 4.5 for c in PALETTE.values())

    @legible
    def faint(colour: str, text: str = "black") -> plt.Figure:
        fig, ax = plt.subplots(figsize=(4, 2))
        ax.bar([0, 1], [1, 2], color=[PALETTE["blue"], colour], label="bars")
        ax.axhline(0.5, color="#eeeeee", gid=DECORATIVE)  # a divider may be faint
        ax.grid(color="#eeeeee")
        ax.set_title("A title", color=text)
        return fig

    plt.close(faint(PALETTE["olive"]))
    with pytest.raises(IllegibleFigure, match=r"#f0e442\): 1.32:1, below 3:1"):
        faint("#F0E442")
    with pytest.raises(IllegibleFigure, match=r"'A title' \(text #aaaaaa\): 2.32:1, below 4.5:1"):
        faint(PALETTE["olive"], text="#aaaaaa")
    fig, ax = plt.subplots()
    ax.scatter([0], [0], facecolors="white", edgecolors="#F0E442")  # a hollow mark is seen by its edge
    assert contrast_faults(fig) and "outline" in contrast_faults(fig)[0]
    plt.close("all")


def test_a_count_given_as_a_range_reads_as_prose() -> None:
    from helpers.formatting import count_range

    assert count_range(443, 470) == "between 443 and 470"
    assert count_range(103, 103) == "103"
    assert count_range(6905, 7108) == "between 6,905 and 7,108"
    with pytest.raises(ValueError):
        count_range(5, 4)


def test_lists_shares_and_percentages_read_as_prose() -> None:
    from helpers.formatting import percent_text, series_text, share_text

    assert series_text(["1999"]) == "1999"
    assert series_text(["1999", "2010"]) == "1999 and 2010"
    assert series_text(["1999", "2010", "2020", "2021"]) == "1999, 2010, 2020 and 2021"
    assert share_text(2, 5) == "two of five"
    assert percent_text(0.1667) == "17 per cent" and percent_text(0.625) == "63 per cent"
    with pytest.raises(LookupError):
        share_text(0, 0)  # there is no share of nothing: absent at this cut-off
    with pytest.raises(ValueError):
        share_text(3, 2)
