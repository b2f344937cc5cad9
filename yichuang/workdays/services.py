"""The calendar's verbs, and the hall's yellow rule (`set_yellow_rule`, see clock.py). Only
the hall office and administrators change them; each verb validates, writes in one
transaction, renews the calendar stamp so every process picks the change up on its next
request, counts every running clock of the changed years again (`clocks.recompute`: cases,
inquiries, follow-ups, complaints) and records an audit event."""

import uuid
from collections.abc import Iterable
from datetime import date
from fractions import Fraction
from importlib.metadata import version

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yichuang.core import audit
from yichuang.core.errors import Invalid, NotAllowed

from . import clocks
from .clock import MAX_DENOMINATOR, YellowRule, as_fraction
from .models import (
    CalendarDay,
    CalendarStamp,
    CalendarYear,
    ClockSettings,
    DayKind,
    DaySource,
    YearStatus,
)
from .notice import NAME_LENGTH, parse_notice
from .queries import hall_yellow_rule
from .statutory import statutory_holidays

MANAGE_ROLES = ("hall_office", "administrator")
FIRST_YEAR, LAST_YEAR = 1900, 2100
SET_DAY_KINDS = tuple(DayKind.values)
MAX_YELLOW_DAYS_LEFT = 30


def can_manage_calendar(user) -> bool:
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.has_role(*MANAGE_ROLES)
    )


def _check_manager(by) -> None:
    if not can_manage_calendar(by):
        raise NotAllowed(_("只有大厅管理办公室或系统管理员可以修改工作日历"))


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Invalid(
            _("年份应在 %(a)d 至 %(b)d 之间") % {"a": FIRST_YEAR, "b": LAST_YEAR},
            code="invalid_year",
        )


def _renew_stamp(now) -> None:
    token = uuid.uuid4().hex
    if not CalendarStamp.objects.filter(pk=1).update(token=token, changed_at=now):
        CalendarStamp.objects.create(pk=1, token=token, changed_at=now)


def _describe(row: CalendarDay | None) -> str:
    return row.kind if row is not None else "normal"


def set_day(day: date, *, kind: str, name: str = "", note: str = "", by) -> CalendarDay | None:
    """Make `day` a holiday, a make-up working day (weekends only), or "normal" (the weekday
    rule). Normal over an existing exception is kept as a manual "normal" row so that
    reloading the official data does not undo the hall's decision; normal where there is
    no exception changes nothing and returns None."""
    _check_manager(by)
    _check_year(day.year)
    if kind not in SET_DAY_KINDS:
        raise Invalid(_("类型应为放假、补班或常规"), code="invalid_kind")
    if kind == DayKind.WORKDAY and day.weekday() < 5:
        raise Invalid(
            _("周一至周五本来就是工作日；补班只用于周末。要取消放假，请选择“常规”"),
            code="invalid_kind",
        )
    name, note = name.strip(), note.strip()
    if len(name) > NAME_LENGTH or len(note) > 200:
        raise Invalid(_("名称最多 40 个字，备注最多 200 个字"), code="too_long")
    now = timezone.now()
    with transaction.atomic():
        row = CalendarDay.objects.select_for_update().filter(date=day).first()
        previous = _describe(row)
        if kind == DayKind.NORMAL and row is None:
            return None
        row, _created = CalendarDay.objects.update_or_create(
            date=day,
            defaults={
                "kind": kind,
                "name": "" if kind == DayKind.NORMAL else name,
                "note": note,
                "source": DaySource.MANUAL,
                "updated_by": by,
                "updated_at": now,
            },
        )
        _renew_stamp(now)
        moved = clocks.recompute({day.year}, by=by)
        audit.record(
            "calendar.day_set",
            actor=by,
            target=row,
            summary=f"{day:%Y-%m-%d}: {previous} → {kind} {row.name}".rstrip(),
            data={
                "date": day.isoformat(),
                "from": previous,
                "to": kind,
                "name": row.name,
                "recomputed": moved,
            },
        )
    return row


def import_notice(year: int, text: str, *, by) -> dict[str, int]:
    """Enter the days of a holiday notice pasted as lines (see `notice.py`). Every line is
    checked first; if any is wrong nothing is saved and Invalid lists every bad line in
    `fields["text"]`. Days not named in the notice are left as they are."""
    _check_manager(by)
    _check_year(year)
    days, errors = parse_notice(year, text)
    if errors:
        raise Invalid(
            _("通知中有 %(n)d 处错误，未保存任何日期") % {"n": len(errors)},
            code="invalid_notice",
            fields={"text": errors},
        )
    now = timezone.now()
    counts = {"holiday": 0, "workday": 0, "normal": 0}
    with transaction.atomic():
        for entry in days:
            counts[entry.kind] += 1
            if entry.kind == "normal":
                CalendarDay.objects.filter(date=entry.date).delete()
                continue
            CalendarDay.objects.update_or_create(
                date=entry.date,
                defaults={
                    "kind": entry.kind,
                    "name": entry.name,
                    "note": _("%(year)d 年放假通知") % {"year": year},
                    "source": DaySource.OFFICIAL,
                    "updated_by": by,
                    "updated_at": now,
                },
            )
        _renew_stamp(now)
        moved = clocks.recompute({year} | {d.date.year for d in days}, by=by)
        audit.record(
            "calendar.notice_imported",
            actor=by,
            summary=_("%(year)d 年放假通知：%(n)d 天") % {"year": year, "n": len(days)},
            data={
                "year": year,
                "counts": counts,
                "dates": [d.date.isoformat() for d in days],
                "recomputed": moved,
            },
        )
    return counts


def mark_year_official(year: int, *, by, source: str = "", note: str = "") -> CalendarYear:
    """Record that `year` holds the official arrangement: its deadlines stop being
    provisional. Refused for a year with no holiday entered, which is surely a mistake."""
    _check_manager(by)
    _check_year(year)
    if not CalendarDay.objects.filter(date__year=year, kind=DayKind.HOLIDAY).exists():
        raise Invalid(
            _("%(year)d 年尚未录入任何放假日期，不能标记为正式") % {"year": year},
            code="no_holidays",
        )
    now = timezone.now()
    with transaction.atomic():
        row, _created = CalendarYear.objects.update_or_create(
            year=year,
            defaults={
                "status": YearStatus.OFFICIAL,
                "source": (source or _("国务院办公厅放假通知"))[:120],
                "note": note[:200],
                "updated_by": by,
                "updated_at": now,
            },
        )
        _renew_stamp(now)
        moved = clocks.recompute({year}, by=by)
        audit.record(
            "calendar.year_official",
            actor=by,
            target=row,
            summary=_("%(year)d 年日历标记为正式") % {"year": year},
            data={"year": year, "source": row.source, "recomputed": moved},
        )
    return row


def package_years() -> range:
    import chinese_calendar

    years = [d.year for d in chinese_calendar.holidays]
    return range(min(years), max(years) + 1)


def _package_days(year: int) -> dict[date, tuple[str, str]]:
    import chinese_calendar
    from chinese_calendar import Holiday

    days = {}
    for kind, source in (
        ("holiday", chinese_calendar.holidays),
        ("workday", chinese_calendar.workdays),
    ):
        for day, value in source.items():
            if day.year == year:
                days[day] = (kind, Holiday(value).chinese[:NAME_LENGTH])
    return days


def _sync_official_rows(year: int, wanted: dict, *, by, now, counts: dict, note: str = "") -> None:
    """Bring the year's official rows in line with `wanted` ({date: (kind, name)}): official
    rows not wanted go, missing ones are created, changed ones updated; the hall office's manual
    rows are kept and win (counted in `kept_manual`)."""
    stored = {r.date: r for r in CalendarDay.objects.select_for_update().filter(date__year=year)}
    for day, row in stored.items():
        if row.source == DaySource.MANUAL:
            counts["kept_manual"] += day in wanted
        elif day not in wanted:
            row.delete()
            counts["deleted"] += 1
    for day, (kind, name) in wanted.items():
        current = stored.get(day)
        if current is None:
            CalendarDay.objects.create(
                date=day,
                kind=kind,
                name=name,
                source=DaySource.OFFICIAL,
                note=note,
                updated_by=by,
                updated_at=now,
            )
            counts["created"] += 1
        elif current.source == DaySource.OFFICIAL and (current.kind, current.name) != (kind, name):
            current.kind, current.name, current.updated_by, current.updated_at = kind, name, by, now
            current.save(update_fields=["kind", "name", "updated_by", "updated_at"])
            counts["updated"] += 1


def load_official_calendar(*, years: Iterable[int] | None = None, by=None) -> dict[str, int]:
    """Bring the official rows of `years` (default: every year the installed chinesecalendar
    knows) in line with the package and mark those years official. Idempotent. Manual
    changes by the hall office win and are kept. `by=None` is the machine's operator running
    the management command."""
    if by is not None:
        _check_manager(by)
    available = package_years()
    years = sorted(set(years)) if years is not None else list(available)
    package = f"chinesecalendar {version('chinesecalendar')}"
    unknown = [y for y in years if y not in available]
    if unknown:
        raise Invalid(
            _("%(package)s 没有 %(years)s 年的数据（只有 %(a)d–%(b)d 年）")
            % {
                "package": package,
                "years": "、".join(map(str, unknown)),
                "a": available[0],
                "b": available[-1],
            },
            code="no_package_data",
        )
    now = timezone.now()
    counts = {"created": 0, "updated": 0, "deleted": 0, "kept_manual": 0, "years_marked": 0}
    with transaction.atomic():
        for year in years:
            _sync_official_rows(year, _package_days(year), by=by, now=now, counts=counts)
            year_row = CalendarYear.objects.filter(year=year).first()
            if year_row is None or not year_row.is_official:
                CalendarYear.objects.update_or_create(
                    year=year,
                    defaults={
                        "status": YearStatus.OFFICIAL,
                        "source": package,
                        "updated_by": by,
                        "updated_at": now,
                    },
                )
                counts["years_marked"] += 1
        if any(counts[k] for k in ("created", "updated", "deleted", "years_marked")):
            _renew_stamp(now)
            moved = clocks.recompute(years, by=by)
            audit.record(
                "calendar.official_loaded",
                actor=by,
                summary=_("从 %(package)s 载入 %(n)d 个年度")
                % {"package": package, "n": len(years)},
                data={"years": years, "counts": counts, "package": package, "recomputed": moved},
            )
    return counts


def _parse_year_dates(year: int, values) -> tuple[dict[date, int], list[str]]:
    """The dates of one list of `set_year` (each with its 1-based position in the list) and
    the line-level errors ("第 N 项：…")."""
    days: dict[date, int] = {}
    errors: list[str] = []
    for number, value in enumerate(values or [], start=1):

        def fail(message: str, number=number) -> None:
            errors.append(_("第 %(n)d 项：%(message)s") % {"n": number, "message": message})

        day = None
        if isinstance(value, date):
            day = value
        elif isinstance(value, str) and len(value) == 10:
            try:
                day = date.fromisoformat(value)
            except ValueError:
                day = None
        if day is None:
            fail(_("“%(v)s”不是 YYYY-MM-DD 格式的有效日期") % {"v": str(value)[:20]})
            continue
        if day.year != year:
            fail(_("%(d)s 不在 %(year)d 年内") % {"d": day.isoformat(), "year": year})
            continue
        if day in days:
            fail(_("%(d)s 与第 %(m)d 项重复") % {"d": day.isoformat(), "m": days[day]})
            continue
        days[day] = number
    return days, errors


def set_year(
    year: int,
    *,
    status: str,
    holidays: Iterable = (),
    workdays: Iterable = (),
    source: str = "",
    by,
) -> CalendarYear:
    """Store a year's arrangement as a whole, as the hall office's systems send it (the
    `PUT /api/v1/calendar/years/{year}` API): `holidays` and `workdays` (make-up working days,
    weekends only) REPLACE the year's official rows; the hall office's manual rows are kept
    and still win on their dates, as with `load_official_calendar`. `status` "official" marks
    the year official (at least one holiday needed), "provisional" marks it provisional (its
    statutory holidays count, see statutory.py). Every entry is checked first; on any error
    nothing is written and Invalid lists each bad entry under its list's name."""
    _check_manager(by)
    _check_year(year)
    errors: dict[str, list[str]] = {}
    if status not in YearStatus.values:
        errors["status"] = [_("状态应为 official（正式）或 provisional（暂定）")]
    holiday_days, holiday_errors = _parse_year_dates(year, holidays)
    workday_days, workday_errors = _parse_year_dates(year, workdays)
    for day, number in workday_days.items():
        if day.weekday() < 5:
            workday_errors.append(
                _("第 %(n)d 项：%(d)s 是星期一至星期五，本来就是工作日；补班只用于周末")
                % {"n": number, "d": day.isoformat()}
            )
        elif day in holiday_days:
            workday_errors.append(
                _("第 %(n)d 项：%(d)s 同时列在放假日期中（holidays 第 %(m)d 项）")
                % {"n": number, "d": day.isoformat(), "m": holiday_days[day]}
            )
    workday_errors.sort(key=_position_of)
    if holiday_errors:
        errors["holidays"] = holiday_errors
    if workday_errors:
        errors["workdays"] = workday_errors
    if status == YearStatus.OFFICIAL and not holiday_days and "holidays" not in errors:
        errors["holidays"] = [_("正式的放假安排至少应有一个放假日期")]
    if errors:
        count = sum(len(v) for v in errors.values())
        raise Invalid(
            _("%(year)d 年的放假安排有 %(n)d 处错误，未保存任何日期") % {"year": year, "n": count},
            code="invalid_year",
            fields=errors,
        )
    names = statutory_holidays(year)
    wanted = {d: (DayKind.HOLIDAY, names.get(d, "")) for d in holiday_days}
    wanted.update({d: (DayKind.WORKDAY, _("补班")) for d in workday_days})
    now = timezone.now()
    counts = {"created": 0, "updated": 0, "deleted": 0, "kept_manual": 0}
    with transaction.atomic():
        _sync_official_rows(
            year,
            wanted,
            by=by,
            now=now,
            counts=counts,
            note=_("%(year)d 年放假安排") % {"year": year},
        )
        year_row, _created = CalendarYear.objects.update_or_create(
            year=year,
            defaults={
                "status": status,
                "source": (source or _("大厅管理办公室录入"))[:120],
                "updated_by": by,
                "updated_at": now,
            },
        )
        _renew_stamp(now)
        moved = clocks.recompute({year}, by=by)
        audit.record(
            "calendar.year_set",
            actor=by,
            target=year_row,
            summary=_("%(year)d 年放假安排：放假 %(h)d 天，补班 %(w)d 天（%(status)s）")
            % {
                "year": year,
                "h": len(holiday_days),
                "w": len(workday_days),
                "status": year_row.get_status_display(),
            },
            data={
                "year": year,
                "status": status,
                "holidays": [d.isoformat() for d in sorted(holiday_days)],
                "workdays": [d.isoformat() for d in sorted(workday_days)],
                "counts": counts,
                "recomputed": moved,
            },
        )
    return year_row


def _position_of(message: str) -> int:
    """Errors in list order: "第 N 项：…" sorts by N."""
    digits = "".join(c for c in message.split("项", 1)[0] if c.isdigit())
    return int(digits or 0)


def recompute_deadlines(*, years: Iterable[int] | None = None, by=None) -> dict[str, int]:
    """Count every running clock of `years` (default: every year) again by the calendar as
    stored, in one transaction: what the calendar's verbs do after each change, for an
    operator (e.g. after rows were written past the services, or a rule changed). `by=None`
    is the machine's operator running the management command."""
    if by is not None:
        _check_manager(by)
    years = sorted(set(years)) if years is not None else None
    for year in years or ():
        _check_year(year)
    with transaction.atomic():
        moved = clocks.recompute(years, by=by)
        audit.record(
            "calendar.deadlines_recomputed",
            actor=by,
            summary=_("按工作日历重新计算期限：%(years)s")
            % {"years": "、".join(map(str, years)) if years else _("全部年份")},
            data={"years": years, "recomputed": moved},
        )
    return moved


def parse_yellow_fraction(value) -> Fraction:
    """ "2/3", "0.75" or 75% of the time: more than nothing, at most all of it."""
    text = str(value).strip().replace("／", "/")
    try:
        if text.endswith("%"):
            fraction = as_fraction(text[:-1]) / 100
        else:
            fraction = as_fraction(text)
    except (ValueError, ZeroDivisionError):
        fraction = None
    if fraction is None or not 0 < fraction <= 1:
        raise Invalid(
            _("已用时限比例应为 0 到 1 之间的分数或小数，如 2/3 或 0.75"),
            code="invalid_fraction",
            fields={"yellow_fraction": [_("请填写如 2/3 或 0.75 的比例")]},
        )
    return fraction.limit_denominator(MAX_DENOMINATOR)


def set_yellow_rule(*, fraction, days_left: int, by) -> YellowRule:
    """Set when lights turn yellow: once `fraction` of the time is used or `days_left` days
    are left. Every running clock's yellow day is counted again in the same transaction (the
    stamp is renewed so that every process reads the new rule), and the change is audited."""
    _check_manager(by)
    value = parse_yellow_fraction(fraction)
    try:
        days_left = int(days_left)
    except (TypeError, ValueError):
        days_left = -1
    if not 0 <= days_left <= MAX_YELLOW_DAYS_LEFT:
        raise Invalid(
            _("剩余天数应在 0 至 %(n)d 之间") % {"n": MAX_YELLOW_DAYS_LEFT},
            code="invalid_days_left",
            fields={"yellow_days_left": [_("请填写 0 至 30 的整数")]},
        )
    now = timezone.now()
    with transaction.atomic():
        previous = hall_yellow_rule()
        ClockSettings.objects.update_or_create(
            pk=1,
            defaults={
                "yellow_fraction": f"{value.numerator}/{value.denominator}",
                "yellow_days_left": days_left,
                "updated_by": by,
                "updated_at": now,
            },
        )
        _renew_stamp(now)
        moved = clocks.recompute(None, by=by)
        rule = YellowRule(fraction=value, days_left=days_left)
        audit.record(
            "calendar.yellow_rule_set",
            actor=by,
            summary=_("黄灯预警规则：已用 %(f)s 或剩余 %(d)d 天")
            % {"f": f"{value.numerator}/{value.denominator}", "d": days_left},
            data={
                "from": [str(previous.fraction), previous.days_left],
                "to": [str(value), days_left],
                "recomputed": moved,
            },
        )
    return rule
