"""Seed China's official holidays and make-up working days from the chinesecalendar package.

Self-contained on purpose (historical models, no import of the app's code) so that later
changes to the services cannot change what this migration did. Later package upgrades are
loaded with `manage.py load_official_calendar`, which keeps manual changes.
"""

import uuid
from importlib.metadata import version

from django.db import migrations
from django.utils import timezone


def load(apps, schema_editor):
    import chinese_calendar
    from chinese_calendar import Holiday

    CalendarDay = apps.get_model("workdays", "CalendarDay")
    CalendarYear = apps.get_model("workdays", "CalendarYear")
    CalendarStamp = apps.get_model("workdays", "CalendarStamp")
    now = timezone.now()
    source = f"chinesecalendar {version('chinesecalendar')}"
    rows = {}
    for kind, days in (("holiday", chinese_calendar.holidays), ("workday", chinese_calendar.workdays)):
        for day, value in days.items():
            rows[day] = CalendarDay(
                date=day, kind=kind, name=Holiday(value).chinese[:40], source="official", updated_at=now
            )
    CalendarDay.objects.bulk_create(sorted(rows.values(), key=lambda r: r.date), batch_size=500)
    years = sorted({day.year for day in chinese_calendar.holidays})
    CalendarYear.objects.bulk_create(
        [CalendarYear(year=y, status="official", source=source, updated_at=now) for y in years]
    )
    CalendarStamp.objects.update_or_create(
        pk=1, defaults={"token": uuid.uuid4().hex, "changed_at": now}
    )


def unload(apps, schema_editor):
    apps.get_model("workdays", "CalendarDay").objects.filter(source="official").delete()
    apps.get_model("workdays", "CalendarYear").objects.filter(source__startswith="chinesecalendar").delete()
    apps.get_model("workdays", "CalendarStamp").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
