from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yichuang.core.errors import DomainError, Invalid
from yichuang.core.pages import render_page, report_error

from . import services
from .forms import NoticeForm, SetDayForm, YearForm
from .models import CalendarYear
from .queries import hall_calendar, hall_yellow_rule, missing_years, year_months, year_summary


def _year_from(value, default: int) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return default
    return year if services.FIRST_YEAR <= year <= services.LAST_YEAR else default


def _to_year(year: int):
    return redirect(f"{reverse('workdays:calendar')}?year={year}")


def _page(request, year: int, **extra):
    today = timezone.localdate()
    work_calendar = hall_calendar()
    rule = hall_yellow_rule(work_calendar)
    context = {
        "yellow_rule": rule,
        "yellow_rule_fraction": f"{rule.fraction.numerator}/{rule.fraction.denominator}",
        "nav": "calendar",
        "year": year,
        "today": today,
        "months": year_months(year, work_calendar, today),
        "summary": year_summary(year, work_calendar),
        "year_row": CalendarYear.objects.filter(year=year).first(),
        "missing_years": missing_years(today, work_calendar),
        "switch_years": range(min(year, today.year) - 3, max(year, today.year) + 3),
        "can_manage": services.can_manage_calendar(request.user),
        "notice_text": "",
        "notice_errors": [],
    }
    context.update(extra)
    return render_page(request, "workdays/calendar.html", context)


@login_required
def calendar_page(request):
    return _page(request, _year_from(request.GET.get("year"), timezone.localdate().year))


@login_required
@require_POST
def set_day(request):
    form = SetDayForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("日期或类型填写有误"))
        return redirect("workdays:calendar")
    day = form.cleaned_data["date"]
    try:
        services.set_day(
            day,
            kind=form.cleaned_data["kind"],
            name=form.cleaned_data["name"],
            note=form.cleaned_data["note"],
            by=request.user,
        )
    except DomainError as exc:
        report_error(request, exc)
    else:
        messages.success(request, _("%(date)s 已更新") % {"date": day.isoformat()})
    return _to_year(day.year)


@login_required
@require_POST
def import_notice(request):
    form = NoticeForm(request.POST)
    year = _year_from(request.POST.get("year"), timezone.localdate().year)
    if not form.is_valid():
        messages.error(request, _("请填写年份并粘贴通知中的日期"))
        return _to_year(year)
    try:
        counts = services.import_notice(year, form.cleaned_data["text"], by=request.user)
    except Invalid as exc:
        # The pasted text is shown again with every bad line, so it is fixed in one go.
        report_error(request, exc)
        return _page(
            request,
            year,
            notice_text=form.cleaned_data["text"],
            notice_errors=exc.fields.get("text", []),
        )
    except DomainError as exc:
        report_error(request, exc)
    else:
        messages.success(
            request,
            _("已导入 %(year)d 年放假通知：放假 %(h)d 天，补班 %(w)d 天，恢复常规 %(n)d 天")
            % {"year": year, "h": counts["holiday"], "w": counts["workday"], "n": counts["normal"]},
        )
    return _to_year(year)


@login_required
@require_POST
def mark_year_official(request):
    form = YearForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("年份填写有误"))
        return redirect("workdays:calendar")
    year = form.cleaned_data["year"]
    try:
        services.mark_year_official(year, by=request.user)
    except DomainError as exc:
        report_error(request, exc)
    else:
        messages.success(request, _("%(year)d 年日历已标记为正式") % {"year": year})
    return _to_year(year)


@login_required
@require_POST
def set_yellow_rule(request):
    try:
        rule = services.set_yellow_rule(
            fraction=request.POST.get("yellow_fraction", ""),
            days_left=request.POST.get("yellow_days_left", ""),
            by=request.user,
        )
    except DomainError as exc:
        report_error(request, exc)
    else:
        messages.success(
            request,
            _("黄灯预警规则已更新：已用 %(f)s 或剩余 %(d)d 天")
            % {"f": f"{rule.fraction.numerator}/{rule.fraction.denominator}", "d": rule.days_left},
        )
    return redirect(f"{reverse('workdays:calendar')}#yellow-rule")
