"""The monthly report's charts, drawn with reportlab.graphics in the embedded Chinese font:
each department's on-time and satisfaction rate against its target (red below it, the target
a dashed line, as on the dashboard), and the hall's last months (cases accepted and completed,
the good-rating rate). They draw the report's figures (appraisal.queries): nothing is
computed here but the geometry."""

from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors

from yichuang.core.pdf import GRID, MUTED, register_font

from ..formatting import below_target, target_of
from ..queries import COLUMNS

GREEN = colors.HexColor("#1e7d32")
RED = colors.HexColor("#b3261e")
ACCENT = colors.HexColor("#0b5cad")
LIGHT = colors.HexColor("#8fb3da")
INK = colors.HexColor("#1f2933")
LABELS = {attr: label for attr, label, _kind in COLUMNS}
HEIGHT = 185
# Room around each plot: the title above, the category labels (turned when crowded) below.
TOP, BOTTOM, LEFT, RIGHT = 30, 42, 34, 12


def _percent(value) -> str:
    return "" if value is None else f"{value:.1f}%"


def _small(x: float, y: float, text: str, *, anchor: str) -> String:
    return String(
        x, y, text, fontName=register_font(), fontSize=6.5, fillColor=INK, textAnchor=anchor
    )


def _title(drawing: Drawing, x: float, text: str) -> None:
    drawing.add(String(x, HEIGHT - 14, text, fontName=register_font(), fontSize=10, fillColor=INK))


def _category_axis(axis, names: list[str]) -> None:
    axis.categoryNames = names
    axis.labels.fontName = register_font()
    axis.labels.fontSize = 7
    axis.labels.fillColor = INK
    axis.strokeColor = MUTED
    crowded = len(names) > 8 or max((len(n) for n in names), default=0) * len(names) > 40
    if crowded:
        axis.labels.angle = 30
        axis.labels.boxAnchor = "ne"
        axis.labels.dx, axis.labels.dy = 4, -2


def _percent_axis(axis) -> None:
    axis.valueMin, axis.valueMax, axis.valueStep = 0, 100, 20
    axis.labelTextFormat = "%d%%"
    axis.labels.fontName = register_font()
    axis.labels.fontSize = 7
    axis.strokeColor = MUTED
    axis.visibleGrid = True
    axis.gridStrokeColor = GRID
    axis.gridStrokeWidth = 0.25


def _rate_chart(drawing: Drawing, x: float, width: float, attr: str, report) -> None:
    """One bar per department for the rate `attr`, red below the scheme's target."""
    rows = [(name, getattr(f, attr)) for name, f, _before in report.departments]
    target = target_of(attr, report.scheme)
    _title(drawing, x, _("各部门%(figure)s") % {"figure": LABELS[attr]})
    chart = VerticalBarChart()
    chart.x, chart.y = x + LEFT, BOTTOM
    # wider on the right: the target's value is written beside its line
    chart.width, chart.height = width - LEFT - 3 * RIGHT, HEIGHT - TOP - BOTTOM
    chart.data = [[None if rate is None else rate * 100 for _name, rate in rows] or [None]]
    chart.strokeColor = None
    chart.bars.strokeColor = None
    chart.barWidth, chart.groupSpacing = 10, 8
    for i, (_name, rate) in enumerate(rows):
        chart.bars[(0, i)].fillColor = RED if below_target(attr, rate, report.scheme) else GREEN
    chart.barLabelFormat = _percent
    chart.barLabels.fontName = register_font()
    chart.barLabels.fontSize = 6.5
    # inside the bar's top, in white
    chart.barLabels.boxAnchor, chart.barLabels.nudge = "n", -3
    chart.barLabels.fillColor = colors.white
    _percent_axis(chart.valueAxis)
    _category_axis(chart.categoryAxis, [name for name, _rate in rows] or ["—"])
    if target is not None:
        # behind the bars: it shows between them, and never crosses a bar's value
        y = chart.y + chart.height * float(target)
        drawing.add(
            Line(chart.x, y, chart.x + chart.width, y, strokeColor=INK, strokeDashArray=[3, 2])
        )
        label = _("目标 %(t)s") % {"t": f"{float(target) * 100:.0f}%"}
        drawing.add(_small(chart.x + chart.width + 3, y - 2, label, anchor="start"))
    drawing.add(chart)


def department_charts(report, width: float) -> Drawing:
    """Each department's on-time rate and satisfaction rate, side by side."""
    drawing = Drawing(width, HEIGHT)
    half = width / 2
    _rate_chart(drawing, 0, half - 6, "on_time_rate", report)
    _rate_chart(drawing, half + 6, half - 6, "satisfaction_rate", report)
    return drawing


def _legend(drawing: Drawing, x: float, items) -> None:
    legend = Legend()
    legend.x, legend.y = x, HEIGHT - 8
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.fontName = register_font()
    legend.fontSize = 7.5
    legend.boxAnchor = "ne"
    legend.dx = legend.dy = 7
    legend.deltax = 50
    legend.colorNamePairs = items
    drawing.add(legend)


def trend_charts(report, width: float) -> Drawing:
    """The hall's last months: cases accepted and completed (bars), the good-rating rate
    (a line) — the report's month last, as far as it has gone."""
    months = report.months
    names = [f"{month:%Y-%m}" for month, _f in months]
    drawing = Drawing(width, HEIGHT)
    half = width / 2

    counts = VerticalBarChart()
    counts.x, counts.y = LEFT, BOTTOM
    counts.width, counts.height = half - 6 - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    counts.data = [[f.accepted for _m, f in months], [f.completed for _m, f in months]]
    counts.strokeColor = None
    counts.bars.strokeColor = None
    counts.bars[0].fillColor, counts.bars[1].fillColor = LIGHT, ACCENT
    counts.groupSpacing, counts.barSpacing = 6, 1
    counts.valueAxis.valueMin = 0
    counts.valueAxis.labels.fontName = register_font()
    counts.valueAxis.labels.fontSize = 7
    counts.valueAxis.strokeColor = MUTED
    counts.valueAxis.visibleGrid = True
    counts.valueAxis.gridStrokeColor = GRID
    counts.valueAxis.gridStrokeWidth = 0.25
    counts.valueAxis.forceZero = True
    _category_axis(counts.categoryAxis, names)
    drawing.add(counts)
    title = _("近 %(n)d 个月受理、办结件数") % {"n": len(months)}
    _title(drawing, 0, title)
    pairs = [(LIGHT, str(LABELS["accepted"])), (ACCENT, str(LABELS["completed"]))]
    _legend(drawing, half - 6 - RIGHT, pairs)

    rates = HorizontalLineChart()
    rates.x, rates.y = half + 6 + LEFT, BOTTOM
    rates.width, rates.height = half - 6 - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    rates.data = [[None if f.good_rate is None else f.good_rate * 100 for _m, f in months]]
    rates.strokeColor = None
    rates.lines[0].strokeColor = GREEN
    rates.lines[0].strokeWidth = 1.5
    rates.lines[0].symbol = makeMarker("FilledCircle", size=3.5, fillColor=GREEN)
    # a line needs two points; a single month with ratings is a dot
    rates.joinedLines = sum(f.good_rate is not None for _m, f in months) >= 2
    _percent_axis(rates.valueAxis)
    _category_axis(rates.categoryAxis, names)
    drawing.add(rates)
    # Each point's value above it (the chart's own labels lose their place after a month
    # without ratings): the points sit in the middle of their month's slot.
    slot = rates.width / max(len(months), 1)
    for i, (_m, f) in enumerate(months):
        if f.good_rate is not None:
            x, y = rates.x + (i + 0.5) * slot, rates.y + rates.height * f.good_rate + 5
            drawing.add(_small(x, y, _percent(f.good_rate * 100), anchor="middle"))
    _title(drawing, half + 6, _("近 %(n)d 个月好评率") % {"n": len(months)})
    return drawing
