"""The verbs of the appraisal. Each: one permission check, one transaction, one audit record.
Views, admin and commands all call these."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yichuang.core import audit
from yichuang.core.db_routing import lagging_reads
from yichuang.core.errors import Conflict, Invalid, NotAllowed

from . import permissions, scoring
from .models import Appraisal, AppraisalStatus, Bonus, PanelScore, ScoringScheme
from .periods import Period
from .queries import current_scheme  # noqa: F401  (the scheme the verbs' callers read)

SCHEME_FIELDS = (
    "on_time_points",
    "on_time_target",
    "satisfaction_points",
    "satisfaction_target",
    "inquiry_points",
    "inquiry_target",
    "rectification_points",
    "rectification_target",
    "panel_points",
    "red_light_deduction",
    "complaint_deduction",
    "bad_rating_deduction",
    "max_deduction",
)


def _manager(by) -> None:
    if not permissions.can_manage_appraisal(by):
        raise NotAllowed(_("考评方案、考评和月报由大厅管理办公室管理"))


def _decimal(value, field: str, low: Decimal, high: Decimal) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise Invalid(_("请输入数字"), code="invalid_number", fields={field: [value]}) from exc
    if not number.is_finite() or not low <= number <= high:
        raise Invalid(
            _("%(field)s 应在 %(low)s 至 %(high)s 之间")
            % {"field": field, "low": low, "high": high},
            code="out_of_range",
            fields={field: [value]},
        )
    return number


def save_scheme(*, name: str, values: dict, by, scheme: ScoringScheme | None = None):
    """Create or change a scoring scheme and make it the current one (the dashboard's
    targets). Its indicator and panel points must add up to 100. A closed appraisal keeps
    the results it was closed with."""
    _manager(by)
    name = (name or "").strip()[:100]
    if not name:
        raise Invalid(_("请填写方案名称"), code="name_required")
    cleaned = {}
    for field in SCHEME_FIELDS:
        if field.endswith("_target"):
            cleaned[field] = _decimal(values.get(field), field, Decimal("0.01"), Decimal(1))
        else:
            cleaned[field] = _decimal(values.get(field), field, Decimal(0), Decimal(100))
    total = sum(v for k, v in cleaned.items() if k.endswith("_points"))
    if total != 100:
        raise Invalid(
            _("各项分值之和应为 100 分，现为 %(total)s 分") % {"total": total},
            code="points_not_100",
        )
    with transaction.atomic():
        others = ScoringScheme.objects.select_for_update().filter(is_current=True)
        if scheme is not None:
            others = others.exclude(pk=scheme.pk)
        others.update(is_current=False)
        scheme = scheme or ScoringScheme()
        scheme.name = name
        for field, value in cleaned.items():
            setattr(scheme, field, value)
        scheme.is_current, scheme.updated_at, scheme.updated_by = True, timezone.now(), by
        scheme.save()
        audit.record(
            "appraisal.scheme_saved",
            actor=by,
            target=scheme,
            summary=name,
            data={k: str(v) for k, v in cleaned.items()},
        )
    return scheme


def open_appraisal(*, name: str, date_from: date, date_to: date, scheme: ScoringScheme, by):
    _manager(by)
    name = (name or "").strip()[:100]
    if not name:
        raise Invalid(_("请填写考评名称"), code="name_required")
    Period(date_from, date_to)  # refuses a reversed or too long period
    if scheme.pk is None:
        raise Invalid(_("请先保存考评方案"), code="no_scheme")
    with transaction.atomic():
        appraisal = Appraisal.objects.create(
            name=name, date_from=date_from, date_to=date_to, scheme=scheme, created_by=by
        )
        audit.record("appraisal.opened", actor=by, target=appraisal, summary=name)
    return appraisal


def _locked_open(appraisal: Appraisal) -> Appraisal:
    # The appraisal row is the lock: a score and the closing cannot cross.
    locked = Appraisal.objects.select_for_update().get(pk=appraisal.pk)
    if not locked.is_open:
        raise Conflict(_("该考评已结束，不能再修改"), code="appraisal_closed")
    return locked


def score_department(appraisal: Appraisal, *, department, score, comment: str = "", by):
    """An evaluator's score sheet for one department: one per evaluator, department and
    appraisal, changed freely until the appraisal closes."""
    if not permissions.is_evaluator(by):
        raise NotAllowed(_("只有评议员可以参加民主评议"))
    score = _decimal(score, "score", Decimal(0), Decimal(100)).quantize(Decimal("0.01"))
    comment = (comment or "").strip()[:1000]
    with transaction.atomic():
        locked = _locked_open(appraisal)
        sheet, created = PanelScore.objects.update_or_create(
            appraisal=locked,
            evaluator=by,
            department=department,
            defaults={"score": score, "comment": comment, "updated_at": timezone.now()},
        )
        audit.record(
            "appraisal.panel_scored" if created else "appraisal.panel_changed",
            actor=by,
            target=locked,
            summary=department.name,
            data={"department": department.code, "score": str(score)},
        )
    return sheet


def add_bonus(appraisal: Appraisal, *, department, points, reason: str, by) -> Bonus:
    _manager(by)
    points = _decimal(points, "points", Decimal("0.01"), Decimal(20)).quantize(Decimal("0.01"))
    reason = (reason or "").strip()[:200]
    if not reason:
        raise Invalid(_("请写明加分事由"), code="reason_required")
    with transaction.atomic():
        locked = _locked_open(appraisal)
        bonus = Bonus.objects.create(
            appraisal=locked, department=department, points=points, reason=reason, created_by=by
        )
        audit.record(
            "appraisal.bonus_added",
            actor=by,
            target=locked,
            summary=reason,
            data={"department": department.code, "points": str(points)},
        )
    return bonus


def remove_bonus(bonus: Bonus, *, by) -> None:
    _manager(by)
    with transaction.atomic():
        locked = _locked_open(bonus.appraisal)
        audit.record(
            "appraisal.bonus_removed",
            actor=by,
            target=locked,
            summary=bonus.reason,
            data={"department": bonus.department.code, "points": str(bonus.points)},
        )
        bonus.delete()


def close_appraisal(appraisal: Appraisal, *, by) -> Appraisal:
    """End the panel's scoring and keep the assessment as it stands."""
    _manager(by)
    with transaction.atomic():
        locked = _locked_open(appraisal)
        locked.results = scoring.assess(locked)
        locked.status = AppraisalStatus.CLOSED
        locked.closed_at, locked.closed_by = timezone.now(), by
        locked.save(update_fields=["results", "status", "closed_at", "closed_by"])
        audit.record(
            "appraisal.closed",
            actor=by,
            target=locked,
            summary=locked.name,
            data={"ranking": [[r["department"], r["total"]] for r in locked.results]},
        )
    appraisal.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return appraisal


def generate_monthly_report(*, month: date, by=None, replace: bool = False):
    """The month's report (月报) as PDF and Excel, kept in MEDIA. Idempotent: an existing report
    is returned untouched unless `replace` (the office regenerating after late corrections).
    `by` None is the scheduled command. Returns (report, whether files were written)."""
    from django.core.files.base import ContentFile
    from django.db import IntegrityError

    from .models import MonthlyReport
    from .reports.content import build_report
    from .reports.excel import report_workbook
    from .reports.pdf import render_report_pdf

    if by is not None:
        _manager(by)
    month, today = month.replace(day=1), timezone.localdate()
    if month > today:
        raise Invalid(_("不能生成未来月份的月报"), code="future_month")
    existing = MonthlyReport.objects.filter(month=month).first()
    if existing is not None and not replace:
        return existing, False
    with lagging_reads():  # a finished month's figures: a replica, when there is one
        data = build_report(month, today=today)
    report = existing or MonthlyReport(month=month)
    stale = [report.pdf.name, report.xlsx.name] if existing else []
    report.period_end, report.generated_at, report.generated_by = (
        data.period.end,
        timezone.now(),
        by,
    )
    report.pdf.save(f"yuebao-{month:%Y-%m}.pdf", ContentFile(render_report_pdf(data)), save=False)
    report.xlsx.save(f"yuebao-{month:%Y-%m}.xlsx", ContentFile(report_workbook(data)), save=False)
    try:
        with transaction.atomic():
            report.save()
            audit.record(
                "appraisal.monthly_report",
                actor=by,
                target=report,
                summary=f"{month:%Y-%m}",
                data={"replaced": bool(existing)},
            )
    except IntegrityError:
        # Another run made this month's report meanwhile: theirs stands, ours goes.
        report.pdf.delete(save=False)
        report.xlsx.delete(save=False)
        return MonthlyReport.objects.get(month=month), False
    for name in stale:
        if name:
            report.pdf.storage.delete(name)
    return report, True
