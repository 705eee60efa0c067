"""A small column chart of one key figure over the years, laid out here for an inline SVG.

Pure arithmetic: the template draws the rectangles and labels, so the page needs no chart
library and no script (the municipal rules forbid third-party requests; the CSP allows none).
"""

from dataclasses import dataclass
from decimal import Decimal

WIDTH = 320
HEIGHT = 160
TOP = 18  # room for the value above the highest column
BOTTOM = 20  # room for the years below the baseline
SIDE = 8
MAX_COLUMN = 44


@dataclass(frozen=True)
class Column:
    year: int
    value: Decimal
    x: float
    y: float
    width: float
    height: float
    centre: float
    value_y: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    baseline: float
    year_y: float
    left: float
    right: float
    columns: list[Column]


def _r(number: float) -> float:
    return round(number, 1)


def column_chart(points: list[tuple[int, Decimal]], *, width=WIDTH, height=HEIGHT) -> Chart | None:
    """Columns for (year, value) pairs in the order given; None when there is nothing to draw.

    The highest value fills the plot; a chart of zeros draws flat columns on the baseline.
    """
    if not points:
        return None
    baseline = height - BOTTOM
    plot_height = baseline - TOP
    plot_width = width - 2 * SIDE
    highest = max(value for _year, value in points) or Decimal(1)
    slot = plot_width / len(points)
    column_width = min(MAX_COLUMN, slot * 0.6)
    columns = []
    for index, (year, value) in enumerate(points):
        column_height = float(value / highest) * plot_height
        x = SIDE + slot * index + (slot - column_width) / 2
        columns.append(
            Column(
                year=year,
                value=value,
                x=_r(x),
                y=_r(baseline - column_height),
                width=_r(column_width),
                height=_r(column_height),
                centre=_r(x + column_width / 2),
                value_y=_r(baseline - column_height - 4),
            )
        )
    return Chart(
        width=width,
        height=height,
        baseline=baseline,
        year_y=height - 5,
        left=SIDE,
        right=width - SIDE,
        columns=columns,
    )
