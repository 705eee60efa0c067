"""The safety analysis of one cycle of a project; the subdomains' models are imported below."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kvu.models import Project


class AnalysisQuerySet(models.QuerySet):
    def current(self, project):
        """The analysis of the project's newest cycle, or None before it was started."""
        return self.filter(project=project).order_by("-cycle").first()


class Analysis(models.Model):
    """CCV step 3 of one cycle of a project: the root every row of the analysis hangs off.

    Started by the leader (analysis.services.start_analysis), which also lays out CCV's ten
    sources. A next cycle (step 7) makes a new Analysis; the earlier one stays as it was.
    The report's own texts live here; its conclusions and knelpunten in analysis/report/.
    """

    personal_text_fields = ("introduction", "summary", "method")
    municipality_lookup = "project__municipality"

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="analyses", verbose_name=_("project")
    )
    cycle = models.PositiveSmallIntegerField(_("cycle"), default=1)
    introduction = models.TextField(_("introduction"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    method = models.TextField(
        _("method"),
        blank=True,
        help_text=_("How the analysis was done: which sources, when, with whom."),
    )
    # The working-group meeting that agreed the conclusions (a guide step of step 3).
    conclusions_agreed_in = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("conclusions agreed in"),
    )
    report_shared_on = models.DateField(_("report shared on"), null=True, blank=True)
    report_shared_with = models.CharField(_("report shared with"), max_length=300, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = AnalysisQuerySet.as_manager()

    class Meta:
        verbose_name = _("safety analysis")
        verbose_name_plural = _("safety analyses")
        ordering = ["project", "-cycle"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "cycle"], name="analysis_analysis_project_cycle_uniq"
            ),
            models.CheckConstraint(condition=Q(cycle__gte=1), name="analysis_analysis_cycle_min"),
        ]

    def __str__(self):
        return _("Safety analysis of %(project)s (cycle %(cycle)s)") % {
            "project": self.project,
            "cycle": self.cycle,
        }

    def get_absolute_url(self):
        return reverse("analysis_home", args=[self.project_id])


# The subdomains' models belong to this app (label "analysis"); importing them registers them.
from analysis.profile.models import *  # noqa: E402, F403
from analysis.report.models import *  # noqa: E402, F403
from analysis.sources.models import *  # noqa: E402, F403
from analysis.surveys.models import *  # noqa: E402, F403
from analysis.walkthrough.models import *  # noqa: E402, F403
