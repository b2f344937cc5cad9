"""联办: a co-department's part gets its own service, post, handler, clock and status
(issue 16). CaseParticipant becomes CasePart, its `part` text its `title`."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def part_statuses(apps, schema_editor):
    """A part already done is done; an open part of a case being handled is running."""
    Part = apps.get_model("cases", "CasePart")
    Part.objects.exclude(done_at=None).update(status="done")
    Part.objects.filter(
        done_at=None, case__status__in=("accepted", "suspended", "checking")
    ).update(status="running")


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_service_catalogue"),
        ("org", "0002_three_administrators"),
        ("cases", "0010_case_applicant_phone_hash"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel("CaseParticipant", "CasePart"),
        migrations.RenameField("casepart", "part", "title"),
        migrations.AlterModelOptions(
            name="casepart",
            options={
                "ordering": ["position", "id"],
                "verbose_name": "联办事项",
                "verbose_name_plural": "联办事项",
            },
        ),
        migrations.AlterField(
            model_name="casepart",
            name="case",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="parts", to="cases.case"
            ),
        ),
        migrations.AlterField(
            model_name="casepart",
            name="department",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="joint_parts",
                to="org.department",
                verbose_name="联办部门",
            ),
        ),
        migrations.AlterField(
            model_name="casepart",
            name="note",
            field=models.TextField(blank=True, verbose_name="办理情况 / 退回理由"),
        ),
        migrations.AddField(
            model_name="casepart",
            name="service",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="catalog.service",
                verbose_name="联办事项",
            ),
        ),
        migrations.AddField(
            model_name="casepart",
            name="position",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="casepart",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "待启动"),
                    ("running", "办理中"),
                    ("done", "已完成"),
                    ("refused", "已退回"),
                    ("dropped", "已撤除"),
                ],
                default="pending",
                max_length=10,
                verbose_name="状态",
            ),
        ),
        migrations.AddField(
            model_name="casepart",
            name="post",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="case_parts",
                to="org.post",
                verbose_name="岗位",
            ),
        ),
        migrations.AddField(
            model_name="casepart",
            name="assignee",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="assigned_parts",
                to=settings.AUTH_USER_MODEL,
                verbose_name="经办人",
            ),
        ),
        migrations.AddField(
            model_name="casepart",
            name="committed_days",
            field=models.PositiveIntegerField(default=0, verbose_name="承诺时限（工作日）"),
        ),
        migrations.AddField(
            model_name="casepart",
            name="clock_start",
            field=models.DateField(blank=True, null=True, verbose_name="起算日"),
        ),
        migrations.AddField(
            model_name="casepart",
            name="deadline",
            field=models.DateField(blank=True, null=True, verbose_name="办结期限"),
        ),
        migrations.AddField(
            model_name="casepart",
            name="yellow_on",
            field=models.DateField(blank=True, null=True, verbose_name="预警日"),
        ),
        migrations.AddField(
            model_name="casepart",
            name="deadline_provisional",
            field=models.BooleanField(default=False, verbose_name="期限暂定"),
        ),
        migrations.AddIndex(
            model_name="casepart",
            index=models.Index(fields=["assignee", "status"], name="case_part_assignee_status"),
        ),
        migrations.AddIndex(
            model_name="casepart",
            index=models.Index(fields=["status", "yellow_on"], name="case_part_status_yellow_on"),
        ),
        migrations.RunPython(part_statuses, migrations.RunPython.noop),
    ]
