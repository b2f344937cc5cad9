"""What askers and staff are told, and when. Services call these inside their transaction;
the notification module sends after commit."""

from django.urls import reverse
from django.utils.translation import gettext as _

from yichuang.core.notifications import Recipient, notify


def _asker(inquiry) -> Recipient:
    return Recipient(name=inquiry.asker_name, phone=inquiry.asker_phone, email=inquiry.asker_email)


def _context(inquiry, **extra) -> dict:
    matter = inquiry.matter if len(inquiry.matter) <= 20 else inquiry.matter[:20] + "…"
    return {"i": inquiry, "matter": matter, **extra}


def tell_asker_received(inquiry) -> None:
    """A letter, e-mail or online message: the asker learns the number, code and due date."""
    notify(
        _asker(inquiry),
        subject=_("您的咨询已收到（编号 {{ i.number }}）"),
        body=_(
            "{{ i.asker_name }}，您好！您咨询的“{{ matter }}”已收到，咨询编号 {{ i.number }}，"
            "查询码 {{ i.query_code }}。我们将于 {{ i.due|date:'Y年n月j日' }} 前答复，"
            "届时可凭编号和查询码在网上查看答复。"
        ),
        context=_context(inquiry),
        about=inquiry,
        kind="inquiry.received",
    )


def tell_asker_answered(inquiry) -> None:
    short = inquiry.answer if len(inquiry.answer) <= 60 else inquiry.answer[:60] + "…"
    notify(
        _asker(inquiry),
        subject=_("您的咨询已答复（编号 {{ i.number }}）"),
        body=_(
            "{{ i.asker_name }}，您好！您咨询的“{{ matter }}”答复如下：\n\n{{ i.answer }}\n\n"
            "咨询编号 {{ i.number }}，查询码 {{ i.query_code }}，可在网上查看并评价。"
        ),
        sms_text=_(
            "您咨询的“{{ matter }}”已答复：{{ short }} 完整答复请凭编号 {{ i.number }} "
            "和查询码 {{ i.query_code }} 网上查看。"
        ),
        context=_context(inquiry, short=short),
        about=inquiry,
        kind="inquiry.answered",
    )


def tell_asker_referred(inquiry) -> None:
    notify(
        _asker(inquiry),
        subject=_("您的咨询请联系承办单位（编号 {{ i.number }}）"),
        body=_(
            "{{ i.asker_name }}，您好！您咨询的“{{ matter }}”由{{ i.referred_unit }}办理，"
            "联系方式：{{ i.referred_contact }}。{% if i.answer %}说明：{{ i.answer }}{% endif %}"
        ),
        context=_context(inquiry),
        about=inquiry,
        kind="inquiry.referred",
    )


def tell_receiver(inquiry, handoff) -> None:
    notify(
        Recipient.of_staff(handoff.to_staff),
        subject=_("有一条咨询转交给您（{{ i.number }}）"),
        body=_(
            "{{ who }} 将咨询“{{ matter }}”（{{ i.number }}）转交至{{ post }}，请在“我的咨询”中"
            "接收并于 {{ i.due|date:'Y年n月j日' }} 前答复。接收前仍由 {{ who }} 负责。"
        ),
        context=_context(inquiry, who=handoff.from_staff.display_name, post=handoff.to_post.name),
        about=inquiry,
        kind="inquiry.handed_off",
        link=reverse("inquiries:detail", args=[inquiry.pk]),
    )


def tell_owner_declined(inquiry, handoff, *, by) -> None:
    notify(
        Recipient.of_staff(inquiry.owner),
        subject=_("转交的咨询已被退回（{{ i.number }}）"),
        body=_(
            "{{ who }} 退回了咨询“{{ matter }}”（{{ i.number }}），理由：{{ reason }}。请继续负责。"
        ),
        context=_context(inquiry, who=by.display_name, reason=handoff.reason),
        about=inquiry,
        kind="inquiry.declined",
        link=reverse("inquiries:detail", args=[inquiry.pk]),
    )


def tell_owner_new(inquiry) -> None:
    notify(
        Recipient.of_staff(inquiry.owner),
        subject=_("新的网上咨询（{{ i.number }}）"),
        body=_(
            "您收到一条网上咨询“{{ matter }}”（{{ i.number }}），您是首问责任人，请于 "
            "{{ i.due|date:'Y年n月j日' }} 前答复。"
        ),
        context=_context(inquiry),
        about=inquiry,
        kind="inquiry.new_online",
        link=reverse("inquiries:detail", args=[inquiry.pk]),
    )
