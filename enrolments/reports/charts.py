"""Server-side SVG bar charts for the reports: the geometry is worked out here
from already aggregated rows, and templates/enrolments/reports/includes/
chart.html draws it as inline SVG (no JavaScript, no external asset). The
report's table is the accessible alternative with the exact figures; the
chart says so in its description.

Bars are horizontal so long course titles stay readable; a bar is one series
(plain bar chart) or several stacked ones. Coordinates are pre-formatted
strings so the template never localises a decimal point into a comma.
"""

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

WIDTH = 800
LABEL_WIDTH = 300
VALUE_WIDTH = 90
# A label's room at 13px, counted for wide letters (Cyrillic "Ш", "Ж", "М"
# take about 8px), so no label runs past the chart's left edge (labels end
# at the bars, text-anchor="end"): a longer one ends in "…" and keeps its
# whole text in the bar's tooltip and in the table.
LABEL_CHARS = (LABEL_WIDTH - 12) // 8
BAR_HEIGHT = 22
BAR_GAP = 8
TOP = 8
BAR_AREA = WIDTH - LABEL_WIDTH - VALUE_WIDTH
SERIES_CLASSES = 8  # static/css/reports.css has colours for 8 series


@dataclass(frozen=True)
class Segment:
    label: str
    value: object
    x: str
    width: str
    css_class: str


@dataclass(frozen=True)
class Bar:
    label: str
    short_label: str
    total_text: str
    y: str
    text_y: str
    value_x: str
    segments: list[Segment]


@dataclass(frozen=True)
class Chart:
    title: str
    description: str
    caption: str
    bars: list[Bar]
    legend: list[tuple[str, str]]
    height: int
    width: int = WIDTH
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT
    note: str = ""


def _fmt(number: float) -> str:
    return f"{number:.1f}"


def _value_text(value) -> str:
    return number_format(value, force_grouping=True)


def bar_chart(
    *,
    title: str,
    caption: str,
    rows: list[dict],
    label_key: str,
    series: list[tuple[str, str]],
    limit: int = 20,
    scale_max=None,
) -> Chart | None:
    """A horizontal (stacked when several series) bar chart of `rows`: one bar
    per row labelled with row[label_key], one segment per (key, label) in
    `series`. Only the `limit` largest bars are drawn (the table lists all);
    the longest bar spans the width unless `scale_max` (e.g. 100 for
    percentages) is given. None when there is nothing to draw."""
    totals = [(sum(row.get(key) or 0 for key, _label in series), row) for row in rows]
    drawn = [item for item in totals if item[0] > 0]
    drawn.sort(key=lambda item: item[0], reverse=True)
    if not drawn:
        return None
    note = ""
    if len(drawn) > limit:
        note = _("The %(shown)d largest of %(count)d are drawn; the table lists all.")
        note = note % {"shown": limit, "count": len(drawn)}
        drawn = drawn[:limit]
    largest = scale_max or drawn[0][0]
    bars = []
    for index, (total, row) in enumerate(drawn):
        y = TOP + index * (BAR_HEIGHT + BAR_GAP)
        x = float(LABEL_WIDTH)
        segments = []
        for number, (key, label) in enumerate(series):
            value = row.get(key) or 0
            if not value:
                continue
            width = float(value) / float(largest) * BAR_AREA
            segments.append(
                Segment(
                    label=label,
                    value=_value_text(value),
                    x=_fmt(x),
                    width=_fmt(max(width, 1.0)),
                    css_class=f"report-chart__series-{number % SERIES_CLASSES}",
                )
            )
            x += width
        label = str(row.get(label_key) or "")
        bars.append(
            Bar(
                label=label,
                short_label=Truncator(label).chars(LABEL_CHARS),
                total_text=_value_text(total),
                y=_fmt(y),
                text_y=_fmt(y + BAR_HEIGHT * 0.7),
                value_x=_fmt(x + 6),
                segments=segments,
            )
        )
    legend = [
        (label, f"report-chart__series-{number % SERIES_CLASSES}")
        for number, (_key, label) in enumerate(series)
    ]
    description = _(
        "Bar chart of %(count)d rows. The table below the chart gives every "
        "figure exactly."
    ) % {"count": len(bars)}
    return Chart(
        title=title,
        description=description,
        caption=caption,
        bars=bars,
        legend=legend if len(series) > 1 else [],
        height=TOP * 2 + len(bars) * (BAR_HEIGHT + BAR_GAP),
        note=note,
    )
