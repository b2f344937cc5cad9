"""The ledger as an Excel workbook: what the filter shows, personal data masked."""

from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook

from yichuang.core import audit
from yichuang.core.excel import append
from yichuang.core.masking import mask_id_number, mask_name, mask_phone

from .models import Channel, Status

HEADERS = [
    "办件编号",
    "事项",
    "渠道",
    "状态",
    "申请人",
    "证件号码",
    "联系电话",
    "部门",
    "岗位",
    "经办人",
    "收件时间",
    "受理时间",
    "办结期限",
    "办结时间",
    "是否按期",
    "预警",
]
LIGHTS = {"green": "绿灯", "yellow": "黄灯", "red": "红灯", None: ""}


def _local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M") if dt else ""


def ledger_workbook(queryset, *, by) -> HttpResponse:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("办件台账")
    append(ws, HEADERS)
    count = 0
    for c in queryset.iterator(chunk_size=2000):
        on_time = c.completed_on_time
        append(
            ws,
            [
                c.number,
                c.service.name,
                str(Channel(c.channel).label),
                str(Status(c.status).label),
                mask_name(c.applicant_name),
                mask_id_number(c.applicant_id_number),
                mask_phone(c.applicant_phone),
                c.department.name,
                c.post.name,
                c.assignee.display_name if c.assignee_id else "",
                _local(c.received_at),
                _local(c.accepted_at),
                c.deadline.isoformat() if c.deadline else "",
                _local(c.completed_at),
                "" if on_time is None else ("是" if on_time else "否"),
                LIGHTS.get(c.light, ""),
            ],
        )
        count += 1
    buffer = BytesIO()
    wb.save(buffer)
    audit.record("cases.ledger_exported", actor=by, summary=f"{count} rows")
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="ledger-{timezone.localdate():%Y%m%d}.xlsx"'
    )
    return response
