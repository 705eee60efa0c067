"""The nightlife area described: its profile, streets, establishments and key figures."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kvu.fields import SingleLineCharField

__all__ = ["AreaProfile", "Establishment", "EstablishmentKind", "FigureKind", "KeyFigure", "Street"]


class AreaProfile(models.Model):
    """What the area is: boundaries, functions, capacity and its busiest nights and hours."""

    municipality_lookup = "analysis__project__municipality"

    analysis = models.OneToOneField(
        "analysis.Analysis",
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("safety analysis"),
    )
    description = models.TextField(
        _("description of the area"),
        blank=True,
        help_text=_("Where the area lies, its boundaries and what it looks like."),
    )
    functions = models.TextField(
        _("functions"),
        blank=True,
        help_text=_("Besides going out: living, shops, culture, offices, parking."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity (visitors at the busiest moment)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(1_000_000)],
    )
    peak_nights = SingleLineCharField(
        _("peak nights"),
        max_length=200,
        blank=True,
        help_text=_("For example: Friday and Saturday, and the nights before public holidays."),
    )
    peak_hours = SingleLineCharField(
        _("peak hours"), max_length=100, blank=True, help_text=_("For example: 00:00-03:00.")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("area profile")
        verbose_name_plural = _("area profiles")

    def __str__(self):
        return _("Area profile of %(project)s") % {"project": self.analysis.project}


class Street(models.Model):
    """A street (or square) of the area, kept by the leader; findings are placed on it."""

    municipality_lookup = "analysis__project__municipality"

    analysis = models.ForeignKey(
        "analysis.Analysis",
        on_delete=models.CASCADE,
        related_name="streets",
        verbose_name=_("safety analysis"),
    )
    name = SingleLineCharField(_("street"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("street")
        verbose_name_plural = _("streets")
        ordering = ["position", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["analysis", "name"], name="analysis_street_analysis_name_uniq"
            )
        ]

    def __str__(self):
        return self.name


class EstablishmentKind(models.TextChoices):
    BAR = "bar", _("bar or café")
    CLUB = "club", _("club or discotheque")
    RESTAURANT = "restaurant", _("restaurant")
    SNACK_BAR = "snack_bar", _("snack bar or night shop")
    HOTEL = "hotel", _("hotel")
    VENUE = "venue", _("concert hall or event venue")
    OTHER = "other", _("other")


class Establishment(models.Model):
    """A hospitality partner of the project as the area profile counts it: kind, hours, size."""

    municipality_lookup = "analysis__project__municipality"

    analysis = models.ForeignKey(
        "analysis.Analysis",
        on_delete=models.CASCADE,
        related_name="establishments",
        verbose_name=_("safety analysis"),
    )
    participation = models.ForeignKey(
        "partners.Participation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("partner"),
    )
    kind = models.CharField(
        _("kind of establishment"), max_length=20, choices=EstablishmentKind.choices
    )
    opening_hours = SingleLineCharField(
        _("opening hours"),
        max_length=200,
        blank=True,
        help_text=_("For example: Thu-Sat 22:00-04:00, Sun 16:00-01:00."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity (visitors)"), null=True, blank=True, validators=[MaxValueValidator(100_000)]
    )
    street = models.ForeignKey(
        Street,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="establishments",
        verbose_name=_("street"),
    )

    class Meta:
        verbose_name = _("establishment")
        verbose_name_plural = _("establishments")
        ordering = ["analysis", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["analysis", "participation"],
                name="analysis_establishment_analysis_participation_uniq",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=EstablishmentKind.values),
                name="analysis_establishment_kind_valid",
            ),
        ]

    def __str__(self):
        return str(self.participation.organisation)


class FigureKind(models.TextChoices):
    INCIDENTS = "incidents", _("incidents registered by the police")
    VIOLENCE = "violence", _("violent incidents")
    NUISANCE = "nuisance", _("nuisance reports")
    POLICE_DEPLOYMENT = "police_deployment", _("police deployment (hours)")
    OTHER = "other", _("other figure")


class KeyFigure(models.Model):
    """One key figure of the area for one year, with where it comes from."""

    municipality_lookup = "analysis__project__municipality"

    analysis = models.ForeignKey(
        "analysis.Analysis",
        on_delete=models.CASCADE,
        related_name="figures",
        verbose_name=_("safety analysis"),
    )
    kind = models.CharField(_("figure"), max_length=20, choices=FigureKind.choices)
    # Names an "other" figure; empty for the named kinds.
    label = SingleLineCharField(_("name of the figure"), max_length=120, blank=True)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    value = models.DecimalField(
        _("value"),
        max_digits=12,
        decimal_places=1,
        validators=[MinValueValidator(0)],
    )
    source = SingleLineCharField(
        _("source"), max_length=200, help_text=_("For example: police, BVH query of 12 March.")
    )

    class Meta:
        verbose_name = _("key figure")
        verbose_name_plural = _("key figures")
        ordering = ["kind", "label", "year", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["analysis", "kind", "label", "year"],
                name="analysis_keyfigure_one_per_year",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=FigureKind.values), name="analysis_keyfigure_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1990) & Q(year__lte=2100),
                name="analysis_keyfigure_year_range",
            ),
            models.CheckConstraint(
                condition=Q(kind="other") | Q(label=""),
                name="analysis_keyfigure_label_only_for_other",
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0), name="analysis_keyfigure_value_not_negative"
            ),
        ]

    def __str__(self):
        name = self.label if self.kind == FigureKind.OTHER else self.get_kind_display()
        return f"{name} {self.year}"
