# Team invitations (issue 18).
import django.db.models.deletion
import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models

import kvu.fields


class Migration(migrations.Migration):
    dependencies = [
        ("kvu", "0009_user_settings"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="TeamInvitation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("email", models.EmailField(max_length=150, verbose_name="e-mail address")),
                ("name", kvu.fields.SingleLineCharField(max_length=150, verbose_name="name")),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("leader", "project leader"),
                            ("editor", "editor"),
                            ("viewer", "viewer"),
                        ],
                        max_length=10,
                        verbose_name="role",
                    ),
                ),
                (
                    "token_hash",
                    models.CharField(
                        editable=False,
                        max_length=64,
                        null=True,
                        unique=True,
                        verbose_name="link (SHA-256)",
                    ),
                ),
                (
                    "expires_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="link valid until"),
                ),
                ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="sent at")),
                (
                    "accepted_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="accepted at"),
                ),
                (
                    "cancelled_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="cancelled at"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                (
                    "invited_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="invited by",
                    ),
                ),
                (
                    "municipality",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="team_invitations",
                        to="kvu.municipality",
                        verbose_name="municipality",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="team_invitations",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="account",
                    ),
                ),
            ],
            options={
                "verbose_name": "team invitation",
                "verbose_name_plural": "team invitations",
                "ordering": ["-created_at", "-pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("role__in", ["leader", "editor", "viewer"])),
                        name="kvu_teaminvitation_role_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("accepted_at__isnull", True),
                            ("cancelled_at__isnull", True),
                            _connector="OR",
                        ),
                        name="kvu_teaminvitation_not_accepted_and_cancelled",
                    ),
                    models.UniqueConstraint(
                        django.db.models.functions.text.Lower("email"),
                        models.F("municipality"),
                        condition=models.Q(
                            ("accepted_at__isnull", True), ("cancelled_at__isnull", True)
                        ),
                        name="kvu_teaminvitation_one_pending_per_email",
                        violation_error_message="This address has already been invited.",
                    ),
                ],
            },
        ),
    ]
