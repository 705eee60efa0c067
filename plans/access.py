"""Access helpers of the plans app: every view reaches the plan of approach through these.

Each returns the objects it was asked for after kvu.access.get_project_for_user checked the
user's municipality: outsiders get 404, a viewer's change 403. The plan of a project is its
newest cycle's (`Plan.objects.current`); before it was started the helpers answer 404.
"""

from django.http import Http404

from kvu.access import get_project_for_user
from plans.models import Measure, Plan, PlanVersion


def get_plan_for_user(user, project_pk, *, write=False):
    """Return (project, plan) of the project's current cycle; 404 before it was started."""
    project = get_project_for_user(user, project_pk, write=write)
    plan = Plan.objects.current(project)
    if plan is None:
        raise Http404
    plan.project = project  # keeps the user_role/user_can_write annotations
    return project, plan


def _get(queryset, **lookup):
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def get_measure_for_user(user, project_pk, pk, *, write=False):
    """Return (project, plan, measure)."""
    project, plan = get_plan_for_user(user, project_pk, write=write)
    measure = _get(Measure.objects.filter(plan=plan).select_related("knelpunt"), pk=pk)
    measure.plan = plan
    return project, plan, measure


def get_version_for_user(user, project_pk, number):
    """Return (project, plan, version): an adopted version, only ever read."""
    project, plan = get_plan_for_user(user, project_pk)
    version = _get(
        PlanVersion.objects.filter(plan=plan).select_related("adopted_in"), number=number
    )
    version.plan = plan
    return project, plan, version
