"""Read side of cases: scoped lists with the light derived in the database."""

from datetime import date

from django.db.models import F, Q
from django.utils import timezone

from yichuang.org.scoping import visible_department_ids
from yichuang.workdays.clock import light_expression as clock_light

from . import tally
from .models import CLOCK_RUNNING, PART_CLOCK_CASE_STATUSES, Case, CasePart, PartStatus, Status

# What a list row never shows: the ID number and phone are then not even decrypted (a third
# of a page's cost at 300 rows), nor the timeline read.
ROW_UNSHOWN = ("applicant_id_number", "applicant_phone", "public_events", "note")


def light_expression(today: date):
    """The light of a case as a database expression (the hall's one clock,
    workdays.clock.light_expression): null while the clock stops."""
    return clock_light(Q(status__in=CLOCK_RUNNING), today)


def with_light(queryset, today: date | None = None):
    return queryset.annotate(light=light_expression(today or timezone.localdate()))


def part_light_expression(today: date):
    """A part's light: the same clock, running while the part runs and its case is handled."""
    return clock_light(
        Q(status=PartStatus.RUNNING, case__status__in=PART_CLOCK_CASE_STATUSES), today
    )


def parts_of(case: Case, today: date | None = None):
    """A joint case's parts in order, each with its light, department, service and handler."""
    return (
        CasePart.objects.filter(case=case)
        .annotate(light=part_light_expression(today or timezone.localdate()))
        .select_related("department", "service", "assignee", "post")
        .order_by("position", "id")
    )


def case_list(
    user,
    *,
    status=None,
    light=None,
    service=None,
    post=None,
    assignee=None,
    date_from=None,
    date_to=None,
    department=None,
    q=None,
):
    qs = with_light(Case.objects.visible_to(user)).select_related(
        "service", "post", "assignee", "department"
    )
    if status:
        qs = qs.filter(status=status)
    if light:
        # The light is null unless the clock runs: the status filter says so to the indexes.
        qs = qs.filter(status__in=CLOCK_RUNNING, light=light)
    if service:
        qs = qs.filter(service__code=service)
    if post:
        qs = qs.filter(post__code=post)
    if assignee:
        qs = qs.filter(assignee__username=assignee)
    if department:
        qs = qs.filter(department__code=department)
    if date_from:
        qs = qs.filter(received_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(received_at__date__lte=date_to)
    if q:
        qs = qs.filter(
            Q(number__startswith=q) | Q(applicant_name__contains=q) | Q(service__name__contains=q)
        )
    return qs


def case_total(user, *, status=None) -> int:
    """How many cases `case_list(user, status=status)` lists, with no other filter, from the
    tally (tally.py) rather than by counting the hall's history."""
    return tally.visible_total(visible_department_ids(user), [status] if status else None)


def find_by_id_number(user, id_number: str):
    from yichuang.core.crypto import keyed_hash

    return Case.objects.visible_to(user).filter(applicant_id_hash=keyed_hash(id_number))


def my_work(user):
    """Cases I hold, and cases of posts I cover right now as backup."""
    from yichuang.org.queries import posts_covered_by

    covered = [p.pk for p in posts_covered_by(user)]
    open_statuses = [
        Status.SUBMITTED,
        Status.SUPPLEMENT,
        Status.ACCEPTED,
        Status.SUSPENDED,
        Status.CHECKING,
    ]
    from .parts import parts_handled_by

    # With the joint cases whose running part is mine (联办): a list, not a subquery, as for
    # the posts (an OR with a subquery makes PostgreSQL read every open case).
    part_cases = list(parts_handled_by(user).values_list("case_id", flat=True)[:300])
    mine = Q(assignee=user) | Q(post_id__in=covered)
    if part_cases:
        mine |= Q(pk__in=part_cases)
    qs = Case.objects.filter(status__in=open_statuses).filter(mine)
    return (
        with_light(qs.defer(*ROW_UNSHOWN))
        .select_related("service", "post", "assignee")
        .order_by(F("deadline").asc(nulls_last=True), "received_at")
    )


def cases_of_phone(phone_hash: str, *, limit: int = 50):
    """The cases whose applicant gave the phone of this keyed hash (core.contacts.phone_hash),
    newest first: what the portal's 我的 lists once the phone is verified by an SMS code. Not
    scoped to staff: the verified phone is the applicant's proof."""
    if not phone_hash:
        return Case.objects.none()
    return (
        Case.objects.filter(applicant_phone_hash=phone_hash)
        .select_related("service")
        .only("number", "query_code", "status", "deadline", "received_at", "service__name")
        .order_by("-received_at", "-id")[:limit]
    )
