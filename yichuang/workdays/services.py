"""The calendar's verbs. Only the hall office and administrators change the calendar; each
verb validates, writes in one transaction, records an audit event and renews the calendar
stamp so every process picks the change up on its next request."""

import uuid
from collections.abc import Iterable
from datetime import date
from importlib.metadata import version

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yichuang.core import audit
from yichuang.core.errors import Invalid, NotAllowed

from .models import CalendarDay, CalendarStamp, CalendarYear, DayKind, DaySource, YearStatus
from .notice import NAME_LENGTH, parse_notice

MANAGE_ROLES = ("hall_office", "administrator")
FIRST_YEAR, LAST_YEAR = 1900, 2100
SET_DAY_KINDS = tuple(DayKind.values)


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
        audit.record(
            "calendar.day_set",
            actor=by,
            target=row,
            summary=f"{day:%Y-%m-%d}: {previous} → {kind} {row.name}".rstrip(),
            data={"date": day.isoformat(), "from": previous, "to": kind, "name": row.name},
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
        audit.record(
            "calendar.notice_imported",
            actor=by,
            summary=_("%(year)d 年放假通知：%(n)d 天") % {"year": year, "n": len(days)},
            data={"year": year, "counts": counts, "dates": [d.date.isoformat() for d in days]},
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
        audit.record(
            "calendar.year_official",
            actor=by,
            target=row,
            summary=_("%(year)d 年日历标记为正式") % {"year": year},
            data={"year": year, "source": row.source},
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
            wanted = _package_days(year)
            stored = {
                r.date: r for r in CalendarDay.objects.select_for_update().filter(date__year=year)
            }
            for day, row in stored.items():
                if row.source == DaySource.MANUAL:
                    counts["kept_manual"] += day in wanted
                elif day not in wanted:
                    row.delete()
                    counts["deleted"] += 1
            for day, (kind, name) in wanted.items():
                row = stored.get(day)
                if row is None:
                    CalendarDay.objects.create(
                        date=day, kind=kind, name=name, source=DaySource.OFFICIAL, updated_at=now
                    )
                    counts["created"] += 1
                elif row.source == DaySource.OFFICIAL and (row.kind, row.name) != (kind, name):
                    row.kind, row.name, row.updated_by, row.updated_at = kind, name, by, now
                    row.save(update_fields=["kind", "name", "updated_by", "updated_at"])
                    counts["updated"] += 1
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
            audit.record(
                "calendar.official_loaded",
                actor=by,
                summary=_("从 %(package)s 载入 %(n)d 个年度")
                % {"package": package, "n": len(years)},
                data={"years": years, "counts": counts, "package": package},
            )
    return counts
