"""The plan of approach of one cycle of a project (CCV step 4) and its adopted versions.

The subdomains' models are imported at the end: the measures matrix (plans/plan/) and the
partners' commitments that the covenant (CCV step 5, signed through partners/declaration/)
is drafted from (plans/covenant/).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kvu.models import Project


class PlanQuerySet(models.QuerySet):
    def current(self, project):
        """The plan of the project's newest cycle, or None before it was started."""
        return self.filter(project=project).order_by("-cycle").first()


class Plan(models.Model):
    """The plan of approach (plan van aanpak) of one cycle: its texts and, below, its measures.

    The live plan is what the leader edits. Adopting it in a working-group meeting freezes a
    copy as a PlanVersion (version 1, 2, ...); the live plan can change afterwards, and the next
    adoption records what changed since the previous version.
    """

    personal_text_fields = ("motives", "goal", "decision_making", "organisation", "evaluation")
    municipality_lookup = "project__municipality"

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="plans", verbose_name=_("project")
    )
    analysis = models.OneToOneField(
        "analysis.Analysis",
        on_delete=models.RESTRICT,
        related_name="plan",
        verbose_name=_("safety analysis"),
    )
    cycle = models.PositiveSmallIntegerField(_("cycle"), default=1)
    motives = models.TextField(_("motives"), blank=True)
    goal = models.TextField(_("goal"), blank=True)
    starts_on = models.DateField(_("start"), null=True, blank=True)
    ends_on = models.DateField(_("end"), null=True, blank=True)
    decision_making = models.TextField(_("decision moments and who decides"), blank=True)
    organisation = models.TextField(_("how the cooperation is organised"), blank=True)
    evaluation = models.TextField(_("evaluation moments"), blank=True)
    # Sharing the plan with the council and the mayor (a step of the guide of step 4).
    shared_on = models.DateField(_("shared on"), null=True, blank=True)
    shared_with = models.CharField(_("shared with"), max_length=300, blank=True)
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

    objects = PlanQuerySet.as_manager()

    TEXT_FIELDS = ["motives", "goal", "decision_making", "organisation", "evaluation"]

    class Meta:
        verbose_name = _("plan of approach")
        verbose_name_plural = _("plans of approach")
        ordering = ["project", "-cycle"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "cycle"], name="plans_plan_project_cycle_uniq"
            ),
            models.CheckConstraint(condition=Q(cycle__gte=1), name="plans_plan_cycle_min"),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="plans_plan_end_after_start",
            ),
        ]

    def __str__(self):
        return _("Plan of approach of %(project)s (cycle %(cycle)s)") % {
            "project": self.project,
            "cycle": self.cycle,
        }

    def get_absolute_url(self):
        return reverse("plan_detail", args=[self.project_id])


class PlanVersion(models.Model):
    """A plan as the working group adopted it: frozen, never changed afterwards.

    `content` holds the plan's texts and its measures as they were (plans/plan/versions.py
    writes and reads it); `changes` says in words what changed since the previous version.
    """

    personal_text_fields = ("changes",)
    municipality_lookup = "plan__project__municipality"

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="versions", verbose_name=_("plan of approach")
    )
    number = models.PositiveSmallIntegerField(_("version"))
    adopted_in = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.RESTRICT,
        related_name="+",
        verbose_name=_("adopted in"),
    )
    adopted_on = models.DateField(_("adopted on"))
    # The meeting's decision that records the adoption (partners.Agreement, shown in the
    # meeting's minutes and on the partners' pages).
    decision = models.OneToOneField(
        "partners.Agreement",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decision"),
    )
    content = models.JSONField(_("content"), default=dict)
    changes = models.TextField(_("what changed"), blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("adopted version of the plan")
        verbose_name_plural = _("adopted versions of the plan")
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"], name="plans_planversion_plan_number_uniq"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="plans_planversion_min"),
        ]

    def __str__(self):
        return _("%(plan)s, version %(number)s") % {"plan": self.plan, "number": self.number}


from plans.covenant.models import Commitment  # noqa: E402
from plans.plan.models import EvidenceStatus, Measure  # noqa: E402

__all__ = ["Commitment", "EvidenceStatus", "Measure", "Plan", "PlanQuerySet", "PlanVersion"]
