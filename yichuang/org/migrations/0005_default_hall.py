"""From one hall to many: the hall a single-hall database has always been becomes the default
hall (its name and region code from HALL_NAME and HALL_REGION_CODE), and every department and
member of staff is attached to it. Windows and posts follow in 0006, queue groups and services
in their apps."""

from django.conf import settings
from django.db import migrations


def create_default_hall(apps, schema_editor):
    Hall = apps.get_model("org", "Hall")
    Department = apps.get_model("org", "Department")
    Staff = apps.get_model("org", "Staff")
    hall = Hall.objects.filter(is_default=True).first()
    if hall is None:
        code = getattr(settings, "HALL_REGION_CODE", "")
        hall = Hall.objects.create(
            code="main",
            name=getattr(settings, "HALL_NAME", "") or "服务大厅",
            region_code=code if len(code) == 12 and code.isdigit() else "",
            is_default=True,
        )
    Department.halls.through.objects.bulk_create(
        [
            Department.halls.through(department_id=pk, hall_id=hall.pk)
            for pk in Department.objects.values_list("pk", flat=True)
        ]
    )
    Staff.halls.through.objects.bulk_create(
        [
            Staff.halls.through(staff_id=pk, hall_id=hall.pk)
            for pk in Staff.objects.values_list("pk", flat=True)
        ]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0004_halls"),
    ]

    operations = [
        migrations.RunPython(create_default_hall, migrations.RunPython.noop),
    ]
