"""What cases puts in the inbox (core/inbox.py), each source the cases waiting for one step
and for whoever may take it (flows.GUARDS):

- 待受理: submitted cases of my post or of a post I cover now — online applications and
  supplements the applicant brought back — for the intake decision (can_decide_intake);
- 在办: accepted cases I hold or cover, for the first review (审核, can_handle);
- 待复核: cases awaiting the second check (一核, can_check): every one for a reviewer, the
  department's for its head; never one the viewer reviewed (the checker must differ);
- 延期申请: running cases whose handler asked for more time, for whoever may extend them
  (can_extend: the department's head; the hall office for the departments it manages);
- 超期办件: the department's red cases for its head, who alone may extend them (can_extend);
- 红黄牌办件: every yellow and red case of the hall for the hall office;
- 联办事项: the running parts of joint cases routed to me (or of a post I cover), to complete
  or refuse (parts.can_handle_part);
- 联办退回: refused parts of cases I handle for the lead, to drop or to return the case.

Each filters on open statuses first, so the cases finished long ago are never read: the
indexes (assignee, status), (post, status), (status, deadline), (department, status) and
(status, yellow_on) serve them.
"""

from typing import Any

from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yichuang.core.inbox import Row, Source, Viewer
from yichuang.core.masking import mask_name
from yichuang.org.inbox import covered_posts
from yichuang.workdays.due import due_phrase
from yichuang.workdays.queries import hall_calendar

from .deadlines import online_answer_line
from .models import (
    ACTION_LABELS,
    CLOCK_RUNNING,
    PART_CLOCK_CASE_STATUSES,
    Case,
    CaseEvent,
    CasePart,
    Channel,
    ExtensionRequest,
    PartStatus,
    Status,
)
from .queries import ROW_UNSHOWN, part_light_expression, with_light


def _calendar(viewer: Viewer):
    return viewer.once("hall_calendar", hall_calendar)


# A row shows neither the ID number nor the phone: they are not even decrypted (the lists'
# ROW_UNSHOWN), nor those of a joint part's case.
PART_CASE_UNSHOWN = tuple(f"case__{f}" for f in ROW_UNSHOWN)


def _cases():
    return Case.objects.defer(*ROW_UNSHOWN)


def _mine(viewer: Viewer, status: str):
    """Cases in `status` that I hold, or of a post whose work comes to me now (AB)."""
    user = viewer.user
    return (
        _cases()
        .filter(status=status)
        .filter(Q(assignee_id=user.pk) | Q(post_id__in=covered_posts(viewer)))
    )


def _url(case: Case) -> str:
    # The case page's actions are its #actions section: the row names the step to take there.
    return reverse("cases:detail", args=[case.number]) + "#actions"


def _title(case: Case) -> str:
    return f"{case.service.name} · {mask_name(case.applicant_name)}"


def _covering(case: Case, viewer: Viewer) -> str:
    """Whose work this is when it is not the viewer's own (B岗 covering A)."""
    holder = case.post.holder
    mine = viewer.user.pk in (case.assignee_id, case.post.holder_id)
    if mine or holder is None:
        return ""
    return _("代 %(n)s（B岗）") % {"n": holder.display_name}


def _joined(*parts: str) -> str:
    return " · ".join(p for p in parts if p)


def awaiting_intake(viewer: Viewer):
    if not viewer.user.pk:
        return None
    supplemented = CaseEvent.objects.filter(case_id=OuterRef("pk"), action="supplement")
    return (
        _mine(viewer, Status.SUBMITTED)
        .annotate(supplemented=Exists(supplemented))
        .select_related("service", "post__holder")
        .order_by("received_at", "id")
    )


def intake_row(case: Any, viewer: Viewer) -> Row:
    due = ""
    if case.channel == Channel.ONLINE:
        cal = _calendar(viewer)
        # 行政许可法 §32: unanswered by this line, the application counts as accepted.
        line = online_answer_line(cal, timezone.localdate(case.received_at))
        due = _("答复时限：%(left)s") % {"left": due_phrase(cal, line, viewer.today)}
    source = _("补件已交回") if case.supplemented else case.get_channel_display()
    return Row(
        url=_url(case),
        title=_title(case),
        reference=case.number,
        detail=_joined(source, _covering(case, viewer)),
        due=due,
        action=str(ACTION_LABELS["accept"]),
    )


def handling(viewer: Viewer):
    if not viewer.user.pk:
        return None
    return (
        with_light(_mine(viewer, Status.ACCEPTED), viewer.today)
        .select_related("service", "post__holder")
        .order_by("deadline", "received_at", "id")
    )


def _light_row(case: Any, viewer: Viewer, *, action: str, detail: str = "") -> Row:
    return Row(
        url=_url(case),
        title=_title(case),
        reference=case.number,
        detail=detail,
        light=case.light,
        due=due_phrase(_calendar(viewer), case.deadline, viewer.today),
        action=action,
    )


def handling_row(case: Case, viewer: Viewer) -> Row:
    return _light_row(
        case, viewer, action=str(ACTION_LABELS["review"]), detail=_covering(case, viewer)
    )


def awaiting_check(viewer: Viewer):
    """permissions.can_check: a reviewer checks in any department, a head in their own."""
    user = viewer.user
    if user.has_role("reviewer"):
        qs = _cases().visible_to(user)
    elif user.has_role("department_head") and user.department_id:
        qs = _cases().filter(department_id=user.department_id)
    else:
        return None
    return (
        with_light(qs.filter(status=Status.CHECKING), viewer.today)
        .exclude(reviewed_by_id=user.pk)
        .select_related("service", "department", "reviewed_by")
        .order_by("deadline", "received_at", "id")
    )


def check_row(case: Case, viewer: Viewer) -> Row:
    reviewed = _("%(name)s 已审核：%(decision)s") % {
        "name": case.reviewed_by.display_name if case.reviewed_by else "—",
        "decision": case.get_review_decision_display() or "—",
    }
    return _light_row(
        case,
        viewer,
        action=str(ACTION_LABELS["check"]),
        detail=_joined(case.department.name, reviewed),
    )


def overdue_in_department(viewer: Viewer):
    """A head's red cases (permissions.can_extend), other than those they handle themselves
    (those are in 在办) and those awaiting the check (in 待复核)."""
    user = viewer.user
    if not (user.has_role("department_head") and user.department_id):
        return None
    return (
        with_light(
            _cases().filter(
                department_id=user.department_id,
                status=Status.ACCEPTED,
                deadline__lt=viewer.today,
            ),
            viewer.today,
        )
        .exclude(assignee_id=user.pk)
        .select_related("service", "assignee")
        .order_by("deadline", "received_at", "id")
    )


def overdue_row(case: Case, viewer: Viewer) -> Row:
    assignee = case.assignee.display_name if case.assignee else "—"
    return _light_row(
        case,
        viewer,
        action=_("督办或延期"),
        detail=_("经办人：%(name)s") % {"name": assignee},
    )


def extension_requests(viewer: Viewer):
    """Running cases with an open request, each carrying the request's days and who asked
    (one open request per case: the constraint one_open_extension_request), so a row needs
    no query of its own."""
    user = viewer.user
    if user.has_role("department_head") and user.department_id:
        cases = _cases().filter(department_id=user.department_id)
    elif user.has_role("hall_office"):
        cases = _cases().visible_to(user)
    else:
        return None
    asked = ExtensionRequest.objects.filter(
        case_id=OuterRef("pk"), decision=ExtensionRequest.Decision.PENDING
    )
    return (
        with_light(cases.filter(status__in=CLOCK_RUNNING).filter(Exists(asked)), viewer.today)
        .annotate(
            asked_days=Subquery(asked.values("days")[:1]),
            asked_by_name=Subquery(asked.values("requested_by__full_name")[:1]),
            asked_by_username=Subquery(asked.values("requested_by__username")[:1]),
        )
        .select_related("service", "department")
        .order_by("deadline", "received_at", "id")
    )


def extension_row(case: Any, viewer: Viewer) -> Row:
    # Staff.display_name from the annotated columns: the full name, else the log-in name.
    who = case.asked_by_name or case.asked_by_username
    detail = _("%(who)s 申请延长 %(days)s 个工作日") % {"who": who, "days": case.asked_days}
    return _light_row(case, viewer, action=_("批准或不予延期"), detail=detail)


def lights_of_hall(viewer: Viewer):
    """The hall office's red and yellow cases: the yellow day has come (a red case's too)."""
    user = viewer.user
    if not user.has_role("hall_office"):
        return None
    return (
        with_light(
            _cases()
            .visible_to(user)
            .filter(status__in=CLOCK_RUNNING, yellow_on__lte=viewer.today, deadline__isnull=False),
            viewer.today,
        )
        .select_related("service", "department", "assignee")
        .order_by("deadline", "received_at", "id")
    )


def lights_row(case: Case, viewer: Viewer) -> Row:
    assignee = case.assignee.display_name if case.assignee else "—"
    return _light_row(
        case,
        viewer,
        action=_("督办"),
        detail=_joined(case.department.name, case.get_status_display(), assignee),
    )


def parts_to_do(viewer: Viewer):
    """Running parts whose work comes to me: routed to me, of a post I cover now (AB), or, for
    the department's window staff and head, one nobody was routed to."""
    user = viewer.user
    if not user.pk or not user.department_id:
        return None
    mine = Q(assignee_id=user.pk) | Q(post_id__in=covered_posts(viewer))
    if user.has_role("window_staff", "department_head"):
        mine |= Q(assignee__isnull=True, department_id=user.department_id)
    return (
        CasePart.objects.filter(
            status=PartStatus.RUNNING,
            department_id=user.department_id,
            case__status__in=PART_CLOCK_CASE_STATUSES,
        )
        .filter(mine)
        .annotate(light=part_light_expression(viewer.today))
        .select_related("case__service", "case__department")
        .defer(*PART_CASE_UNSHOWN)
        .order_by("deadline", "id")
    )


def part_row(part: Any, viewer: Viewer) -> Row:
    case = part.case
    return Row(
        url=reverse("cases:detail", args=[case.number]) + "#parts",
        title=_title(case),
        reference=case.number,
        detail=_joined(_("牵头：%(d)s") % {"d": case.department.name}, part.title),
        light=part.light,
        due=due_phrase(_calendar(viewer), part.deadline, viewer.today) if part.deadline else "",
        action=str(ACTION_LABELS["complete_part"]),
    )


def refused_parts(viewer: Viewer):
    """Refused parts of the cases I handle for the lead (can_handle): I drop or return."""
    user = viewer.user
    if not user.pk:
        return None
    lead = Q(case__assignee_id=user.pk) | Q(case__post_id__in=covered_posts(viewer))
    if user.has_role("department_head") and user.department_id:
        lead |= Q(case__department_id=user.department_id)
    return (
        CasePart.objects.filter(
            status=PartStatus.REFUSED, case__status__in=PART_CLOCK_CASE_STATUSES
        )
        .filter(lead)
        .select_related("case__service", "department")
        .defer(*PART_CASE_UNSHOWN)
        .order_by("done_at", "id")
    )


def refused_part_row(part: Any, viewer: Viewer) -> Row:
    case = part.case
    return Row(
        url=reverse("cases:detail", args=[case.number]) + "#parts",
        title=_title(case),
        reference=case.number,
        detail=_joined(part.department.name, part.note),
        action=_("撤除联办事项或退件"),
    )


SOURCES = [
    Source(
        name="cases.awaiting_intake",
        title=gettext_lazy("待受理办件"),
        items=awaiting_intake,
        row=intake_row,
        order=10,
        more=lambda viewer: reverse("cases:mine"),
    ),
    Source(
        name="cases.handling",
        title=gettext_lazy("在办办件"),
        items=handling,
        row=handling_row,
        order=20,
        more=lambda viewer: reverse("cases:mine"),
    ),
    Source(
        name="cases.parts",
        title=gettext_lazy("联办事项"),
        items=parts_to_do,
        row=part_row,
        order=22,
        more=lambda viewer: reverse("cases:mine"),
    ),
    Source(
        name="cases.refused_parts",
        title=gettext_lazy("联办退回待决定"),
        items=refused_parts,
        row=refused_part_row,
        order=24,
        more=lambda viewer: reverse("cases:mine"),
    ),
    Source(
        name="cases.awaiting_check",
        title=gettext_lazy("待复核（一核）"),
        items=awaiting_check,
        row=check_row,
        order=30,
        more=lambda viewer: reverse("cases:ledger") + "?status=checking",
    ),
    Source(
        name="cases.extension_requests",
        title=gettext_lazy("延期申请"),
        items=extension_requests,
        row=extension_row,
        order=55,
    ),
    Source(
        name="cases.overdue",
        title=gettext_lazy("本部门超期办件"),
        items=overdue_in_department,
        row=overdue_row,
        order=60,
        more=lambda viewer: reverse("cases:monitor") + "?light=red",
    ),
    Source(
        name="cases.lights",
        title=gettext_lazy("全厅红黄牌办件"),
        items=lights_of_hall,
        row=lights_row,
        order=70,
        more=lambda viewer: reverse("cases:monitor") + "?light=yellow",
    ),
]
