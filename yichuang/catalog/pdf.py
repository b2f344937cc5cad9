"""The notification sheet as an A4 PDF, with the vendored Chinese font embedded so that it
prints the same on a machine without Chinese fonts."""

from io import BytesIO

from django.conf import settings
from django.utils.translation import gettext as _
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.tables import LongTable

from yichuang.core.pdf import FONT, GRID, MUTED, SHADE, QRFlowable, register_font
from yichuang.core.pdf import paragraph as _p

from .sheet import Sheet, closing_notes


def _styles() -> dict[str, ParagraphStyle]:
    font = register_font()
    base = ParagraphStyle("base", fontName=font, fontSize=10, leading=14, wordWrap="CJK")
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=12),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=12.5),
        "hall": ParagraphStyle("hall", parent=base, fontSize=10, textColor=MUTED),
        "title": ParagraphStyle("title", parent=base, fontSize=18, leading=24, spaceAfter=2),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=12, leading=16),
        "h2": ParagraphStyle(
            "h2", parent=base, fontSize=12, leading=16, spaceBefore=8, spaceAfter=4
        ),
        "center": ParagraphStyle(
            "center", parent=base, fontSize=7.5, leading=9, alignment=TA_CENTER
        ),
    }


def _grid(extra=()) -> TableStyle:
    return TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, GRID),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            *extra,
        ]
    )


def render_sheet_pdf(sheet: Sheet) -> bytes:
    """The sheet as PDF bytes; its QR code links to `sheet.url`."""
    st = _styles()
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=_("%(name)s 一次性告知单") % {"name": sheet.name},
        author=settings.HALL_NAME,
        subject=_("一次性告知单"),
    )
    width = doc.width - 12  # the frame pads 6 points on each side
    qr = [QRFlowable(sheet.url, 26 * mm), _p(_("扫码查看在线告知单"), st["center"])]
    heading = Table(
        [
            [
                [
                    _p(settings.HALL_NAME, st["hall"]),
                    _p(sheet.name, st["title"]),
                    _p(_("一次性告知单"), st["subtitle"]),
                ],
                qr,
            ]
        ],
        colWidths=[width - 30 * mm, 30 * mm],
        style=TableStyle(
            [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]
        ),
    )
    story: list = [heading, Spacer(0, 4 * mm)]

    label_width = 22 * mm
    half = (width - 2 * label_width) / 2
    facts: list[list] = []
    layout: list[tuple] = []  # reportlab's table style commands
    for number, pairs in enumerate(sheet.facts):
        cells = []
        for label, value in pairs:
            cells += [_p(label, st["cell"]), _p(value, st["cell"])]
        if len(pairs) == 1:
            cells += ["", ""]
            layout.append(("SPAN", (1, number), (3, number)))
        else:
            layout.append(("BACKGROUND", (2, number), (2, number), SHADE))
        facts.append(cells)
    story.append(
        Table(
            facts,
            colWidths=[label_width, half, label_width, half],
            style=_grid(
                [
                    ("BACKGROUND", (0, 0), (0, -1), SHADE),
                    *layout,
                ]
            ),
        )
    )
    if sheet.parts:
        story.append(_p(_("包含事项"), st["h2"]))
        rows = [[_p(h, st["cell"]) for h in (_("序号"), _("事项"), _("办理部门"), _("承诺时限"))]]
        for number, part in enumerate(sheet.parts, start=1):
            name = part["name"] + (f"（{_('牵头')}）" if part["lead"] else "")
            rows.append(
                [_p(str(number), st["cell"])]
                + [_p(text, st["cell"]) for text in (name, part["department"], part["limit"])]
            )
        fixed = [10 * mm, 0, 40 * mm, 44 * mm]
        fixed[1] = width - sum(fixed)
        story.append(
            Table(rows, colWidths=fixed, style=_grid([("BACKGROUND", (0, 0), (-1, 0), SHADE)]))
        )
    story.append(_p(_("设定依据"), st["h2"]))
    story.append(_p(sheet.basis, st["base"]))
    if sheet.conditions:
        story.append(_p(_("受理条件"), st["h2"]))
        story.append(_p(sheet.conditions, st["base"]))

    story.append(_p(_("申请材料"), st["h2"]))
    header = [_("序号"), _("材料名称"), _("要求"), _("原件"), _("复印件"), _("形式"), _("备注")]
    rows = [[_p(h, st["cell"]) for h in header]]
    for m in sheet.materials:
        rows.append(
            [
                _p(str(m.position), st["cell"]),
                _p(m.name, st["cell"]),
                _p(m.requirement, st["cell"]),
                _p(str(m.originals), st["cell"]),
                _p(str(m.copies), st["cell"]),
                _p(m.format, st["cell"]),
                _p(m.notes, st["cell"]),
            ]
        )
    fixed = [10 * mm, 0, 36 * mm, 11 * mm, 13 * mm, 17 * mm, 34 * mm]
    fixed[1] = width - sum(fixed)
    story.append(
        LongTable(
            rows,
            colWidths=fixed,
            repeatRows=1,
            style=_grid([("BACKGROUND", (0, 0), (-1, 0), SHADE)]),
        )
    )

    if sheet.steps:
        story.append(_p(_("办理流程"), st["h2"]))
        for step in sheet.steps:
            text = f"{step['position']}. {step['title']}"
            if step["description"]:
                text += f"：{step['description']}"
            story.append(_p(text, st["base"]))

    notes = [_p(_("温馨提示"), st["h2"])] + [_p(line, st["small"]) for line in closing_notes(sheet)]
    story.append(KeepTogether(notes))

    footer = _("%(name)s · 第 %(v)d 版（%(date)s）") % {
        "name": sheet.name,
        "v": sheet.version,
        "date": sheet.published_on,
    }

    def on_page(canvas, document):
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(doc.leftMargin, 10 * mm, footer)
        canvas.drawRightString(
            A4[0] - doc.rightMargin, 10 * mm, _("第 %(n)d 页") % {"n": document.page}
        )
        canvas.restoreState()

    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
