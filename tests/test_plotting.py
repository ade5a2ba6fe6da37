"""The house-style figures draw from the tiny package without error and show what they claim."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402

import helpers  # noqa: E402
from helpers import plotting  # noqa: E402


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
    legend = [t.get_text() for t in fig.axes[-1].get_legend().get_texts()]
    assert "handover (18 September 2003)" in legend
    fig = plotting.member_count_figure({"Old": helpers.member_counts("CST")}, pd.Timestamp("2010-01-01"))
    assert fig.axes[0].get_legend().get_texts()[0].get_text() == "Old"


def test_crisis_figures(tiny: Path) -> None:
    crises = helpers.crises()
    fig = plotting.response_matrix_figure(crises)
    assert [t.get_text() for t in fig.axes[0].texts] == ["R"]  # one request in the tiny data
    fig = plotting.requests_timeline_figure(crises)
    assert len(fig.axes[0].collections) == 2
    fig = plotting.rationale_figure(crises)
    assert len(fig.axes[0].patches) == 2 * len(crises["rationale_type"].cat.categories)
    fig = plotting.chronology_figure(helpers.chronology())
    assert len(fig.axes[0].get_yticklabels()) == 2
