"""Writes of the plans app as a whole: starting the plan of approach (the subdomains have their
own services: plans/plan/services.py, plans/covenant/)."""

from django.db import transaction
from django.utils.translation import gettext as _

from analysis.models import Analysis
from plans.models import Plan


class PlanError(Exception):
    """A change of the plan that is refused; its message is for the user."""


@transaction.atomic
def start_plan(*, project, user) -> Plan:
    """Start the plan of approach of the current analysis' cycle.

    Needs a started safety analysis: the plan starts from its knelpunten. Starting twice
    returns the plan already there.
    """
    analysis = Analysis.objects.current(project)
    if analysis is None:
        raise PlanError(_("Start the safety analysis first: the plan starts from its knelpunten."))
    plan, _created = Plan.objects.get_or_create(
        analysis=analysis,
        defaults={"project": project, "cycle": analysis.cycle, "started_by": user},
    )
    return plan
