import django.db.models.deletion
from django.db import migrations, models


def count_cases(apps, schema_editor):
    """The tally of the cases already there, as cases.tally.rebuild() counts it."""
    Case = apps.get_model("cases", "Case")
    CaseTally = apps.get_model("cases", "CaseTally")
    rows = Case.objects.order_by().values("department_id", "status").annotate(n=models.Count("id"))
    CaseTally.objects.bulk_create(
        CaseTally(department_id=r["department_id"], status=r["status"], count=r["n"]) for r in rows
    )


class Migration(migrations.Migration):
    """How many cases each department leads in each status, kept by the case flow (issue 15)."""

    dependencies = [
        ("cases", "0015_case_department_received"),
        ("org", "0002_three_administrators"),
    ]

    operations = [
        migrations.CreateModel(
            name="CaseTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("submitted", "已提交"),
                            ("supplement", "待补件"),
                            ("accepted", "已受理"),
                            ("suspended", "已挂起"),
                            ("checking", "待复核"),
                            ("completed", "已办结"),
                            ("rejected", "不予受理"),
                            ("returned", "已退件"),
                        ],
                        max_length=12,
                    ),
                ),
                ("count", models.BigIntegerField(default=0)),
                (
                    "department",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="org.department",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("department", "status"), name="unique_case_tally"
                    )
                ],
            },
        ),
        migrations.RunPython(count_cases, migrations.RunPython.noop),
    ]
