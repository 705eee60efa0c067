"""Walk-through rounds (schouw) and the findings recorded on them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from kvu.fields import SingleLineCharField, date_bounds

__all__ = ["Finding", "FindingCategory", "Severity", "WalkThrough", "WalkThroughTiming"]


class WalkThroughTiming(models.TextChoices):
    DAY = "day", _("by day")
    NIGHT = "night", _("at night")


class WalkThrough(models.Model):
    """One walk-through round through the area, by day or at night, with its participants."""

    personal_text_fields = ("notes",)
    municipality_lookup = "analysis__project__municipality"

    analysis = models.ForeignKey(
        "analysis.Analysis",
        on_delete=models.CASCADE,
        related_name="walk_throughs",
        verbose_name=_("safety analysis"),
    )
    timing = models.CharField(_("when"), max_length=10, choices=WalkThroughTiming.choices)
    date = models.DateField(_("date"), validators=[date_bounds])
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    route = SingleLineCharField(_("route"), max_length=300, blank=True)
    partners = models.ManyToManyField(
        "partners.Participation",
        blank=True,
        related_name="+",
        verbose_name=_("participating partners"),
    )
    colleagues = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("participating colleagues"),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("walk-through")
        verbose_name_plural = _("walk-throughs")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(timing__in=WalkThroughTiming.values),
                name="analysis_walkthrough_timing_valid",
            )
        ]

    def __str__(self):
        return _("Walk-through %(timing)s on %(date)s") % {
            "timing": self.get_timing_display(),
            "date": date_format(self.date, "j F Y"),
        }

    def get_absolute_url(self):
        return reverse("walk_through_detail", args=[self.analysis.project_id, self.pk])


class FindingCategory(models.TextChoices):
    MAINTENANCE = "maintenance", _("management and maintenance")
    ACCESS = "access", _("access and boundaries")
    VISIBILITY = "visibility", _("visibility and lighting")
    ATTRACTIVENESS = "attractiveness", _("attractiveness and litter")
    FIRE_BURGLARY = "fire_burglary", _("fire and burglary safety")
    TRAFFIC = "traffic", _("traffic and taxis")
    OTHER = "other", _("other")


class Severity(models.TextChoices):
    """The colours of "veiligheidsschouw in kleur"."""

    GREEN = "green", _("green: in order or minor")
    ORANGE = "orange", _("orange: needs attention")
    RED = "red", _("red: unsafe, act soon")


class Finding(models.Model):
    """One thing seen on a walk-through: where, what kind, how bad, and who should act.

    The photo is a kvu.Document attached to the finding (stored through the storage API and
    served only by the document view); `client_key` makes a form sent twice on a bad
    connection record the finding once.
    """

    personal_text_fields = ("description", "location")
    municipality_lookup = "walk_through__analysis__project__municipality"

    walk_through = models.ForeignKey(
        WalkThrough,
        on_delete=models.CASCADE,
        related_name="findings",
        verbose_name=_("walk-through"),
    )
    street = models.ForeignKey(
        "analysis.Street",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("street"),
    )
    location = SingleLineCharField(
        _("exact spot"), max_length=200, blank=True, help_text=_("House number, corner, landmark.")
    )
    category = models.CharField(_("category"), max_length=20, choices=FindingCategory.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    description = models.TextField(_("what is wrong"))
    action_by = models.ForeignKey(
        "partners.Participation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who should act"),
    )
    photo = models.OneToOneField(
        "kvu.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("photo"),
    )
    # The leader may keep the photo's location data on purpose; by default it is stripped.
    photo_location_kept = models.BooleanField(_("location data kept in the photo"), default=False)
    client_key = models.UUIDField(_("form key"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["walk_through", "street"], name="analysis_finding_street_idx"),
            models.Index(fields=["walk_through", "category"], name="analysis_finding_category_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["walk_through", "client_key"],
                name="analysis_finding_client_key_uniq",
            ),
            models.CheckConstraint(
                condition=Q(category__in=FindingCategory.values),
                name="analysis_finding_category_valid",
            ),
            models.CheckConstraint(
                condition=Q(severity__in=Severity.values),
                name="analysis_finding_severity_valid",
            ),
        ]

    def __str__(self):
        where = self.street.name if self.street_id else _("no street")
        return f"{self.get_category_display()} – {where}"
