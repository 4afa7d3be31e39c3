"""Where a chart goes on the printed page: page capacity and row heights."""

from __future__ import annotations

import pytest

from spes_report.writers import summary
from spes_report.writers.pagination import (
    DEFAULT_ROW_PT,
    SAFETY,
    RowHeights,
    anchor_row,
    fits_first_page,
    page_capacity,
)


class FakeSheet:
    """Stands for a worksheet where only row heights matter."""

    def get_name(self) -> str:
        return "Feuille"

    def set_row(self, row: int, height: float) -> int:
        return 0


def test_page_capacity_of_the_summary_is_about_660_points() -> None:
    # 182 characters of columns print at 76 % on A4 landscape; the initial targets and
    # the weather add a few, taken from the text columns.
    assert page_capacity(width for _, width in summary.Layout().columns) == pytest.approx(
        660, abs=1)
    wide = summary.Layout(revised=True, weather=True)
    assert sum(width for _, width in wide.columns) <= 186


def test_chart_stays_below_the_table_when_it_fits() -> None:
    heights = RowHeights(FakeSheet())
    for row in range(10):
        heights.set(row, 20)
    assert anchor_row(heights, 10, 300, capacity=600) == 10


def test_chart_moves_to_the_next_page_when_it_would_be_cut() -> None:
    heights = RowHeights(FakeSheet())
    heights.set(0, 30)  # the repeated header
    for row in range(1, 25):
        heights.set(row, 20)  # 510 points: the page is nearly full
    row = anchor_row(heights, 25, 300, capacity=600, repeated_row=0)
    start = 30 + 24 * 20 + sum(DEFAULT_ROW_PT for _ in range(25, row))
    assert start > 600  # on the second page…
    assert start - 600 + 300 * 0.75 < 600  # …where it fits whole


def test_chart_just_after_an_estimated_break_keeps_a_cushion_below_it() -> None:
    # The rows before the chart end 5 points past the estimated page end: the real
    # page (fonts measure differently) may hold them and the chart's top with them.
    heights = RowHeights(FakeSheet())
    heights.set(0, 30)  # the repeated header
    for row in range(1, 31):
        heights.set(row, 20)  # 30 + 600 points: the last row goes over, just
    row = anchor_row(heights, 31, 300, capacity=620, repeated_row=0)
    # Under the estimated break by the cushion at least, never right under it.
    after_break = 20 + sum(DEFAULT_ROW_PT for _ in range(31, row))
    assert row > 31
    assert after_break >= 620 * 0.08


def test_row_below_counts_row_heights() -> None:
    heights = RowHeights(FakeSheet())
    heights.set(3, 30)
    # 40 px = 30 points: exactly row 3.
    assert heights.row_below(3, 40) == 4
    assert heights.row_below(3, 41) == 5


def test_fits_first_page_counts_every_row_and_the_cushion() -> None:
    heights = RowHeights(FakeSheet())
    for row in range(10):
        heights.set(row, 50)
    assert fits_first_page(heights, 9, capacity=500 / (1 - SAFETY))
    assert not fits_first_page(heights, 9, capacity=500)
