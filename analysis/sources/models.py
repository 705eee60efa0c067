"""The sources of the safety analysis: CCV's ten, each with status, responsible and dates."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kvu.fields import date_bounds

__all__ = ["INDISPENSABLE_SOURCES", "Source", "SourceKind", "SourceStatus"]


class SourceKind(models.TextChoices):
    POLICE_FIGURES = "police_figures", _("police figures")
    SAFETY_MONITOR = "safety_monitor", _("municipal safety monitor")
    WALK_THROUGH = "walk_through", _("walk-through")
    VISITOR_SURVEY = "visitor_survey", _("survey of visitors")
    ENTREPRENEUR_SURVEY = "entrepreneur_survey", _("survey of entrepreneurs")
    RESIDENT_SURVEY = "resident_survey", _("survey of residents")
    INTERVIEWS = "interviews", _("interviews with key figures")
    FIRE_SERVICE = "fire_service", _("fire-service data")
    THIRD_PARTIES = "third_parties", _("data of third parties")
    OBSERVATIONS = "observations", _("observations")


# CCV: the first six should not be missing from an analysis.
INDISPENSABLE_SOURCES = [
    SourceKind.POLICE_FIGURES,
    SourceKind.SAFETY_MONITOR,
    SourceKind.WALK_THROUGH,
    SourceKind.VISITOR_SURVEY,
    SourceKind.ENTREPRENEUR_SURVEY,
    SourceKind.RESIDENT_SURVEY,
]


class SourceStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("under way")
    DONE = "done", _("done")
    NOT_USED = "not_used", _("not used")


class Source(models.Model):
    """One of CCV's sources for one analysis; documents attach to it (kvu.Document)."""

    personal_text_fields = ("notes", "reason_not_used")
    municipality_lookup = "analysis__project__municipality"

    analysis = models.ForeignKey(
        "analysis.Analysis",
        on_delete=models.CASCADE,
        related_name="sources",
        verbose_name=_("safety analysis"),
    )
    kind = models.CharField(_("source"), max_length=30, choices=SourceKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=SourceStatus.choices, default=SourceStatus.PLANNED
    )
    reason_not_used = models.TextField(_("why it is not used"), blank=True)
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible colleague"),
    )
    responsible_partner = models.ForeignKey(
        "partners.Participation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible partner"),
    )
    planned_on = models.DateField(_("planned for"), null=True, blank=True, validators=[date_bounds])
    done_on = models.DateField(_("done on"), null=True, blank=True, validators=[date_bounds])
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["analysis", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["analysis", "kind"], name="analysis_source_analysis_kind_uniq"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=SourceKind.values), name="analysis_source_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=SourceStatus.values), name="analysis_source_status_valid"
            ),
            # "Not used" is a conscious choice: it says why.
            models.CheckConstraint(
                condition=~Q(status="not_used") | ~Q(reason_not_used=""),
                name="analysis_source_not_used_has_reason",
            ),
        ]

    def __str__(self):
        return self.get_kind_display()

    @property
    def indispensable(self) -> bool:
        return self.kind in INDISPENSABLE_SOURCES
