"""The statutory public holidays (法定节假日) of 《全国年节及纪念日放假办法》, known for every
year before its official notice is published.

As amended in 2024 (国务院令第 795 号, in force from 2025): 元旦 1 day (Jan 1); 春节 4 days
(除夕 to 正月初三); 清明节 1 day (the solar term); 劳动节 2 days (May 1–2); 端午节 1 day
(五月初五); 中秋节 1 day (八月十五); 国庆节 3 days (Oct 1–3). Earlier years follow the rules in
force then.

The lunar dates and the solar term come from the maintained `holidays` package (its China
calendar models each revision of the 办法); we keep only the statutory days and drop the
days it adds from each year's notice (调休 days off, extended holidays), which are exactly
what is unknown before the notice. What stays unknown is the make-up working days (补班)
and the weekday days off given in exchange for them: a year computed from here stays
provisional until its notice is entered.

For 2000–2060 the package is not loaded (its China calendar is ~300 modules, ~16 MiB in
every worker that builds the hall's calendar; issue 18): the sky's part — the dates of 正月
初一, 清明, 五月初五 and 八月十五 — is kept as data (lunar_dates.py), and the law's part — which
days around them, and which fixed dates, are days off under each revision — is REVISIONS
below. A test checks that the two give what the package gives for every year. Regenerate the
dates after upgrading the package: `python -m yichuang.workdays.statutory`.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from . import lunar_dates

# The names the `holidays` package (zh_CN) gives the statutory days; any other name it
# yields is a notice-specific day off. Estimated lunar dates carry a "（推定）" suffix.
STATUTORY_NAMES = frozenset(
    {"元旦", "农历除夕", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"}
)
ESTIMATED_SUFFIX = "（推定）"
# The names we store and show, as the official notices (and chinesecalendar) say them.
SHOWN_NAME = {"农历除夕": "春节"}
FIRST_YEAR, LAST_YEAR = 1950, 2099


@dataclass(frozen=True)
class Revision:
    """What one revision of the 办法 gives, from the year it is in force."""

    since: int
    spring_from_eve: bool  # 春节 starts on 除夕 (else on 正月初一)
    spring_days: int
    labour_days: int  # from May 1
    traditional: bool  # 清明, 端午 and 中秋 a day off each


# 国务院令第 270 号 (1999), 第 513 号 (2007), 第 644 号 (2013), 第 795 号 (2024); 元旦 is Jan 1
# and 国庆节 Oct 1–3 under all four.
REVISIONS = (
    Revision(1999, spring_from_eve=False, spring_days=3, labour_days=3, traditional=False),
    Revision(2008, spring_from_eve=True, spring_days=3, labour_days=1, traditional=True),
    Revision(2014, spring_from_eve=False, spring_days=3, labour_days=1, traditional=True),
    Revision(2025, spring_from_eve=True, spring_days=4, labour_days=2, traditional=True),
)


def _by_the_law(year: int, sky: tuple[str, str, str, str]) -> tuple[tuple[date, str], ...]:
    """The statutory days of `year`, from the revision in force and the sky's dates. A day
    that is two festivals (中秋 on Oct 1) is named once, as the package names it."""
    law = [r for r in REVISIONS if r.since <= year][-1]
    first_moon, qingming, dragon_boat, mid_autumn = (
        date.fromisoformat(f"{year}-{day}") for day in sky
    )
    spring_start = first_moon - timedelta(days=1) if law.spring_from_eve else first_moon
    days: dict[date, str] = {date(year, 1, 1): "元旦"}
    for n in range(law.spring_days):
        days.setdefault(spring_start + timedelta(days=n), "春节")
    if law.traditional:
        days.setdefault(qingming, "清明节")
    for n in range(law.labour_days):
        days.setdefault(date(year, 5, 1 + n), "劳动节")
    if law.traditional:
        days.setdefault(dragon_boat, "端午节")
    if law.traditional:
        days.setdefault(mid_autumn, "中秋节")
    for n in range(3):
        days.setdefault(date(year, 10, 1 + n), "国庆节")
    return tuple(sorted(days.items()))


@lru_cache(maxsize=256)
def _year(year: int) -> tuple[tuple[date, str], ...]:
    sky = lunar_dates.DATES.get(year)
    return _by_the_law(year, sky) if sky is not None else computed(year)


def computed(year: int) -> tuple[tuple[date, str], ...]:
    """The statutory days of `year` from the `holidays` package."""
    import holidays as holidays_package

    table = holidays_package.China(years=year, observed=False, language="zh_CN")
    days = []
    for day, names in sorted(table.items()):
        for name in names.split("; "):
            name = name.removesuffix(ESTIMATED_SUFFIX)
            if name in STATUTORY_NAMES:
                days.append((day, SHOWN_NAME.get(name, name)))
                break
    return tuple(days)


def statutory_holidays(year: int) -> dict[date, str]:
    """The statutory holidays of `year` with their names ({} outside 1950–2099)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return {}
    return dict(_year(year))


def write_lunar_dates() -> None:
    """lunar_dates.py anew from the package's lunisolar calendar (after upgrading it)."""
    from holidays.calendars.chinese import _ChineseLunisolar

    sky = _ChineseLunisolar()
    path = Path(__file__).with_name("lunar_dates.py")
    text = path.read_text()
    head = text[: text.index("DATES: dict")]
    rows = []
    for year in range(lunar_dates.FIRST, lunar_dates.LAST + 1):
        found = (
            sky.lunar_new_year_date(year)[0],
            sky.qingming_date(year)[0],
            sky.dragon_boat_date(year)[0],
            sky.mid_autumn_date(year)[0],
        )
        rows.append(f"    {year}: (" + ", ".join(f'"{d:%m-%d}"' for d in found) + "),\n")
    path.write_text(
        head + "DATES: dict[int, tuple[str, str, str, str]] = {\n" + "".join(rows) + "}\n"
    )


if __name__ == "__main__":
    write_lunar_dates()
