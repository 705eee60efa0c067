"""Access helper of the working group: every view reaches a member through this."""

from django.http import Http404

from kvu.access import get_project_for_user
from partners.models import WorkingGroupMember


def get_member_for_user(user, project_pk, pk, *, write=False):
    """Return (project, member); 404 unless the member is in the group of a visible project."""
    project = get_project_for_user(user, project_pk, write=write)
    qs = WorkingGroupMember.objects.select_related("participation__organisation", "person")
    try:
        return project, qs.get(pk=pk, participation__project=project)
    except (WorkingGroupMember.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
