"""ContactMoment.project: a copy of its participation's project, for the log's index."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_project(apps, schema_editor):
    ContactMoment = apps.get_model("partners", "ContactMoment")
    Participation = apps.get_model("partners", "Participation")
    ContactMoment.objects.update(
        project_id=Subquery(
            Participation.objects.filter(pk=OuterRef("participation_id")).values("project_id")
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("kvu", "0004_project_closed_on"),
        ("partners", "0005_open_follow_up_index_per_partner"),
    ]

    operations = [
        migrations.AddField(
            model_name="contactmoment",
            name="project",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="contact_moments",
                to="kvu.project",
                verbose_name="project",
            ),
        ),
        migrations.RunPython(copy_project, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="contactmoment",
            name="project",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="contact_moments",
                to="kvu.project",
                verbose_name="project",
            ),
        ),
        migrations.AddIndex(
            model_name="contactmoment",
            index=models.Index(
                fields=["project", "-occurred_at", "-id"], name="partners_contact_project_log"
            ),
        ),
        migrations.AddIndex(
            model_name="contactmoment",
            index=models.Index(
                condition=models.Q(("follow_up_done", False), ("follow_up_on__isnull", False)),
                fields=["project", "follow_up_on"],
                name="partners_contact_project_fu",
            ),
        ),
    ]
