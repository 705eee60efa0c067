"""Access helper of the concerns: every concern view reaches its row through this."""

from django.http import Http404

from partners.access import get_participation_for_user
from partners.models import Concern


def get_concern_for_user(user, project_pk, pk, concern_pk, *, write=False):
    """Return (project, participation, concern); 404 unless all three belong together."""
    project, participation = get_participation_for_user(user, project_pk, pk, write=write)
    try:
        concern = Concern.objects.select_related("owner", "agreement").get(
            pk=concern_pk, participation=participation
        )
    except (Concern.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    concern.participation = participation
    return project, participation, concern
