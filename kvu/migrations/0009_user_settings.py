"""Per-user settings (the overview e-mail) and the record of overview e-mails sent."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("kvu", "0008_document"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="DigestSent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("date", models.DateField(verbose_name="date")),
                ("sent_at", models.DateTimeField(auto_now_add=True, verbose_name="sent at")),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "overview e-mail sent",
                "verbose_name_plural": "overview e-mails sent",
                "ordering": ["-date", "user"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("user", "date"), name="kvu_digestsent_user_date_uniq"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="UserSettings",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "digest",
                    models.CharField(
                        choices=[
                            ("daily", "every day"),
                            ("weekly", "every week (on Monday)"),
                            ("none", "never"),
                        ],
                        default="weekly",
                        help_text="An e-mail with your overdue and upcoming follow-ups, your open action items and the meetings of the coming two weeks. It is not sent when there is nothing to report.",
                        max_length=10,
                        verbose_name="overview e-mail",
                    ),
                ),
                (
                    "language",
                    models.CharField(
                        choices=[("nl", "Dutch"), ("en", "English")],
                        default="nl",
                        max_length=5,
                        verbose_name="language of e-mails",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="kvu_settings",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "user settings",
                "verbose_name_plural": "user settings",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("digest__in", ["daily", "weekly", "none"])),
                        name="kvu_usersettings_digest_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("language__in", ["nl", "en"])),
                        name="kvu_usersettings_language_valid",
                    ),
                ],
            },
        ),
    ]
