"""The monthly report as a landscape A4 PDF with the vendored Chinese font embedded."""

from io import BytesIO

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus.tables import LongTable

from yichuang.core.pdf import GRID, MUTED, SHADE, register_font
from yichuang.core.pdf import paragraph as _p

from ..formatting import below_target, change, fmt, target_of
from ..queries import DEFINED, definition
from .content import DEPARTMENT_COLUMNS, NOW_ONLY, SUMMARY, Report, explanations, ledger_note
from .pdf_charts import department_charts, trend_charts

RED = colors.HexColor("#b3261e")


def _styles():
    font = register_font()
    base = ParagraphStyle("base", fontName=font, fontSize=9.5, leading=13, wordWrap="CJK")
    return {
        "base": base,
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11),
        "definition": ParagraphStyle("definition", parent=base, fontSize=7.5, leading=9.5),
        "title": ParagraphStyle("title", parent=base, fontSize=18, leading=24),
        "hall": ParagraphStyle("hall", parent=base, textColor=MUTED),
        "h2": ParagraphStyle(
            "h2", parent=base, fontSize=12, leading=16, spaceBefore=8, spaceAfter=4, keepWithNext=1
        ),
    }


def _grid(extra=()) -> TableStyle:
    return TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, GRID),
            ("BACKGROUND", (0, 0), (-1, 0), SHADE),
            ("FONTNAME", (0, 0), (-1, -1), register_font()),
            ("FONTSIZE", (0, 0), (-1, -1), 8.5),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            *extra,
        ]
    )


def render_report_pdf(report: Report) -> bytes:
    st = _styles()
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=14 * mm,
        title=report.title,
        author=report.hall,
        subject=_("月报"),
    )
    span = _("统计期间：%(period)s") % {"period": report.period}
    if report.is_partial:
        span += _("（本月尚未结束，数据截至 %(day)s）") % {"day": report.period.end}
    story = [
        _p(report.hall, st["hall"]),
        _p(report.title, st["title"]),
        _p(span + _("；对比上期：%(prev)s") % {"prev": report.previous}, st["base"]),
        _p(_("生成时间：%(at)s") % {"at": f"{report.generated_at:%Y-%m-%d %H:%M}"}, st["base"]),
        Spacer(0, 3 * mm),
        _p(_("一、总体情况"), st["h2"]),
    ]
    rows = [[_("指标"), _("本期"), _("上期"), _("变化"), _("目标"), _("定义")]]
    red = []
    for i, (attr, label, kind) in enumerate(SUMMARY, start=1):
        now = getattr(report.total, attr)
        before = None if attr in NOW_ONLY else getattr(report.previous_total, attr)
        target = target_of(attr, report.scheme)
        rows.append(
            [
                str(label),
                fmt(now, kind),
                fmt(before, kind),
                change(now, before, kind),
                fmt(target, "rate") if target is not None else "",
                _p(definition(attr), st["definition"]) if attr in DEFINED else "",
            ]
        )
        if below_target(attr, now, report.scheme):
            red.append(("TEXTCOLOR", (1, i), (1, i), RED))
    story.append(
        LongTable(
            rows,
            colWidths=[34 * mm, 20 * mm, 20 * mm, 18 * mm, 18 * mm, doc.width - 110 * mm - 4],
            repeatRows=1,
            # compact, so that the summary with its definitions stays on the first page
            style=_grid(
                [
                    *red,
                    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ]
            ),
            hAlign="LEFT",
        )
    )
    story += [Spacer(0, 4 * mm), trend_charts(report, doc.width)]

    story.append(_p(_("二、各部门情况"), st["h2"]))
    header = [_("部门")] + [str(label) for _a, label, _k in DEPARTMENT_COLUMNS]
    rows, red = [[_p(h, st["cell"]) for h in header]], []
    for r, (name, f, _before) in enumerate(report.departments, start=1):
        cells = [_p(name, st["cell"])]
        for c, (attr, _label, kind) in enumerate(DEPARTMENT_COLUMNS, start=1):
            cells.append(fmt(getattr(f, attr), kind))
            if below_target(attr, getattr(f, attr), report.scheme):
                red.append(("TEXTCOLOR", (c, r), (c, r), RED))
        rows.append(cells)
    rows.append(
        [_p(_("合计"), st["cell"])]
        + [fmt(getattr(report.total, attr), kind) for attr, _l, kind in DEPARTMENT_COLUMNS]
    )
    width = doc.width - 4
    first = 26 * mm
    rest = (width - first) / len(DEPARTMENT_COLUMNS)
    story.append(
        LongTable(
            rows,
            colWidths=[first] + [rest] * len(DEPARTMENT_COLUMNS),
            repeatRows=1,
            style=_grid(red),
        )
    )
    story += [Spacer(0, 4 * mm), department_charts(report, doc.width)]

    story.append(_p(_("三、需关注事项"), st["h2"]))
    notes = report.attention() or [_("本期各部门均达到目标，无超期件和属实投诉。")]
    story += [_p(f"{i}. {note}", st["base"]) for i, note in enumerate(notes, start=1)]

    story.append(_p(_("四、指标说明"), st["h2"]))
    for line in explanations():
        story.append(_p(line, st["cell"]))

    story.append(_p(_("五、台账链头（防篡改核验）"), st["h2"]))
    story.append(_p(ledger_note(report), st["cell"]))
    rows = [[_("台账"), _("记录条数"), _("最后一条记录的哈希")]]
    rows += [[title, str(a.length), a.head] for title, a in report.ledger_heads]
    story.append(
        LongTable(
            rows,
            colWidths=[40 * mm, 22 * mm, doc.width - 62 * mm - 4],
            repeatRows=1,
            # The hash is read and compared character by character: a fixed-width face.
            style=_grid(
                [("FONTNAME", (2, 1), (2, -1), "Courier"), ("FONTSIZE", (2, 1), (2, -1), 8)]
            ),
            hAlign="LEFT",
        )
    )

    def on_page(canvas, document):
        canvas.saveState()
        canvas.setFont(register_font(), 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(doc.leftMargin, 8 * mm, f"{report.hall} · {report.title}")
        canvas.drawRightString(
            landscape(A4)[0] - doc.rightMargin, 8 * mm, _("第 %(n)d 页") % {"n": document.page}
        )
        canvas.restoreState()

    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
