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


def writable_municipalities(user):
    """Municipalities in which `user` may create and change projects."""
    if user.is_staff:
        return Municipality.objects.all()
    return Municipality.objects.filter(
        memberships__user=user, memberships__role__in=Membership.WRITE_ROLES
    )
