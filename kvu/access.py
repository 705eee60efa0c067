"""Tenancy helpers: the one way every view reaches project data."""

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404

from kvu.models import Membership, Municipality, Project

logger = logging.getLogger("kvu.access")


def get_project_for_user(user, pk, *, write=False) -> Project:
    """Return the project if `user` may see it; 404 for outsiders, 403 for a viewer's change."""
    qs = Project.objects.visible_to(user).select_related("municipality", "project_leader")
    try:
        project = qs.get(pk=pk)
    except (Project.DoesNotExist, ValueError, TypeError):
        logger.info("refused: project not visible (user id %s)", getattr(user, "pk", None))
        raise Http404 from None
    if write and not project.user_can_write:
        logger.info("refused: read-only access to project %s (user id %s)", project.pk, user.pk)
        raise PermissionDenied
    return project


# Staff see every project; a national installation has thousands, so the dashboard shows the
# first ones and the projects overview pages through them all.
STAFF_PROJECTS_SHOWN = 60


def projects_of(user):
    """The projects of the user's dashboard and overview: their municipalities', or for staff
    every project (`visible_to`)."""
    projects = (
        Project.objects.visible_to(user) if user.is_staff else Project.objects.member_of(user)
    )
    return projects.select_related("municipality", "project_leader").order_by(
        "municipality__name", "name", "pk"
    )


def member_projects(request) -> list[Project]:
    """The user's projects (`projects_of`), read once per request; for staff the first ones.

    The dashboard and each of its panels need them; a list on the request is shared by all and
    ends with the request.
    """
    projects = getattr(request, "_kvu_member_projects", None)
    if projects is None:
        projects = projects_of(request.user)
        if request.user.is_staff:
            projects = projects[:STAFF_PROJECTS_SHOWN]
        projects = list(projects)
        request._kvu_member_projects = projects
    return projects


def writable_municipalities(user):
    """Municipalities in which `user` may create and change projects."""
    if user.is_staff:
        return Municipality.objects.all()
    return Municipality.objects.filter(
        memberships__user=user, memberships__role__in=Membership.WRITE_ROLES
    )


def get_municipality_for_user(user, pk, *, leader=False) -> Municipality:
    """A municipality the user is a member of; with `leader`, only its leaders (and staff)."""
    try:
        municipality = Municipality.objects.get(pk=pk)
    except (Municipality.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if user.is_staff:
        return municipality
    role = (
        Membership.objects.filter(user=user, municipality=municipality)
        .values_list("role", flat=True)
        .first()
    )
    if role is None:
        logger.info("refused: municipality %s not visible (user id %s)", pk, user.pk)
        raise Http404
    if leader and role != Membership.Role.LEADER:
        raise PermissionDenied
    return municipality
