"""The membership maps draw the package's outlines, by status, and drop no state silently."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from helpers import maps, plotting
from helpers.plotting import STATUS_STYLE


@pytest.fixture(autouse=True)
def house_style() -> None:
    """The maps are drawn in the book's style, as the chapters draw them (not left to test order)."""
    plotting.use_house_style()


def test_the_projection_puts_its_origin_at_the_centre_and_keeps_north_up() -> None:
    x, y = maps.albers(np.array([80.0, 80.0]), np.array([45.0, 60.0]))
    assert abs(x[0]) < 1e-12 and abs(y[0]) < 1e-12
    assert abs(x[1]) < 1e-12 and y[1] > 0
    # Chukotka's outline crosses 180 degrees: its western part continues east, not across the map.
    east, _ = maps.albers(np.array([179.0, -179.0]), np.array([66.0, 66.0]))
    assert east[1] > east[0]


def test_statuses_on_a_date_join_a_treaty_and_its_successor(tiny: Path) -> None:
    assert maps.statuses_on(["CST", "CSTO"], "1993-01-01") == {"AAA": "signatory"}
    # In 2003 AAA is a treaty member and a charter signatory: membership is what is drawn.
    assert maps.statuses_on(["CST", "CSTO"], "2003-01-01") == {"AAA": "member"}
    assert maps.statuses_on(["CSTO"], "2025-01-01") == {"AAA": "participation_frozen", "CCC": "observer"}


def test_map_dates_stop_at_the_cutoff() -> None:
    assert maps.map_dates("2026-11-23")[-1] == pd.Timestamp("2026-11-23")
    assert len(maps.map_dates("2026-11-23")) == 4
    assert maps.map_dates("2000-01-01") == [pd.Timestamp("1994-07-01"), pd.Timestamp("2000-01-01")]


def test_the_map_colours_each_outline_by_status_and_names_what_it_cannot_draw(tiny: Path) -> None:
    fig = maps.membership_map_figure(["CSTO"], ["1990-01-01", "2025-01-01"], labels={"AAA": "left"})
    before, after = fig.axes[:2]
    assert [t.get_text() for t in before.texts] == ["Not yet founded\n(7 October 2002)"]
    # One collection of outlines per status: Aland's, then the two outlines with none.
    drawn = [(c.get_label(), to_hex(c.get_facecolor()[0]), len(c.get_paths())) for c in after.collections]
    assert drawn == [("participation_frozen", STATUS_STYLE["participation_frozen"]["color"].lower(), 1),
                     ("outside", maps.OUTSIDE, 2)]
    assert after.collections[0].get_hatch() == STATUS_STYLE["participation_frozen"]["hatch"]
    assert [t.get_text() for t in after.texts] == ["Aland"]  # an exception to plain membership, labelled
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend[:1] == ["Member, participation frozen"]
    # Cedria is an observer but has no outline: it is named, not dropped.
    assert any("Cedria (observer)" in text.replace("\n", " ") for text in legend)
