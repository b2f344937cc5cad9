"""Reading a pasted holiday notice: pure parsing and validation, no database.

One date or range per line, then the kind, then an optional name:

    2027-01-01 holiday 元旦
    2027-02-06 workday 春节补班
    2027-02-10..2027-02-17 放假 春节

Kinds may be written in English or Chinese (放假/休, 补班/班/上班, 常规 to remove an
exception). Blank lines and lines starting with # are skipped. Every line is checked and
every error is reported with its line number, so the hall office fixes the notice in one go.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

KIND_WORDS = {
    "holiday": "holiday",
    "放假": "holiday",
    "休": "holiday",
    "workday": "workday",
    "补班": "workday",
    "班": "workday",
    "上班": "workday",
    "normal": "normal",
    "常规": "normal",
    "取消": "normal",
}
MAX_LINES = 200
MAX_RANGE_DAYS = 31
NAME_LENGTH = 40
_DATE = r"(\d{4})-(\d{1,2})-(\d{1,2})"
_LINE = re.compile(rf"^{_DATE}(?:\s*(?:\.\.|~|～|至)\s*{_DATE})?\s+(\S+)(?:\s+(.*))?$")
_WEEKDAY_NAMES = "一二三四五六日"


@dataclass(frozen=True)
class NoticeDay:
    line: int
    date: date
    kind: str  # "holiday", "workday" or "normal"
    name: str


def _make_date(y: str, m: str, d: str) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return None


def parse_notice(year: int, text: str) -> tuple[list[NoticeDay], list[str]]:
    """The days the notice sets, and the errors as "第 N 行：…" messages (empty when valid).

    A notice for `year` may name days from December of the year before and January of the
    year after (a New Year holiday across the turn of the year)."""
    days: list[NoticeDay] = []
    errors: list[str] = []
    first_line_of: dict[date, int] = {}
    window = (date(year - 1, 12, 1), date(year + 1, 1, 31))
    lines = (text or "").splitlines()
    if len(lines) > MAX_LINES:
        return [], [_("通知最多 %(n)d 行，请分批导入") % {"n": MAX_LINES}]

    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue

        def fail(message: str, number=number) -> None:
            errors.append(_("第 %(n)d 行：%(message)s") % {"n": number, "message": message})

        match = _LINE.match(line)
        if match is None:
            fail(_("无法识别，应为“日期 类型 名称”，如 2027-01-01 holiday 元旦"))
            continue
        groups = match.groups()
        start = _make_date(*groups[0:3])
        end = _make_date(*groups[3:6]) if groups[3] else start
        kind = KIND_WORDS.get(groups[6].lower())
        name = (groups[7] or "").strip()
        if start is None or end is None:
            fail(_("日期不存在"))
            continue
        if kind is None:
            fail(
                _("类型“%(word)s”无法识别，应为 holiday（放假）、workday（补班）或 normal（常规）")
                % {"word": groups[6]}
            )
            continue
        if len(name) > NAME_LENGTH:
            fail(_("名称过长（最多 %(n)d 个字）") % {"n": NAME_LENGTH})
            continue
        if end < start:
            fail(_("区间的结束日期早于开始日期"))
            continue
        if (end - start).days >= MAX_RANGE_DAYS:
            fail(_("区间过长（最多 %(n)d 天）") % {"n": MAX_RANGE_DAYS})
            continue
        if start < window[0] or end > window[1]:
            fail(_("日期不在 %(year)d 年的放假安排范围内") % {"year": year})
            continue
        line_ok = True
        day = start
        while day <= end:
            if kind == "workday" and day.weekday() < 5:
                fail(
                    _("%(date)s 是星期%(weekday)s，本来就是工作日；补班只用于周末")
                    % {"date": day.isoformat(), "weekday": _WEEKDAY_NAMES[day.weekday()]}
                )
                line_ok = False
            elif day in first_line_of:
                fail(
                    _("%(date)s 已在第 %(other)d 行出现")
                    % {"date": day.isoformat(), "other": first_line_of[day]}
                )
                line_ok = False
            day += timedelta(days=1)
        if line_ok:
            day = start
            while day <= end:
                first_line_of[day] = number
                days.append(NoticeDay(number, day, kind, name))
                day += timedelta(days=1)

    if not days and not errors:
        errors.append(_("没有可导入的日期行"))
    return days, errors
