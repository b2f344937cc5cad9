"""Follow-up visits (跟踪回访, seed 003): each month a share of every department's completed
cases is drawn for a phone visit with the call script; the answers are recorded.

The draw is deterministic (the same seed, period and cases give the same sample) and made once
per department and period, so the command can run every day from cron."""

import math
import random
import re
from datetime import date, datetime, time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yichuang.cases.models import Case, Status
from yichuang.core.errors import Conflict, Invalid, NotAllowed
from yichuang.org.models import Department

from .. import permissions
from ..models import AnswerKind, Visit, VisitRule, VisitSample, VisitStatus
from .followups import open_follow_up

PERIOD = re.compile(r"^(\d{4})-(\d{2})$")
TEXT_LIMIT = 1000


def period_bounds(period: str) -> tuple[date, date]:
    """'2026-03' → (2026-03-01, 2026-04-01): the month, end exclusive."""
    m = PERIOD.fullmatch(period or "")
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise Invalid(_("期间格式应为 YYYY-MM"), code="invalid_period")
    year, month = int(m.group(1)), int(m.group(2))
    start = date(year, month, 1)
    return start, date(year + month // 12, month % 12 + 1, 1)


def previous_period(today: date | None = None) -> str:
    today = today or timezone.localdate()
    first = today.replace(day=1)
    last_month = date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)
    return f"{last_month:%Y-%m}"


def sample_size(population: int, share_percent, minimum: int) -> int:
    if population <= 0:
        return 0
    share = math.ceil(population * float(share_percent) / 100)
    return min(population, max(share, minimum))


def _aware(day: date):
    return timezone.make_aware(datetime.combine(day, time.min))


def draw_visit_sample(*, period: str, seed: str | None = None, by=None) -> list[VisitSample]:
    """Draw the month's sample for every department not drawn yet; returns the new draws."""
    if by is not None and not permissions.can_review(by):
        raise NotAllowed(_("回访抽样由大厅管理办公室进行"))
    start, end = period_bounds(period)
    if end > timezone.localdate():
        raise Conflict(_("该月尚未结束，不能抽样"), code="period_not_over")
    seed = seed or str(getattr(settings, "FEEDBACK_VISIT_SEED", "yichuang"))
    rules = {r.department_id: r for r in VisitRule.objects.filter(is_active=True)}
    hall_rule = rules.get(None)
    drawn = set(VisitSample.objects.filter(period=period).values_list("department_id", flat=True))
    completed: dict[int, list[int]] = {}
    for pk, department_id in (
        Case.objects.filter(
            status=Status.COMPLETED, completed_at__gte=_aware(start), completed_at__lt=_aware(end)
        )
        .order_by("pk")
        .values_list("pk", "department_id")
    ):
        completed.setdefault(department_id, []).append(pk)
    samples = []
    for department in Department.objects.filter(pk__in=completed).exclude(pk__in=drawn):
        rule = rules.get(department.pk, hall_rule)
        if rule is None:
            continue
        population = completed[department.pk]
        n = sample_size(len(population), rule.share_percent, rule.minimum)
        # Seeded per department, so adding a department never changes another's sample.
        chosen = sorted(random.Random(f"{seed}:{period}:{department.code}").sample(population, n))
        try:
            with transaction.atomic():
                sample = VisitSample.objects.create(
                    period=period,
                    department=department,
                    seed=seed,
                    share_percent=rule.share_percent,
                    population=len(population),
                    drawn_by=by,
                )
                Visit.objects.bulk_create(
                    Visit(sample=sample, case_id=pk, department=department, script=rule.script)
                    for pk in chosen
                )
        except IntegrityError:  # drawn meanwhile by another run: theirs stands
            continue
        samples.append(sample)
    return samples


def _answer(question, raw):
    value = raw.strip() if isinstance(raw, str) else raw
    if question.kind == AnswerKind.LEVEL:
        try:
            value = int(value)
        except (TypeError, ValueError):
            value = 0
        if not 1 <= value <= 5:
            raise Invalid(_("请为“%(q)s”选择满意度") % {"q": question.text}, code="answer_missing")
    elif question.kind == AnswerKind.YES_NO:
        if value not in ("yes", "no"):
            raise Invalid(_("请回答“%(q)s”") % {"q": question.text}, code="answer_missing")
    else:
        value = (value or "")[:TEXT_LIMIT]
    return {"question": question.text, "kind": question.kind, "answer": value}


def record_visit(visit: Visit, *, status: str, answers: dict, note: str = "", by) -> Visit:
    """`answers` maps question ids to values: 1–5 for a level, "yes"/"no", or a text. An
    unreachable applicant may be called again; a done visit is final."""
    if status not in (VisitStatus.DONE, VisitStatus.UNREACHABLE):
        raise Invalid(_("请选择回访结果"), code="invalid_status")
    with transaction.atomic():
        v = Visit.objects.select_for_update(of=("self",)).select_related("case").get(pk=visit.pk)
        if not permissions.can_visit(by, v.department_id):
            raise NotAllowed(_("跟踪回访由部门负责人或大厅管理办公室进行"))
        if by.pk in (v.case.assignee_id, v.case.intake_by_id):
            raise NotAllowed(_("经办人不能回访自己办理的办件"), code="own_case")
        if v.status == VisitStatus.DONE:
            raise Conflict(_("该办件已回访"), code="already_visited")
        recorded = []
        if status == VisitStatus.DONE:
            questions = list(v.script.questions.all())
            recorded = [_answer(q, answers.get(str(q.pk), answers.get(q.pk))) for q in questions]
        v.status, v.answers, v.note = status, recorded, (note or "").strip()[:TEXT_LIMIT]
        v.visited_at, v.visited_by = timezone.now(), by
        v.save(update_fields=["status", "answers", "note", "visited_at", "visited_by"])
        if v.status == VisitStatus.DONE and v.is_bad:
            open_follow_up(v)
    visit.__dict__.update({k: val for k, val in v.__dict__.items() if not k.startswith("_")})
    return visit
