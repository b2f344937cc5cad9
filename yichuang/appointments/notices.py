"""What applicants with a booking or a ticket are told. Services call these inside their
transaction; the notification module sends after commit (a refused booking tells nobody)."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from yichuang.core.notifications import Recipient, notify

from . import conf


def _applicant(appointment) -> Recipient:
    return Recipient(name=appointment.applicant_name, phone=appointment.applicant_phone)


def _context(appointment) -> dict:
    what = appointment.service.name if appointment.service_id else appointment.group.name
    return {"a": appointment, "what": what, "early": conf.checkin_early_minutes()}


def tell_booked(appointment) -> None:
    notify(
        _applicant(appointment),
        subject=_("预约成功（{{ a.number }}）"),
        body=_(
            "您已预约 {{ a.day|date:'n月j日' }} {{ a.start|time:'H:i' }}–{{ a.end|time:'H:i' }} "
            "办理“{{ what }}”，预约号 {{ a.number }}，查询码 {{ a.query_code }}。"
            "请提前到大厅取号机或用手机扫描预约二维码取号，可优先办理。"
        ),
        context=_context(appointment),
        channels=("sms",),
        about=appointment,
        kind="appointment.booked",
    )


def tell_reminder(appointment) -> None:
    notify(
        _applicant(appointment),
        subject=_("预约提醒（{{ a.number }}）"),
        body=_(
            "提醒：您预约了明天（{{ a.day|date:'n月j日' }}）{{ a.start|time:'H:i' }}–"
            "{{ a.end|time:'H:i' }} 办理“{{ what }}”。请于开始前 {{ early }} 分钟内到大厅，凭预约号 "
            "{{ a.number }} 和查询码 {{ a.query_code }} 取号。如不能前来，请及时取消预约。"
        ),
        context=_context(appointment),
        channels=("sms",),
        about=appointment,
        kind="appointment.reminder",
    )


def tell_cancelled(appointment) -> None:
    notify(
        _applicant(appointment),
        subject=_("预约已取消（{{ a.number }}）"),
        body=_(
            "您 {{ a.day|date:'n月j日' }} {{ a.start|time:'H:i' }} 办理“{{ what }}”的预约"
            "（{{ a.number }}）已取消。"
        ),
        context=_context(appointment),
        channels=("sms",),
        about=appointment,
        kind="appointment.cancelled",
    )


def tell_near_turn(ticket, *, ahead: int) -> None:
    """The walk-in or booked applicant who left the hall: few are left before them. The link
    opens the ticket page (its code is the page's secret; the audit record masks it)."""
    path = reverse("appointments:ticket", args=[ticket.pk]) + f"?c={ticket.code}"
    notify(
        Recipient(phone=ticket.phone),
        subject=_("快到您了（{{ t.number }}）"),
        body=_(
            "您的排队号 {{ t.number }}（{{ t.group.name }}）前面还有 {{ ahead }} 人，"
            "请回到大厅留意叫号。查看排队情况：{{ link }}"
        ),
        context={"t": ticket, "ahead": ahead, "link": _public_url(path), "code": ticket.code},
        channels=("sms",),
        about=ticket,
        kind="ticket.near_turn",
    )


def _public_url(path: str) -> str:
    return getattr(settings, "PUBLIC_BASE_URL", "").rstrip("/") + path
