from django.db import migrations, models


class Migration(migrations.Migration):
    """A department's cases newest first, and the keyset that pages them (issue 15)."""

    dependencies = [
        ("cases", "0014_case_bundle"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["department", "received_at", "id"], name="case_department_received"
            ),
        ),
    ]
