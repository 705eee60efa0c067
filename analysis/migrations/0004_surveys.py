"""A survey link belongs to its partner (removed with it) and a partner has one link per survey."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("analysis", "0003_walkthrough")]

    operations = [
        migrations.AlterField(
            model_name="response",
            name="participation",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="partners.participation",
                verbose_name="partner",
            ),
        ),
        migrations.AddConstraint(
            model_name="response",
            constraint=models.UniqueConstraint(
                condition=models.Q(("channel", "online")),
                fields=("survey", "participation"),
                name="analysis_response_one_link_per_partner",
            ),
        ),
    ]
