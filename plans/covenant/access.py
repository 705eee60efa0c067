"""Access helpers of step 5: every covenant view of plans reaches its data through these.

Each checks the user's municipality through kvu.access.get_project_for_user first: outsiders
get 404, a viewer's change 403. The plan is the project's current cycle's
(`Plan.objects.current`); the helpers that need one answer 404 before it was started.
"""

from django.http import Http404

from kvu.access import get_project_for_user
from plans.models import Commitment, Plan


def get_project_plan_for_user(user, project_pk, *, write=False):
    """(project, current plan or None): for pages that explain what to do without a plan."""
    project = get_project_for_user(user, project_pk, write=write)
    plan = Plan.objects.current(project)
    if plan is not None:
        plan.project = project  # keeps the user_role/user_can_write annotations
    return project, plan


def get_plan_for_user(user, project_pk, *, write=False):
    """(project, current plan); 404 before the plan of approach was started."""
    project, plan = get_project_plan_for_user(user, project_pk, write=write)
    if plan is None:
        raise Http404
    return project, plan


def get_commitment_for_user(user, project_pk, pk, *, write=False):
    """(project, plan, commitment) of the project's current plan."""
    project, plan = get_plan_for_user(user, project_pk, write=write)
    try:
        commitment = Commitment.objects.select_related("participation__organisation").get(
            plan=plan, pk=pk
        )
    except (Commitment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    commitment.plan = plan
    return project, plan, commitment
