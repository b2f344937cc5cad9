"""The campaign's summary report as an A4 PDF with the vendored Chinese font embedded, so it
prints the same on a machine without Chinese fonts."""

from io import BytesIO

from django.conf import settings
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus.tables import LongTable

from yichuang.core.pdf import GRID, MUTED, SHADE, register_font
from yichuang.core.pdf import paragraph as _p

from .summary import Summary, score_text


def _styles() -> dict[str, ParagraphStyle]:
    font = register_font()
    base = ParagraphStyle("base", fontName=font, fontSize=10, leading=14, wordWrap="CJK")
    return {
        "base": base,
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11.5),
        "hall": ParagraphStyle("hall", parent=base, textColor=MUTED),
        "title": ParagraphStyle("title", parent=base, fontSize=18, leading=24, spaceAfter=2),
        "h2": ParagraphStyle(
            "h2", parent=base, fontSize=12, leading=16, spaceBefore=10, spaceAfter=4
        ),
    }


def _table(rows, widths, style, *, header=True) -> LongTable:
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), SHADE))
    cells = [[c if isinstance(c, Paragraph) else _p(c, style) for c in row] for row in rows]
    return LongTable(
        cells, colWidths=widths, repeatRows=1 if header else 0, style=TableStyle(commands)
    )


def _widths(total: float, fixed: list[float]) -> list[float]:
    """Fixed column widths in mm; those given as 0 share what is left."""
    widths = [w * mm for w in fixed]
    rest = (total - sum(widths)) / max(widths.count(0), 1)
    return [w or rest for w in widths]


def render_summary_pdf(summary: Summary) -> bytes:
    st = _styles()
    c = summary.campaign
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=16 * mm,
        rightMargin=16 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=f"{c.title} 活动总结",
        author=settings.HALL_NAME,
    )
    width = doc.width - 12
    story: list = [
        _p(settings.HALL_NAME, st["hall"]),
        _p(f"{c.title} 活动总结报告", st["title"]),
        _p(c.term, st["base"]) if c.term else Spacer(0, 0),
        Spacer(0, 4 * mm),
    ]
    phases = c.ordered_phases()
    period = f"{phases[0].starts_on:%Y-%m-%d} 至 {phases[-1].ends_on:%Y-%m-%d}" if phases else "—"
    facts = [
        ["活动期间", period, "自评截止", f"{c.assessment_due:%Y-%m-%d}"],
        ["考评总分", score_text(summary.max_total), "达标分", score_text(c.pass_score)],
        ["参评单位", str(len(summary.units)), "已提交自评", str(summary.submitted)],
        ["已验收", str(summary.signed_off), "验收合格", str(summary.passed)],
    ]
    fact_table = _table(facts, _widths(width, [24, 0, 24, 0]), st["cell"], header=False)
    fact_table.setStyle(
        TableStyle([("BACKGROUND", (0, 0), (0, -1), SHADE), ("BACKGROUND", (2, 0), (2, -1), SHADE)])
    )
    story.append(fact_table)

    story.append(_p("一、工作步骤", st["h2"]))
    rows = [["阶段", "起止日期", "工作要点"]] + [
        [p.name, f"{p.starts_on:%Y-%m-%d} 至 {p.ends_on:%Y-%m-%d}", p.note] for p in phases
    ]
    story.append(_table(rows, _widths(width, [24, 46, 0]), st["cell"]))

    story.append(_p("二、参评单位自评与验收", st["h2"]))
    rows = [["序号", "单位", "状态", "自评分", "验收分", "结论", "整改（销号/总数）", "备注"]]
    for n, line in enumerate(summary.units, start=1):
        u = line.unit
        notes = []
        if u.submitted_late:
            notes.append(f"经批准延期至 {u.due_on:%m-%d} 提交")
        if u.signed_off_at:
            notes.append(f"{timezone.localtime(u.signed_off_at):%m-%d} 验收")
        rows.append(
            [
                str(n),
                u.department.name,
                line.status_label,
                score_text(line.self_total),
                score_text(line.inspection_total),
                line.result,
                f"{line.rectifications_closed}/{line.rectifications}",
                "；".join(notes),
            ]
        )
    story.append(_table(rows, _widths(width, [10, 28, 20, 15, 15, 14, 24, 0]), st["cell"]))

    if summary.sections:
        story.append(_p("三、各项标准得分（验收分；括号内为自评分）", st["h2"]))
        header = ["单位"] + [f"{t}（{score_text(m)}）" for _pk, t, m in summary.sections]
        rows = [header]
        for line in summary.units:
            row = [line.unit.department.name]
            for pk, _t, _m in summary.sections:
                s, i = line.by_section.get(pk, (None, None))
                row.append(f"{score_text(i)}（{score_text(s)}）")
            rows.append(row)
        n = len(summary.sections)
        story.append(_table(rows, [28 * mm] + [(width - 28 * mm) / n] * n, st["cell"]))

    story.append(_p("四、整改事项", st["h2"]))
    if summary.rectifications:
        rows = [["单位", "整改要求", "期限", "状态", "整改情况 / 销号意见"]]
        for r in summary.rectifications:
            rows.append(
                [
                    r.unit.department.name,
                    r.description,
                    f"{r.due_on:%Y-%m-%d}",
                    r.get_status_display(),
                    "\n".join(x for x in (r.report, r.closing_note) if x),
                ]
            )
        story.append(_table(rows, _widths(width, [24, 0, 22, 16, 50]), st["cell"]))
    else:
        story.append(_p("无", st["base"]))

    for election, candidates in summary.elections:
        story.append(_p(f"五、{election.title}", st["h2"]))
        rows = [["名次", "姓名", "部门", "得票", "结果"]]
        for cand in candidates:
            result = "当选" if cand.elected else ("并列待定" if cand.tied else "")
            rows.append(
                [
                    str(cand.rank or "—"),
                    cand.staff.display_name,
                    cand.department.name,
                    str(cand.votes or 0),
                    result,
                ]
            )
        story.append(_table(rows, _widths(width, [14, 30, 0, 18, 22]), st["cell"]))
        story.append(_p(f"有效票 {election.ballots_counted or 0} 张。", st["cell"]))

    if c.summary:
        story.append(_p("活动总结", st["h2"]))
        story.append(_p(c.summary, st["base"]))

    footer = f"{c.title} · 生成于 {summary.generated_on:%Y-%m-%d}"

    def on_page(canvas, document):
        canvas.saveState()
        canvas.setFont(register_font(), 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(doc.leftMargin, 10 * mm, footer)
        canvas.drawRightString(A4[0] - doc.rightMargin, 10 * mm, f"第 {document.page} 页")
        canvas.restoreState()

    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
