"""The ledger as an Excel workbook: what the filter shows, personal data masked, each case with
the position and hash of its last recorded step and a sheet with the chain's head at export
time — so a printed or archived export can later be checked against the database
(`manage.py verify_ledger`, core/ledger.py)."""

from io import BytesIO

from django.db.models import OuterRef, Subquery
from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook

from yichuang.core import audit, ledger
from yichuang.core.excel import append
from yichuang.core.masking import mask_id_number, mask_name, mask_phone

from .models import CaseEvent, Channel, Status

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
    "末条记录序号",
    "末条记录哈希",
]
LIGHTS = {"green": "绿灯", "yellow": "黄灯", "red": "红灯", None: ""}


def _local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M") if dt else ""


def ledger_workbook(queryset, *, by) -> HttpResponse:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("办件台账")
    append(ws, HEADERS)
    last = CaseEvent.objects.filter(case=OuterRef("pk")).order_by("-seq")
    queryset = queryset.annotate(
        last_seq=Subquery(last.values("seq")[:1]), last_hash=Subquery(last.values("hash")[:1])
    )
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
                c.last_seq,
                c.last_hash or "",
            ],
        )
        count += 1
    head = {a.chain: a for a in ledger.heads()}["cases.caseevent"]
    sheet = wb.create_sheet("链头")
    append(sheet, ["台账", "记录条数", "最后一条记录的哈希", "导出时间"])
    append(sheet, [ledger.chain_title(head.chain), head.length, head.head, _local(timezone.now())])
    buffer = BytesIO()
    wb.save(buffer)
    audit.record(
        "cases.ledger_exported",
        actor=by,
        summary=f"{count} rows",
        data={"chain_length": head.length, "chain_head": head.head},
    )
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="ledger-{timezone.localdate():%Y%m%d}.xlsx"'
    )
    return response
