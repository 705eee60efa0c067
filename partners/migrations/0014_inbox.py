# The project's e-mail logging address and inbox (issue 18).
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import kvu.fields
import partners.inbox.models


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0013_search"),
        ("kvu", "0011_search"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="LoggingAddress",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "secret",
                    models.CharField(
                        default=partners.inbox.models.new_secret,
                        max_length=64,
                        unique=True,
                        verbose_name="secret",
                    ),
                ),
                (
                    "replaced_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="replaced at"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "created_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="created by",
                    ),
                ),
                (
                    "project",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="logging_address",
                        to="kvu.project",
                        verbose_name="project",
                    ),
                ),
            ],
            options={
                "verbose_name": "logging address",
                "verbose_name_plural": "logging addresses",
            },
        ),
        migrations.CreateModel(
            name="InboundMessage",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("message_id", models.CharField(max_length=255, verbose_name="Message-ID")),
                ("sender", models.EmailField(max_length=254, verbose_name="sender")),
                ("addresses", models.JSONField(blank=True, default=list, verbose_name="addresses")),
                (
                    "subject",
                    kvu.fields.SingleLineCharField(
                        blank=True, max_length=255, verbose_name="subject"
                    ),
                ),
                ("body", models.TextField(blank=True, verbose_name="text")),
                ("sent_at", models.DateTimeField(verbose_name="sent at")),
                ("size", models.PositiveIntegerField(verbose_name="size in bytes")),
                (
                    "direction",
                    models.CharField(
                        choices=[
                            ("outgoing", "we contacted them"),
                            ("incoming", "they contacted us"),
                        ],
                        default="outgoing",
                        max_length=10,
                        verbose_name="direction",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("waiting", "waiting in the inbox"),
                            ("recorded", "recorded in the log"),
                            ("discarded", "discarded"),
                        ],
                        default="waiting",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "reason",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("no_person", "no known contact person among its addresses"),
                            ("several_partners", "contact persons of more than one partner"),
                            (
                                "unknown_sender",
                                "sent by someone who is neither a colleague nor a partner",
                            ),
                        ],
                        max_length=20,
                        verbose_name="why it waits",
                    ),
                ),
                ("notes", models.JSONField(blank=True, default=list, verbose_name="notes")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="received at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "contact_moment",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="partners.contactmoment",
                        verbose_name="contact moment",
                    ),
                ),
                (
                    "handled_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="handled by",
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="inbound_messages",
                        to="kvu.project",
                        verbose_name="project",
                    ),
                ),
                (
                    "sent_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="copied by",
                    ),
                ),
            ],
            options={
                "verbose_name": "received e-mail",
                "verbose_name_plural": "received e-mails",
                "ordering": ["-created_at", "-pk"],
                "indexes": [
                    models.Index(
                        fields=["project", "status", "-created_at"], name="partners_inbound_status"
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("project", "message_id"),
                        name="partners_inboundmessage_project_message_id_uniq",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("status__in", ["waiting", "recorded", "discarded"])),
                        name="partners_inboundmessage_status_valid",
                    ),
                ],
            },
        ),
    ]
