"""What heads, inspectors and voters are told. Called inside the service's transaction (or
the reminder's); the notification module sends after commit."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yichuang.core.notifications import Recipient, notify
from yichuang.org.models import Staff


def heads_of(department_id: int):
    return Staff.objects.filter(
        department_id=department_id, is_active=True, role_grants__role="department_head"
    ).distinct()


def tell_heads_launched(unit) -> None:
    for head in heads_of(unit.department_id):
        notify(
            Recipient.of_staff(head),
            subject=_("创建活动已启动：{{ c.title }}"),
            body=_(
                "{{ name }}，您好！“{{ c.title }}”已启动，{{ dept }}为参评单位。"
                "请对照考评标准于 {{ due|date:'Y年n月j日' }} 前完成自评并上传佐证材料。"
            ),
            context={
                "c": unit.campaign,
                "name": head.display_name,
                "dept": unit.department.name,
                "due": unit.effective_due,
            },
            channels=("email",),
            about=unit,
            kind="campaign.launched",
        )


def tell_heads_rectification(rectification) -> None:
    unit = rectification.unit
    for head in heads_of(unit.department_id):
        notify(
            Recipient.of_staff(head),
            subject=_("验收整改通知：{{ c.title }}"),
            body=_(
                "{{ name }}，您好！验收小组提出整改要求：{{ r.description }}\n"
                "请于 {{ r.due_on|date:'Y年n月j日' }} 前完成整改并在系统中报送整改情况。"
            ),
            context={"c": unit.campaign, "r": rectification, "name": head.display_name},
            about=rectification,
            kind="campaign.rectification_opened",
        )


# --- reminders (sent by the send_campaign_reminders command) --------------------------

REMINDERS = {
    "self_assessment": (
        gettext_lazy("自评即将截止：{{ title }}"),
        gettext_lazy(
            "{{ name }}，您好！{{ what }}的自评将于 {{ due|date:'Y年n月j日' }} 截止，"
            "目前尚未提交，请及时完成并提交。"
        ),
    ),
    "rectification": (
        gettext_lazy("整改期限将至：{{ title }}"),
        gettext_lazy(
            "{{ name }}，您好！整改事项“{{ what }}”的期限为 {{ due|date:'Y年n月j日' }}，"
            "请按期整改并在系统中报送整改情况。"
        ),
    ),
    "nomination": (
        gettext_lazy("候选人申报即将截止：{{ title }}"),
        gettext_lazy(
            "{{ name }}，您好！“{{ title }}”候选人申报将于 {{ due|date:'Y年n月j日' }} 截止，"
            "{{ what }}尚未申报，请及时推荐一名候选人并填写主要事迹。"
        ),
    ),
    "vote": (
        gettext_lazy("投票即将截止：{{ title }}"),
        gettext_lazy(
            "{{ name }}，您好！“{{ title }}”投票将于 {{ due|date:'Y年n月j日' }} 截止，"
            "您尚未投票，请及时投票。{{ what }}"
        ),
    ),
}


def remind(kind: str, recipient: Recipient, *, title: str, what: str, due, about) -> None:
    subject, body = REMINDERS[kind]
    notify(
        recipient,
        subject=str(subject),
        body=str(body),
        context={"name": recipient.name, "title": title, "what": what, "due": due},
        about=about,
        kind=f"campaign.reminder.{kind}",
    )
