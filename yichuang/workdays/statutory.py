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

The years 2000–2060 are kept as data (statutory_table.py, checked against the package by a
test): the package's China calendar loads ~300 modules (~16 MiB) into every worker that
builds the hall's calendar, so it is imported only for a year outside them (issue 18).
Regenerate the table after upgrading the package: `python -m yichuang.workdays.statutory`
then `ruff format yichuang/workdays/statutory_table.py`.
"""

from datetime import date
from functools import lru_cache
from pathlib import Path

from . import statutory_table

# The names the `holidays` package (zh_CN) gives the statutory days; any other name it
# yields is a notice-specific day off. Estimated lunar dates carry a "（推定）" suffix.
STATUTORY_NAMES = frozenset(
    {"元旦", "农历除夕", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"}
)
ESTIMATED_SUFFIX = "（推定）"
# The names we store and show, as the official notices (and chinesecalendar) say them.
SHOWN_NAME = {"农历除夕": "春节"}
FIRST_YEAR, LAST_YEAR = 1950, 2099


@lru_cache(maxsize=256)
def _year(year: int) -> tuple[tuple[date, str], ...]:
    kept = statutory_table.DAYS.get(year)
    if kept is not None:
        return tuple((date.fromisoformat(f"{year}-{day}"), name) for day, name in kept)
    return computed(year)


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


def write_table() -> None:
    """statutory_table.py anew from the package (after upgrading it)."""
    path = Path(__file__).with_name("statutory_table.py")
    text = path.read_text()
    head = text[: text.index("DAYS: dict")]
    rows = []
    for year in range(statutory_table.FIRST, statutory_table.LAST + 1):
        days = ", ".join(f'("{d:%m-%d}", "{n}")' for d, n in computed(year))
        rows.append(f"    {year}: ({days}{',' if len(computed(year)) == 1 else ''}),\n")
    path.write_text(
        head + "DAYS: dict[int, tuple[tuple[str, str], ...]] = {\n" + "".join(rows) + "}\n"
    )


if __name__ == "__main__":
    write_table()
