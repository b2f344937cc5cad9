"""Read side of inquiries and the FAQ: scoped lists with the light derived in the database,
and FAQ search as the clerk types."""

import re
from datetime import date

from django.db.models import Case, Expression, IntegerField, Prefetch, Q, Value, When
from django.utils import timezone

from yichuang.core import lookup
from yichuang.core.errors import NotFound
from yichuang.org.queries import posts_covered_by
from yichuang.workdays.clock import light_expression as clock_light

from .models import RUNNING, FaqEntry, HandoffState, Inquiry, InquiryHandoff, Status


def light_expression(today: date):
    """The light of an inquiry as a database expression (the hall's one clock,
    workdays.clock.light_expression): null once answered."""
    return clock_light(Q(status__in=RUNNING), today, deadline="due")


def with_light(queryset, today: date | None = None):
    return queryset.annotate(light=light_expression(today or timezone.localdate()))


def pending_handoff(inquiry: Inquiry) -> InquiryHandoff | None:
    """The hand-off waiting for its receiver, if any (at most one: a database constraint)."""
    return (
        inquiry.handoffs.filter(state=HandoffState.PENDING)
        .select_related("to_post__holder", "to_post__department", "to_staff", "from_staff")
        .first()
    )


def _pending_prefetch():
    return Prefetch(
        "handoffs",
        queryset=InquiryHandoff.objects.filter(state=HandoffState.PENDING).select_related(
            "to_staff", "to_post"
        ),
        to_attr="pending_handoffs",
    )


def for_rows(queryset):
    """What a list row shows (owner, first owner, department, pending receiver) in a fixed
    number of queries."""
    return queryset.select_related(
        "owner", "first_owner", "department", "service"
    ).prefetch_related(_pending_prefetch())


def inquiry_list(
    user,
    *,
    status=None,
    light=None,
    owner=None,
    department=None,
    channel=None,
    q=None,
    today: date | None = None,
):
    qs = for_rows(with_light(Inquiry.objects.visible_to(user), today))
    if status:
        qs = qs.filter(status=status)
    if light:
        qs = qs.filter(light=light)
    if owner:
        qs = qs.filter(owner__username=owner)
    if department:
        qs = qs.filter(department__code=department)
    if channel:
        qs = qs.filter(channel=channel)
    if q:
        qs = qs.filter(Q(number__startswith=q) | Q(asker_name__contains=q) | Q(matter__contains=q))
    return qs


def my_inquiries(user, today: date | None = None):
    """Open inquiries I own, including those I have handed on and wait to be taken over."""
    qs = Inquiry.objects.filter(owner=user, status__in=RUNNING)
    return for_rows(with_light(qs, today)).order_by("due", "received_at")


def handed_to_me(user):
    """Hand-offs waiting for me: named to me, or to a post I cover right now (AB)."""
    posts = [p.pk for p in posts_covered_by(user)]
    return (
        InquiryHandoff.objects.filter(state=HandoffState.PENDING, inquiry__status=Status.ROUTED)
        .filter(Q(to_staff=user) | Q(to_post_id__in=posts))
        .exclude(inquiry__owner=user)
        .select_related("inquiry", "from_staff", "to_post", "to_staff")
        .order_by("inquiry__due", "at")
    )


def open_for_supervisors(user, today: date | None = None):
    """Every running inquiry the supervisor may see, the latest first."""
    qs = with_light(Inquiry.objects.visible_to(user).running(), today)
    return for_rows(qs).order_by("due", "received_at")


# Words every question shares; they would match everything and rank nothing.
_STOP = {
    "请问",
    "我想",
    "想问",
    "一下",
    "怎么",
    "如何",
    "什么",
    "可以",
    "需要",
    "哪里",
    "是否",
    "办理",
    "你好",
    "您好",
    "老师",
    "谢谢",
    "问题",
    "咨询",
}
_CJK = re.compile(r"[\u4e00-\u9fff]+")


def _terms(text: str) -> list[str]:
    """Two-character pieces of the Chinese text (a sentence has no spaces to split on), and
    its ASCII words; the last 40 characters are enough for what the clerk is typing now."""
    text = (text or "")[-40:]
    terms: list[str] = []
    for run in _CJK.findall(text):
        pieces = [run] if len(run) <= 2 else [run[i : i + 2] for i in range(len(run) - 1)]
        terms += [p for p in pieces if p not in _STOP]
    terms += [w.lower() for w in re.findall(r"[A-Za-z0-9]{2,}", text)]
    return list(dict.fromkeys(terms))[:40]


def search_faq(
    q: str = "", *, queryset=None, limit: int | None = None, include_inactive: bool = False
):
    """Entries ranked by how many pieces of `q` they contain: Chinese two-character pieces
    match the question, keywords and answer; ASCII matches pinyin initials or full pinyin
    ("zxzm" → 在读证明). Without `q`, every entry."""
    qs = queryset if queryset is not None else FaqEntry.objects.all()
    if not include_inactive:
        qs = qs.filter(is_active=True)
    qs = qs.select_related("department", "service")
    terms = _terms(q)
    if not terms:
        return qs[:limit] if limit else qs
    scores = []
    for term in terms:
        if term.isascii():
            match = Q(pinyin_initials__contains=term) | Q(pinyin__contains=term)
            weight = 3
        else:
            match = Q(question__contains=term) | Q(keywords__contains=term)
            weight = 2
        scores.append(
            Case(When(match, then=Value(weight)), default=Value(0), output_field=IntegerField())
        )
        if not term.isascii():
            scores.append(
                Case(
                    When(answer__contains=term, then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                )
            )
    score: Expression = scores[0]
    for s in scores[1:]:
        score = score + s
    qs = qs.annotate(score=score).filter(score__gt=0).order_by("-score", "-updated_at")
    return qs[:limit] if limit else qs


def public_faq(q: str = "", *, department: str | None = None, service: str | None = None):
    qs = FaqEntry.objects.public()
    if department:
        qs = qs.filter(department__code=department)
    if service:
        qs = qs.filter(service__code=service)
    return search_faq(q, queryset=qs)


def find_by_code(request, number: str | None, code: str | None) -> Inquiry | None:
    """The public lookup of an inquiry by its number and query code, through core's one guard
    (shared per-address counter, constant-time comparison); past the limit it raises
    RateLimited, a wrong number or code gives None."""
    try:
        return lookup.find_by_code(
            request, Inquiry.objects, code=code, number=(number or "").strip().upper()
        )
    except NotFound:
        return None


def inquiry_file(pk: int) -> Inquiry:
    """One inquiry with what its staff view shows loaded (light, people, department)."""
    return (
        with_light(Inquiry.objects.filter(pk=pk))
        .select_related("owner", "first_owner", "department", "service", "post", "answered_by")
        .get()
    )


def inquiries_of_phone(phone_hash: str, *, limit: int = 50):
    """The inquiries whose asker gave the phone of this keyed hash (core.contacts.phone_hash),
    newest first: what the portal's 我的 lists once the phone is verified by an SMS code."""
    if not phone_hash:
        return Inquiry.objects.none()
    return (
        Inquiry.objects.filter(asker_phone_hash=phone_hash)
        .only("number", "query_code", "status", "matter", "due", "received_at")
        .order_by("-received_at", "-id")[:limit]
    )
