"""What the analysis concludes: conclusions, recommendations and knelpunten, with their evidence."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kvu.fields import SingleLineCharField

__all__ = ["Conclusion", "ConclusionKind", "Knelpunt", "Theme"]


class Theme(models.TextChoices):
    """CCV's themes for knelpunten and the measures of the plan of approach."""

    NUISANCE = "nuisance", _("nuisance")
    MAINTENANCE = "maintenance", _("management and maintenance")
    SAFETY = "safety", _("safety")
    IMAGE = "image", _("image and communication")
    OTHER = "other", _("other")
    SECURING = "securing", _("securing and evaluation")


class ConclusionKind(models.TextChoices):
    CONCLUSION = "conclusion", _("conclusion")
    RECOMMENDATION = "recommendation", _("recommendation")


class _Evidence(models.Model):
    """What a conclusion or knelpunt rests on: findings, figures, survey questions, sources."""

    findings = models.ManyToManyField(
        "analysis.Finding", blank=True, related_name="+", verbose_name=_("findings")
    )
    figures = models.ManyToManyField(
        "analysis.KeyFigure", blank=True, related_name="+", verbose_name=_("key figures")
    )
    questions = models.ManyToManyField(
        "analysis.Question", blank=True, related_name="+", verbose_name=_("survey results")
    )
    sources = models.ManyToManyField(
        "analysis.Source", blank=True, related_name="+", verbose_name=_("sources")
    )

    class Meta:
        abstract = True


class Conclusion(_Evidence):
    """A conclusion or a recommendation of the report, in the leader's words."""

    personal_text_fields = ("text",)
    municipality_lookup = "analysis__project__municipality"

    analysis = models.ForeignKey(
        "analysis.Analysis",
        on_delete=models.CASCADE,
        related_name="conclusions",
        verbose_name=_("safety analysis"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ConclusionKind.choices)
    text = models.TextField(_("text"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("conclusion or recommendation")
        verbose_name_plural = _("conclusions and recommendations")
        ordering = ["analysis", "kind", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ConclusionKind.values),
                name="analysis_conclusion_kind_valid",
            )
        ]

    def __str__(self):
        return self.text[:80]


class Knelpunt(_Evidence):
    """A problem the analysis found; the plan of approach (step 4) starts from these."""

    personal_text_fields = ("description", "location")
    municipality_lookup = "analysis__project__municipality"

    analysis = models.ForeignKey(
        "analysis.Analysis",
        on_delete=models.CASCADE,
        related_name="knelpunten",
        verbose_name=_("safety analysis"),
    )
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices)
    title = SingleLineCharField(_("knelpunt"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    streets = models.ManyToManyField(
        "analysis.Street", blank=True, related_name="knelpunten", verbose_name=_("streets")
    )
    location = SingleLineCharField(_("where"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("knelpunt")
        verbose_name_plural = _("knelpunten")
        ordering = ["analysis", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(theme__in=Theme.values), name="analysis_knelpunt_theme_valid"
            )
        ]

    def __str__(self):
        return self.title
