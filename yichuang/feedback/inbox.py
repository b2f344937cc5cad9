"""What the feedback loop puts in the inbox (core/inbox.py):

- for a department head: the follow-ups of bad ratings and the complaints of the department
  whose open step is due within one working day or overdue (its light is about to turn, or
  has turned, red) — the head verifies, rectifies and replies (permissions.can_handle_department);
- for the hall office: the complaints waiting to be assigned, and the rating appeals waiting
  for its review (permissions.can_review).

Each starts from the running statuses (or the pending appeals), so closed ones are never read:
the (department, status), (status, due) and the pending-appeal indexes serve them."""

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yichuang.core.inbox import Row, Source, Viewer
from yichuang.core.masking import mask_name
from yichuang.workdays.due import due_phrase
from yichuang.workdays.queries import hall_calendar

from . import permissions
from .models import (
    AppealState,
    Complaint,
    ComplaintStatus,
    FollowUp,
    FollowUpStatus,
    RatingAppeal,
)
from .models.complaints import COMPLAINT_LABELS
from .models.followups import FOLLOWUP_LABELS, FOLLOWUP_RUNNING
from .queries import with_light

# The step each open status waits for.
FOLLOW_UP_STEP: dict[str, Any] = {
    FollowUpStatus.VERIFYING: "verify",
    FollowUpStatus.RECTIFYING: "rectify",
    FollowUpStatus.REPLYING: "reply",
}
COMPLAINT_STEP: dict[str, Any] = {
    ComplaintStatus.RECEIVED: "assign",
    ComplaintStatus.HANDLING: "verify",
    ComplaintStatus.VERIFIED: "reply",
}
# A row shows no phone number: it is not even decrypted.
UNSHOWN = ("phone", "email", "content", "verification", "reply")
# A head's complaints: assigned to the department and not yet answered.
HEAD_COMPLAINT_STATUSES = (ComplaintStatus.HANDLING, ComplaintStatus.VERIFIED)


def _calendar(viewer: Viewer):
    return viewer.once("hall_calendar", hall_calendar)


def _due_by(viewer: Viewer):
    """The last day still "due within one working day": the next working day."""
    return _calendar(viewer).add_working_days(viewer.today, 1)


def _head_department(user) -> int | None:
    return user.department_id if user.has_role("department_head") else None


def follow_ups_due(viewer: Viewer):
    """The department's follow-ups (and any the head was named owner of) due soon."""
    user = viewer.user
    department = _head_department(user)
    if department is None:
        return None
    return (
        with_light(
            FollowUp.objects.filter(status__in=FOLLOWUP_RUNNING, due__lte=_due_by(viewer)).filter(
                Q(department_id=department) | Q(owner_id=user.pk)
            ),
            viewer.today,
        )
        .select_related("rating__staff", "visit", "case__service")
        .order_by("due", "opened_at", "id")
    )


def follow_up_row(f: Any, viewer: Viewer) -> Row:
    about = f.case.service.name if f.case_id else f.source_label
    rated = f.rating.staff.display_name if f.rating_id and f.rating.staff_id else ""
    return Row(
        url=reverse("feedback:followup", args=[f.pk]) + "#actions",
        title=f"{about} · {f.level_label}",
        reference=f.case.number if f.case_id else "",
        detail=" · ".join(p for p in (f.get_status_display(), rated) if p),
        light=f.light,
        due=due_phrase(_calendar(viewer), f.due, viewer.today),
        action=str(FOLLOWUP_LABELS[FOLLOW_UP_STEP[f.status]]),
    )


def complaints_due(viewer: Viewer):
    department = _head_department(viewer.user)
    if department is None:
        return None
    return (
        with_light(
            Complaint.objects.defer(*UNSHOWN).filter(
                department_id=department,
                status__in=HEAD_COMPLAINT_STATUSES,
                due__lte=_due_by(viewer),
            ),
            viewer.today,
        )
        .select_related("staff")
        .order_by("due", "received_at", "id")
    )


def complaints_to_assign(viewer: Viewer):
    if not permissions.can_review(viewer.user):
        return None
    return with_light(
        Complaint.objects.defer(*UNSHOWN).filter(status=ComplaintStatus.RECEIVED), viewer.today
    ).order_by("due", "received_at", "id")


def complaint_row(c: Any, viewer: Viewer) -> Row:
    return Row(
        url=reverse("feedback:complaint_detail", args=[c.number]) + "#actions",
        title=" · ".join(p for p in (c.subject, mask_name(c.name)) if p),
        reference=c.number,
        detail=" · ".join([c.get_kind_display(), c.get_status_display()]),
        light=c.light,
        due=due_phrase(_calendar(viewer), c.due, viewer.today),
        action=str(COMPLAINT_LABELS[COMPLAINT_STEP[c.status]]),
    )


def appeals_pending(viewer: Viewer):
    if not permissions.can_review(viewer.user):
        return None
    return (
        RatingAppeal.objects.filter(state=AppealState.PENDING)
        .select_related("rating__department", "rating__staff", "by")
        .order_by("created_at", "id")
    )


def appeal_row(a: Any, viewer: Viewer) -> Row:
    rating = a.rating
    who = _("评价人") if a.by_rater else (a.by.display_name if a.by else "—")
    rated = rating.staff.display_name if rating.staff_id else "—"
    return Row(
        url=reverse("feedback:appeals"),
        title=_("%(level)s · %(department)s %(rated)s")
        % {
            "level": rating.get_level_display(),
            "department": rating.department.name,
            "rated": rated,
        },
        detail=_("申诉人：%(who)s · %(at)s")
        % {"who": who, "at": timezone.localtime(a.created_at).strftime("%m-%d")},
        action=_("复核申诉"),
    )


SOURCES = [
    Source(
        name="feedback.follow_ups_due",
        title=gettext_lazy("差评回访整改（一个工作日内到期或已超期）"),
        items=follow_ups_due,
        row=follow_up_row,
        order=32,
        more=lambda viewer: reverse("feedback:followups"),
    ),
    Source(
        name="feedback.complaints_due",
        title=gettext_lazy("投诉建议（一个工作日内到期或已超期）"),
        items=complaints_due,
        row=complaint_row,
        order=34,
        more=lambda viewer: reverse("feedback:complaints"),
    ),
    Source(
        name="feedback.complaints_to_assign",
        title=gettext_lazy("待分办的投诉建议"),
        items=complaints_to_assign,
        row=complaint_row,
        order=36,
        more=lambda viewer: reverse("feedback:complaints") + "?status=received",
    ),
    Source(
        name="feedback.appeals",
        title=gettext_lazy("待复核的评价申诉"),
        items=appeals_pending,
        row=appeal_row,
        order=38,
        more=lambda viewer: reverse("feedback:appeals"),
    ),
]
