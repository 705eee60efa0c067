"""A key figure is never negative, in the database too."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("analysis", "0001_initial")]

    operations = [
        migrations.AddConstraint(
            model_name="keyfigure",
            constraint=models.CheckConstraint(
                condition=models.Q(("value__gte", 0)), name="analysis_keyfigure_value_not_negative"
            ),
        ),
    ]
