"""Reads of the plans app used in more than one place (the pages of step 4 and step 5)."""

from plans.models import Plan, PlanVersion


def current_plan(project) -> Plan | None:
    """The plan of the project's current cycle, or None before the leader started it."""
    return Plan.objects.current(project)


def latest_version(plan) -> PlanVersion | None:
    """The newest adopted version of the plan, with its meeting, or None before adoption."""
    return plan.versions.select_related("adopted_in").order_by("-number").first()
