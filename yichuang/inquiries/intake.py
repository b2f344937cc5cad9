"""An inquiry is logged by the first person asked (首问), or arrives online (网上咨询)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yichuang.core.contacts import phone_hash
from yichuang.core.errors import Conflict, Invalid, NotAllowed
from yichuang.org.models import Post, Staff
from yichuang.org.queries import covering, posts_with_people
from yichuang.workdays.queries import hall_calendar

from . import notices, numbering, permissions
from .askers import normalize_email, normalize_name, normalize_phone, required_text
from .limits import days_unit, due_dates
from .models import Channel, Inquiry, InquiryEvent, Status, TimeLimit


def log_inquiry(
    *,
    channel: str,
    asker: dict,
    matter: str,
    by,
    category: str = "",
    service=None,
    time_limit: str = TimeLimit.IMMEDIATE,
    note: str = "",
) -> Inquiry:
    """Log an inquiry with `by` as its first owner (首问责任人) and current owner. A phone
    inquiry needs the caller's number (001: 来电人姓名、联系电话等登记在册)."""
    if not permissions.can_log(by):
        raise NotAllowed(_("您的角色不能登记咨询"))
    if channel not in Channel.values or channel == Channel.ONLINE:
        raise Invalid(
            _("渠道应为 walk_in（来访）、phone（来电）、letter（来信）或 email（电子邮件）"),
            code="invalid_channel",
        )
    return _create(
        channel=channel,
        asker=asker,
        matter=matter,
        owner=by,
        by=by,
        category=category,
        service=service,
        time_limit=time_limit,
        note=note,
        phone_required=channel == Channel.PHONE,
    )


def ask_online(*, asker: dict, matter: str, department=None, service=None) -> Inquiry:
    """网上咨询 from the public form: the first owner is whoever covers the responsible post
    when it arrives, so it has an owner from its first moment."""
    if service is not None:
        department = service.department
    if department is None:
        raise Invalid(_("请选择咨询的部门或事项"), code="invalid_department")
    if not (asker.get("phone") or "").strip() and not (asker.get("email") or "").strip():
        raise Invalid(_("请留下手机号码或电子邮箱，以便告知答复"), code="invalid_contact")
    owner = reception_owner(department, service)
    if owner is None:
        raise Conflict(
            _("该部门暂时无法在线接收咨询，请致电 %(phone)s")
            % {"phone": department.phone or _("部门办公电话")},
            code="no_receiver",
        )
    inquiry = _create(
        channel=Channel.ONLINE,
        asker=asker,
        matter=matter,
        owner=owner,
        by=None,
        service=service,
        time_limit=TimeLimit.IMMEDIATE,
        phone_required=False,
        department=department,
    )
    return inquiry


def reception_owner(department, service=None) -> Staff | None:
    """Who receives an online inquiry: the cover of the service's post, else of the
    department's first post that someone covers now, else the head, else a post's holder."""
    now = timezone.now()
    posts = list(posts_with_people(Post.objects.filter(department=department)))
    if service is not None and service.post_id:
        posts.sort(key=lambda p: p.pk != service.post_id)
    for post in posts:
        if (who := covering(post, now)) is not None:
            return who
    head = (
        Staff.objects.filter(
            department=department, is_active=True, role_grants__role="department_head"
        )
        .order_by("pk")
        .first()
    )
    if head is not None:
        return head
    return next((p.holder for p in posts if p.holder is not None and p.holder.is_active), None)


def _create(
    *,
    channel,
    asker,
    matter,
    owner,
    by,
    category="",
    service=None,
    time_limit,
    note="",
    phone_required,
    department=None,
) -> Inquiry:
    name = normalize_name(asker.get("name", ""))
    phone = normalize_phone(asker.get("phone", ""), required=phone_required)
    email = normalize_email(asker.get("email", ""))
    matter = required_text(matter, _("请填写咨询事项"), code="invalid_matter")
    if time_limit not in TimeLimit.values:
        raise Invalid(_("答复时限应为 immediate、investigation 或 complex"), code="invalid_limit")
    if len(category or "") > 40:
        raise Invalid(_("类别过长"), code="invalid_category")
    now = timezone.now()
    received = timezone.localdate(now)
    unit = days_unit()
    due = due_dates(hall_calendar(), received, time_limit, channel, unit)
    department_id = department.pk if department is not None else owner.department_id
    with transaction.atomic():
        inquiry = Inquiry.objects.create(
            number=numbering.inquiry_number(received),
            query_code=numbering.query_code(),
            channel=channel,
            status=Status.OPEN,
            asker_name=name,
            asker_phone=phone,
            asker_phone_hash=phone_hash(phone),
            asker_email=email,
            matter=matter,
            category=(category or "").strip(),
            service=service,
            first_owner=owner,
            first_department_id=department_id,
            owner=owner,
            department_id=department_id,
            post=service.post if service is not None and channel == Channel.ONLINE else None,
            time_limit=time_limit,
            days_unit=unit,
            received_at=now,
            due=due.due,
            yellow_on=due.yellow_on,
            note=(note or "").strip(),
        )
        InquiryEvent.objects.create(
            inquiry=inquiry,
            action="create",
            status=inquiry.status,
            by=by,
            data={
                "channel": channel,
                "owner": owner.username,
                "time_limit": time_limit,
                "due": due.due.isoformat(),
            },
        )
        if channel not in (Channel.WALK_IN, Channel.PHONE):
            notices.tell_asker_received(inquiry)
        if by is None or by.pk != owner.pk:
            notices.tell_owner_new(inquiry)
    return inquiry
