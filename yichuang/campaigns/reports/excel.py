"""Workbooks: the campaign summary, and an election's count. The count has totals only —
there is nothing in the tables that would let it list who voted for whom."""

from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from yichuang.core.excel import append

from ..models import ItemAssessment
from .summary import Summary

HEADER_FILL = PatternFill("solid", fgColor="EEF1F5")


def _sheet(wb, title, headers, widths):
    ws = wb.create_sheet(title)
    append(ws, headers)
    for cell in ws[1]:
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = w
    ws.freeze_panes = "A2"
    return ws


def _num(value):
    return float(value) if value is not None else None


def _local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M") if dt else ""


def summary_workbook(summary: Summary) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    ws = _sheet(
        wb,
        "汇总",
        [
            "单位",
            "状态",
            "自评分",
            "验收分",
            "结论",
            "自评提交时间",
            "逾期（经批准）",
            "整改总数",
            "已销号",
            "验收结论",
        ],
        [16, 12, 10, 10, 8, 18, 14, 10, 10, 40],
    )
    for line in summary.units:
        u = line.unit
        append(
            ws,
            [
                u.department.name,
                line.status_label,
                _num(line.self_total),
                _num(line.inspection_total),
                line.result if u.passed is not None else "",
                _local(u.submitted_at),
                "是" if u.submitted_late else "",
                line.rectifications,
                line.rectifications_closed,
                u.conclusion,
            ],
        )

    ws = _sheet(
        wb,
        "逐项评分",
        ["单位", "标准", "考评内容", "分值", "自评分", "自评说明", "验收分", "验收意见"],
        [14, 16, 50, 8, 8, 36, 8, 36],
    )
    for a in (
        ItemAssessment.objects.filter(unit__campaign=summary.campaign)
        .select_related("unit__department", "item__section")
        .order_by("unit__department__sort_order", "item__section__position", "item__position")
    ):
        append(
            ws,
            [
                a.unit.department.name,
                a.item.section.title,
                a.item.title,
                _num(a.item.max_score),
                _num(a.self_score),
                a.self_note,
                _num(a.inspection_score),
                a.inspection_comment,
            ],
        )

    ws = _sheet(
        wb,
        "整改事项",
        ["单位", "整改要求", "期限", "状态", "整改情况", "销号意见", "销号时间"],
        [14, 50, 12, 10, 40, 30, 18],
    )
    for r in summary.rectifications:
        append(
            ws,
            [
                r.unit.department.name,
                r.description,
                r.due_on,
                r.get_status_display(),
                r.report,
                r.closing_note,
                _local(r.closed_at),
            ],
        )
    for election, candidates in summary.elections:
        _results_sheet(wb, f"{election.title}"[:28], candidates)
    return _save(wb)


def _results_sheet(wb, title, candidates):
    ws = _sheet(wb, title, ["名次", "姓名", "部门", "得票", "结果"], [8, 12, 16, 8, 10])
    for c in candidates:
        result = "当选" if c.elected else ("并列待定" if c.tied else "")
        append(ws, [c.rank, c.staff.display_name, c.department.name, c.votes or 0, result])
    return ws


def election_workbook(election, candidates, turnout: dict) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    _results_sheet(wb, "计票结果", candidates)
    ws = _sheet(wb, "投票情况", ["类别", "应投人数", "已投人数"], [16, 12, 12])
    for row in turnout["groups"]:
        append(ws, [row["label"], row["total"], row["voted"]])
    append(ws, ["合计", turnout["total"], turnout["voted"]])
    append(ws, ["票箱中选票", turnout["ballots"], None])
    return _save(wb)


def _save(wb) -> bytes:
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
