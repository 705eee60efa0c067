"""The measures matrix of the plan of approach: SMART measures per knelpunt, by CCV theme."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from analysis.report.models import Theme
from kvu.fields import SingleLineCharField

__all__ = ["EvidenceStatus", "Measure"]


class EvidenceStatus(models.TextChoices):
    """What the CCV/PVO "Keuzewijzer Veilig Uitgaan" knows of a measure's effect."""

    EFFECTIVE = "effective", _("effective")
    PROMISING = "promising", _("promising")
    UNKNOWN = "unknown", _("effect unknown")
    NOT_EFFECTIVE = "not_effective", _("not effective")


class Measure(models.Model):
    """One measure of the plan: what is done about a knelpunt, by whom, measured how."""

    personal_text_fields = ("description",)
    municipality_lookup = "plan__project__municipality"

    plan = models.ForeignKey(
        "plans.Plan",
        on_delete=models.CASCADE,
        related_name="measures",
        verbose_name=_("plan of approach"),
    )
    # The knelpunt of the analysis this measure tackles; none for a measure of the whole plan
    # (securing and evaluation). A knelpunt with measures cannot be deleted.
    knelpunt = models.ForeignKey(
        "analysis.Knelpunt",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name=_("knelpunt"),
    )
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices)
    title = SingleLineCharField(_("measure"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # The SMART goal, as an indicator with a unit, its baseline and a target by a date.
    indicator = SingleLineCharField(
        _("indicator"),
        max_length=200,
        help_text=_("What is measured, e.g. “violent incidents on Friday and Saturday nights”."),
    )
    unit = SingleLineCharField(_("unit"), max_length=50, help_text=_("e.g. “per year” or “%”."))
    baseline = models.DecimalField(
        _("baseline"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    baseline_source = SingleLineCharField(
        _("source of the baseline"),
        max_length=200,
        blank=True,
        help_text=_(
            "A key figure or survey result of the analysis, or where the value comes from."
        ),
    )
    target = models.DecimalField(
        _("target value"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    target_date = models.DateField(_("target date"), null=True, blank=True)
    responsible = models.ForeignKey(
        "partners.Participation",
        on_delete=models.RESTRICT,
        related_name="measures_responsible",
        verbose_name=_("responsible partner"),
    )
    contributors = models.ManyToManyField(
        "partners.Participation",
        blank=True,
        related_name="measures_contributing",
        verbose_name=_("contributing partners"),
    )
    costs = models.DecimalField(
        _("costs (euro)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    paid_by = SingleLineCharField(_("paid by"), max_length=200, blank=True)
    starts_on = models.DateField(_("start"), null=True, blank=True)
    ends_on = models.DateField(_("end"), null=True, blank=True)
    evidence = models.CharField(
        _("known effect (Keuzewijzer)"),
        max_length=20,
        choices=EvidenceStatus.choices,
        default=EvidenceStatus.UNKNOWN,
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["plan", "theme", "position", "pk"]
        indexes = [models.Index(fields=["plan", "theme", "position"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(theme__in=Theme.values), name="plans_measure_theme_valid"
            ),
            models.CheckConstraint(
                condition=Q(evidence__in=EvidenceStatus.values),
                name="plans_measure_evidence_valid",
            ),
            models.CheckConstraint(
                condition=Q(costs__isnull=True) | Q(costs__gte=0),
                name="plans_measure_costs_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="plans_measure_end_after_start",
            ),
        ]

    def __str__(self):
        return self.title
