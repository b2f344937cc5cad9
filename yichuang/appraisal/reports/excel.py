"""The monthly report and the dashboard's tables as Excel workbooks, Chinese headers, rates
as numbers formatted as percentages (so they can be recalculated)."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from yichuang.core.excel import append, put

from ..formatting import below_target, target_of
from ..queries import COLUMNS, DEFINED, definition
from .content import NOW_ONLY, SUMMARY, Report, explanations, ledger_note

BOLD = Font(bold=True)
RED = Font(color="B3261E")
SHADE = PatternFill("solid", fgColor="EEF1F5")
FORMATS = {"rate": "0.00%", "days": "0.0", "count": "0"}


def _header(ws, cells) -> None:
    append(ws, cells)
    for cell in ws[ws.max_row]:
        cell.font, cell.fill = BOLD, SHADE


def _put(ws, row: int, col: int, value, kind: str, red: bool = False) -> None:
    cell = put(ws, row, col, value)
    cell.number_format = FORMATS[kind]
    if red:
        cell.font = RED


def figures_sheet(ws, lines, scheme, first_header) -> None:
    """One row per group with every figure of COLUMNS."""
    _header(ws, [first_header] + [label for _a, label, _k in COLUMNS])
    for name, f in lines:
        append(ws, [name])
        row = ws.max_row
        for col, (attr, _label, kind) in enumerate(COLUMNS, start=2):
            value = getattr(f, attr)
            _put(ws, row, col, value, kind, below_target(attr, value, scheme))
    ws.column_dimensions["A"].width = 22
    ws.freeze_panes = "B2"


def report_workbook(report: Report) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("汇总")
    append(ws, [report.hall])
    append(ws, [report.title])
    append(ws, [_("统计期间"), str(report.period), _("对比上期"), str(report.previous)])
    append(ws, [])
    _header(ws, [_("指标"), _("本期"), _("上期"), _("目标"), _("定义")])
    for attr, label, kind in SUMMARY:
        append(ws, [str(label)])
        row = ws.max_row
        now = getattr(report.total, attr)
        _put(ws, row, 2, now, kind, below_target(attr, now, report.scheme))
        if attr not in NOW_ONLY:
            _put(ws, row, 3, getattr(report.previous_total, attr), kind)
        target = target_of(attr, report.scheme)
        if target is not None:
            _put(ws, row, 4, float(target), "rate")
        if attr in DEFINED:
            put(ws, row, 5, definition(attr))
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["E"].width = 90
    figures_sheet(
        wb.create_sheet(_("各部门")),
        [(name, f) for name, f, _b in report.departments],
        report.scheme,
        _("部门"),
    )
    figures_sheet(
        wb.create_sheet(_("各部门（上期）")),
        [(name, before) for name, _f, before in report.departments],
        report.scheme,
        _("部门"),
    )
    notes = wb.create_sheet(_("说明"))
    for line in explanations():
        append(notes, [line])
    notes.column_dimensions["A"].width = 120
    heads = wb.create_sheet(_("台账链头"))
    append(heads, [ledger_note(report)])
    _header(heads, [_("台账"), _("记录条数"), _("最后一条记录的哈希")])
    for title, anchor in report.ledger_heads:
        append(heads, [title, anchor.length, anchor.head])
    heads.column_dimensions["A"].width = 22
    heads.column_dimensions["C"].width = 80
    return _bytes(wb)


def table_workbook(table, scheme, title: str) -> bytes:
    """The dashboard's table (what the page shows) with its total."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("考评数据")
    append(ws, [title, str(table.period)])
    lines = [(label, f) for _k, label, f in table.lines()]
    lines.append((_("合计"), table.total))
    figures_sheet(ws, lines, scheme, _("对象"))
    ws.freeze_panes = "B3"
    return _bytes(wb)


def _bytes(wb) -> bytes:
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
