"""Every window and post belongs to a hall; the default hall exists by now (0005), so the
default of the new column is its id."""

import django.db.models.deletion
import yichuang.org.models
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0005_default_hall"),
    ]

    operations = [
        migrations.AddField(
            model_name="post",
            name="hall",
            field=models.ForeignKey(
                default=yichuang.org.models.default_hall_id,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="posts",
                to="org.hall",
                verbose_name="大厅",
            ),
        ),
        migrations.AddField(
            model_name="window",
            name="hall",
            field=models.ForeignKey(
                default=yichuang.org.models.default_hall_id,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="windows",
                to="org.hall",
                verbose_name="大厅",
            ),
        ),
    ]
