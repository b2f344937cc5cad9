"""What applicants, complainants and heads are told. Services call these inside their
transaction; the notification module sends after commit, as a task."""

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from yichuang.core.notifications import Recipient, notify


def rating_link(case, request=None, *, via: str = "sms") -> str:
    """The applicant's rating page for `case`, with its query code (a QR code on a notice uses
    via="qr"). Absolute when a request or settings.PUBLIC_BASE_URL tells the host."""
    path = (
        reverse("feedback:rate", args=[case.number])
        + "?"
        + urlencode({"c": case.query_code, "via": via})
    )
    if request is not None:
        return request.build_absolute_uri(path)
    return getattr(settings, "PUBLIC_BASE_URL", "").rstrip("/") + path


def rating_invitation_text(case, link: str | None = None) -> str:
    return _(
        "您办理的“%(service)s”（编号 %(number)s）已办结。请对我们的服务作出评价："
        "%(link)s 您的评价仅用于改进服务，不会告知被评价人。"
    ) % {
        "service": case.service.name,
        "number": case.number,
        "link": link or rating_link(case),
    }


def applicant_of(case) -> Recipient:
    return Recipient(
        name=case.applicant_name, phone=case.applicant_phone, email=case.applicant_email
    )


def _rater_of(follow_up) -> Recipient:
    """Whoever gave the bad rating or the bad answer: the case's applicant, or the asker."""
    if follow_up.case_id:
        return applicant_of(follow_up.case)
    i = follow_up.rating.inquiry
    return Recipient(name=i.asker_name, phone=i.asker_phone, email=i.asker_email)


def invite_rating(case) -> None:
    """For the cases app to call when a case is completed: the rating link by SMS/e-mail."""
    text = rating_invitation_text(case)
    notify(
        applicant_of(case),
        subject=_("请对本次办事服务作出评价"),
        body=text,
        about=case,
        kind="feedback.rating_invited",
    )


def tell_owner_follow_up(follow_up) -> None:
    if follow_up.owner is None:
        return
    notify(
        Recipient.of_staff(follow_up.owner),
        subject=_("收到差评，请回访核实"),
        body=_(
            "{{ dept }}收到一条“{{ level }}”评价{% if number %}（办件 {{ number }}）{% endif %}。"
            "请于 {{ f.verify_due|date:'Y年n月j日' }} 前回访核实，"
            "{{ f.rectify_due|date:'Y年n月j日' }} 前完成整改并答复评价人。"
        ),
        context={
            "f": follow_up,
            "dept": follow_up.department.name,
            "level": follow_up.level_label,
            "number": follow_up.case.number if follow_up.case_id else "",
        },
        channels=("sms", "email"),
        about=follow_up,
        kind="feedback.follow_up_opened",
        link=reverse("feedback:followup", args=[follow_up.pk]),
    )


def tell_rater_follow_up_reply(follow_up) -> None:
    notify(
        _rater_of(follow_up),
        subject=_("关于您的评价的答复"),
        body=_(
            "您好！您对{{ what }}的评价我们已认真核实并整改，答复如下：\n\n{{ f.reply }}\n\n"
            "感谢您的监督。"
        ),
        sms_text=_("您好！您对{{ what }}的评价已核实处理，答复：{{ short }}"),
        context={
            "f": follow_up,
            "what": _("办件 %(n)s") % {"n": follow_up.case.number}
            if follow_up.case_id
            else _("咨询"),
            "short": follow_up.reply if len(follow_up.reply) <= 60 else follow_up.reply[:60] + "…",
        },
        about=follow_up,
        kind="feedback.follow_up_replied",
    )


def _complainant(complaint) -> Recipient:
    return Recipient(name=complaint.name, phone=complaint.phone, email=complaint.email)


def tell_complainant_received(complaint) -> None:
    notify(
        _complainant(complaint),
        subject=_("您的{{ kind }}已收到（编号 {{ c.number }}）"),
        body=_(
            "{{ c.name }}，您好！您的{{ kind }}“{{ c.subject }}”已收到，编号 {{ c.number }}，"
            "查询码 {{ c.query_code }}。我们将于 {{ c.due|date:'Y年n月j日' }} 前答复，"
            "可凭编号和查询码在网上查看办理情况。"
        ),
        context={"c": complaint, "kind": complaint.get_kind_display()},
        about=complaint,
        kind="feedback.complaint_received",
    )


def tell_complainant_replied(complaint) -> None:
    short = complaint.reply if len(complaint.reply) <= 60 else complaint.reply[:60] + "…"
    notify(
        _complainant(complaint),
        subject=_("您的{{ kind }}已办理（编号 {{ c.number }}）"),
        body=_(
            "{{ c.name }}，您好！您的{{ kind }}“{{ c.subject }}”办理结果如下：\n\n{{ c.reply }}\n\n"
            "编号 {{ c.number }}，查询码 {{ c.query_code }}。感谢您的监督。"
        ),
        sms_text=_("您的{{ kind }}（编号 {{ c.number }}）已答复：{{ short }}"),
        context={"c": complaint, "kind": complaint.get_kind_display(), "short": short},
        about=complaint,
        kind="feedback.complaint_replied",
    )


def tell_heads_assigned(complaint, heads) -> None:
    for head in heads:
        notify(
            Recipient.of_staff(head),
            subject=_("{{ kind }}分办至本部门（{{ c.number }}）"),
            body=_(
                "{{ kind }}“{{ c.subject }}”（{{ c.number }}）已分办至{{ dept }}，"
                "请于 {{ c.due|date:'Y年n月j日' }} 前核实并答复。"
            ),
            context={
                "c": complaint,
                "kind": complaint.get_kind_display(),
                "dept": complaint.department.name,
            },
            about=complaint,
            kind="feedback.complaint_assigned",
            link=reverse("feedback:complaint_detail", args=[complaint.number]),
        )
