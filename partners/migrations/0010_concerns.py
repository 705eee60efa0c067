"""Concerns as a working list: one Concern row per concern instead of six tick-boxes."""

import django.db.models.deletion
import kvu.fields
from django.conf import settings
from django.db import migrations, models

# The kinds the old tick-boxes offered (partners.models.ConcernKind keeps the same values).
KINDS = ["extra_rules", "extra_costs", "already_enough", "double_role", "opening_hours", "other"]


def tick_boxes_to_concerns(apps, schema_editor):
    """Every ticked concern becomes an open Concern row; the explanation goes with the first tick
    (or, with no ticks, becomes an "other" concern of its own)."""
    Participation = apps.get_model("partners", "Participation")
    Concern = apps.get_model("partners", "Concern")
    rows = Participation.objects.order_by("pk").values_list("pk", "concerns", "concerns_note")
    for participation_id, ticked, note in rows.iterator():
        ticked = ticked if isinstance(ticked, list) else []
        kinds = [value for value in dict.fromkeys(ticked) if value in KINDS]
        note = (note or "").strip()
        if not kinds and note:
            kinds = ["other"]
        for position, kind in enumerate(kinds):
            Concern.objects.create(
                participation_id=participation_id,
                kind=kind,
                partner_text=note if position == 0 else "",
                status="open",
            )


def concerns_to_tick_boxes(apps, schema_editor):
    """Back to tick-boxes: the kinds of the concerns still open, their texts as the explanation."""
    Participation = apps.get_model("partners", "Participation")
    Concern = apps.get_model("partners", "Concern")
    by_participation = {}
    open_concerns = Concern.objects.filter(status__in=["open", "in_progress"]).order_by("pk")
    for concern in open_concerns.iterator():
        kinds, texts = by_participation.setdefault(concern.participation_id, ([], []))
        if concern.kind not in kinds:
            kinds.append(concern.kind)
        if concern.partner_text.strip():
            texts.append(concern.partner_text.strip())
    for participation in Participation.objects.filter(pk__in=by_participation).iterator():
        kinds, texts = by_participation[participation.pk]
        participation.concerns = kinds
        participation.concerns_note = "\n\n".join(texts)
        participation.save(update_fields=["concerns", "concerns_note"])


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0009_csvimport"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Concern",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("extra_rules", "extra rules"),
                            ("extra_costs", "extra costs"),
                            ("already_enough", "“we already do enough”"),
                            (
                                "double_role",
                                "the municipality's double role (enforcer and partner)",
                            ),
                            ("opening_hours", "opening and closing hours"),
                            ("other", "other"),
                        ],
                        default="other",
                        max_length=20,
                        verbose_name="kind of concern",
                    ),
                ),
                (
                    "partner_text",
                    models.TextField(
                        blank=True,
                        help_text="In the partner's own words, as far as possible.",
                        max_length=5000,
                        verbose_name="what the partner said",
                    ),
                ),
                (
                    "response",
                    models.TextField(
                        blank=True,
                        max_length=5000,
                        verbose_name="what the municipality does about it",
                    ),
                ),
                (
                    "due_date",
                    models.DateField(
                        blank=True,
                        null=True,
                        validators=[kvu.fields.DateBoundsValidator()],
                        verbose_name="by when",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("open", "open"),
                            ("in_progress", "being addressed"),
                            ("resolved", "resolved"),
                            ("unresolvable", "cannot be resolved"),
                        ],
                        default="open",
                        max_length=20,
                        verbose_name="status",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "agreement",
                    models.ForeignKey(
                        blank=True,
                        help_text="The agreement with this partner that settled the concern, if any.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="settled_concerns",
                        to="partners.agreement",
                        verbose_name="settled by agreement",
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="who",
                    ),
                ),
                (
                    "participation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="concern_items",
                        to="partners.participation",
                        verbose_name="partner",
                    ),
                ),
            ],
            options={
                "verbose_name": "concern",
                "verbose_name_plural": "concerns",
                "ordering": ["created_at", "pk"],
                "indexes": [
                    models.Index(
                        fields=["participation", "status"], name="partners_co_partici_7ea09a_idx"
                    )
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "kind__in",
                                [
                                    "extra_rules",
                                    "extra_costs",
                                    "already_enough",
                                    "double_role",
                                    "opening_hours",
                                    "other",
                                ],
                            )
                        ),
                        name="partners_concern_kind_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("status__in", ["open", "in_progress", "resolved", "unresolvable"])
                        ),
                        name="partners_concern_status_valid",
                    ),
                ],
            },
        ),
        migrations.RunPython(tick_boxes_to_concerns, concerns_to_tick_boxes),
        migrations.RemoveField(
            model_name="participation",
            name="concerns",
        ),
        migrations.RemoveField(
            model_name="participation",
            name="concerns_note",
        ),
    ]
