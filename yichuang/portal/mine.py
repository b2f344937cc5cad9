"""What 我的 shows a verified phone: its cases, bookings, tickets, inquiries and complaints,
each with its status, the next step in the applicant's words, and a link to its public page.

Each app answers "the items of a phone hash" in its queries.py; this module only words them.
The links carry the query code, as the confirmation pages and SMS do: the phone has just been
proven, and the code is what those pages ask for. Names and numbers are not shown: nothing here
needs them."""

from datetime import date, timedelta
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yichuang.appointments.models import AppointmentStatus, TicketStatus
from yichuang.appointments.queries import ahead_of, appointments_of_phone, tickets_of_phone
from yichuang.cases.models import Status as CaseStatus
from yichuang.cases.queries import cases_of_phone
from yichuang.feedback.models import ComplaintStatus
from yichuang.feedback.queries import complaints_of_phone
from yichuang.inquiries.models import Status as InquiryStatus
from yichuang.inquiries.queries import inquiries_of_phone

# How far back bookings and tickets are listed (cases, inquiries and complaints: the newest 50).
BOOKING_DAYS = 30
TICKET_DAYS = 7

CASE_NEXT = {
    CaseStatus.SUBMITTED: gettext_lazy(
        "窗口审核中：材料齐全即受理；不齐全的，将一次性告知需补交的全部材料"
    ),
    CaseStatus.SUPPLEMENT: gettext_lazy("请补交材料，可在办件页面上传"),
    CaseStatus.SUSPENDED: gettext_lazy("暂停计时（如检验、鉴定），结束后继续办理"),
    CaseStatus.COMPLETED: gettext_lazy("已办结，欢迎评价本次服务"),
    CaseStatus.REJECTED: gettext_lazy("不予受理，理由见办件页面和通知书"),
    CaseStatus.RETURNED: gettext_lazy("已退件，详见办件页面"),
}
INQUIRY_NEXT = {
    InquiryStatus.ANSWERED: gettext_lazy("已答复，请查看答复并评价"),
    InquiryStatus.REFERRED: gettext_lazy("已告知承办单位，请按答复中的联系方式联系"),
    InquiryStatus.CLOSED: gettext_lazy("已办结"),
}
COMPLAINT_NEXT = {
    ComplaintStatus.REPLIED: gettext_lazy("已答复，请查看答复"),
    ComplaintStatus.CLOSED: gettext_lazy("已办结，处理结果见详情"),
}


def _day(value) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


def _row(*, title, number, status, label, next_step, url, at) -> dict:
    return {
        "title": title,
        "number": number,
        "status": status,
        "status_label": str(label),
        "next": str(next_step),
        "url": url,
        "at": at,
    }


def _case_next(case) -> str:
    if case.status in (CaseStatus.ACCEPTED, CaseStatus.CHECKING):
        if case.deadline:
            return _("办理中，承诺于 %(day)s 前办结") % {"day": _day(case.deadline)}
        return _("办理中")
    return str(CASE_NEXT.get(case.status, ""))


def case_rows(digest: str) -> list[dict]:
    return [
        _row(
            title=case.service.name,
            number=case.number,
            status=case.status,
            label=case.get_status_display(),
            next_step=_case_next(case),
            url=reverse("portal:progress", args=[case.number]) + f"?c={case.query_code}",
            at=case.received_at,
        )
        for case in cases_of_phone(digest)
    ]


def _booking_next(appointment, today: date) -> str:
    if appointment.status == AppointmentStatus.CHECKED_IN:
        return _("已凭预约取号")
    if appointment.status == AppointmentStatus.CANCELLED:
        return _("预约已取消")
    if appointment.day < today:
        return _("预约时段已过")
    return _("请于 %(day)s %(start)s–%(end)s 到大厅，凭预约号和查询码取号") % {
        "day": _day(appointment.day),
        "start": f"{appointment.start:%H:%M}",
        "end": f"{appointment.end:%H:%M}",
    }


def booking_rows(digest: str, today: date) -> list[dict]:
    since = today - timedelta(days=BOOKING_DAYS)
    return [
        _row(
            title=a.service.name if a.service_id else a.group.name,
            number=a.number,
            status=a.status,
            label=a.get_status_display(),
            next_step=_booking_next(a, today),
            url=reverse("appointments:booking", args=[a.number]) + f"?c={a.query_code}",
            at=a.day,
        )
        for a in appointments_of_phone(digest, since=since)
    ]


def _ticket_next(ticket, today: date) -> str:
    if ticket.status in (TicketStatus.WAITING, TicketStatus.CALLED) and ticket.day < today:
        return _("当日未办理，排队号已失效")
    if ticket.status == TicketStatus.WAITING:
        ahead = ahead_of(ticket)
        if ahead:
            return _("前面还有 %(n)d 人，请留意叫号") % {"n": ahead}
        return _("下一位就是您，请留意叫号")
    if ticket.status == TicketStatus.CALLED:
        window = ticket.called_window.number if ticket.called_window_id else ""
        return _("请到 %(w)s 号窗口") % {"w": window}
    if ticket.status == TicketStatus.DONE:
        return _("已办理")
    return _("已过号，请重新取号")


def ticket_rows(digest: str, today: date) -> list[dict]:
    since = today - timedelta(days=TICKET_DAYS)
    return [
        _row(
            title=t.service.name if t.service_id else t.group.name,
            number=t.number,
            status=t.status,
            label=t.get_status_display(),
            next_step=_ticket_next(t, today),
            url=reverse("appointments:ticket", args=[t.pk]) + f"?c={t.code}",
            at=t.issued_at,
        )
        for t in tickets_of_phone(digest, since=since)
    ]


def _lookup_url(name: str, item) -> str:
    return reverse(name) + "?" + urlencode({"number": item.number, "code": item.query_code})


def inquiry_rows(digest: str) -> list[dict]:
    rows = []
    for inquiry in inquiries_of_phone(digest):
        if inquiry.status in (InquiryStatus.OPEN, InquiryStatus.ROUTED):
            next_step = _("将于 %(day)s 前答复，答复后短信通知您") % {"day": _day(inquiry.due)}
        else:
            next_step = str(INQUIRY_NEXT.get(inquiry.status, ""))
        rows.append(
            _row(
                title=inquiry.matter[:40],
                number=inquiry.number,
                status=inquiry.status,
                label=inquiry.get_status_display(),
                next_step=next_step,
                url=_lookup_url("inquiries:lookup", inquiry),
                at=inquiry.received_at,
            )
        )
    return rows


def complaint_rows(digest: str) -> list[dict]:
    rows = []
    for complaint in complaints_of_phone(digest):
        if complaint.is_running:
            next_step = _("将于 %(day)s 前答复您") % {"day": _day(complaint.due)}
        else:
            next_step = str(COMPLAINT_NEXT.get(complaint.status, ""))
        rows.append(
            _row(
                title=f"{complaint.get_kind_display()}：{complaint.subject}",
                number=complaint.number,
                status=complaint.status,
                label=complaint.get_status_display(),
                next_step=next_step,
                url=_lookup_url("feedback:complaint_status", complaint),
                at=complaint.received_at,
            )
        )
    return rows


def my_items(digest: str, *, today: date | None = None) -> list[dict]:
    """The sections of 我的 for a verified phone's keyed hash, in the page's order; a section
    without items is left out."""
    today = today or timezone.localdate()
    sections = [
        ("cases", _("办件"), case_rows(digest)),
        ("tickets", _("排队号"), ticket_rows(digest, today)),
        ("bookings", _("预约"), booking_rows(digest, today)),
        ("inquiries", _("咨询"), inquiry_rows(digest)),
        ("complaints", _("投诉建议"), complaint_rows(digest)),
    ]
    return [{"key": k, "title": t, "rows": rows} for k, t, rows in sections if rows]
