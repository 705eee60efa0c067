"""Access helper of the inbox: every view reaches a received e-mail through this."""

from django.http import Http404

from kvu.access import get_project_for_user
from partners.inbox.models import InboundMessage


def get_message_for_user(user, project_pk, pk, *, write=False):
    """Return (project, message); 404 unless the message belongs to a project the user sees."""
    project = get_project_for_user(user, project_pk, write=write)
    qs = InboundMessage.objects.select_related("sent_by", "handled_by", "contact_moment")
    try:
        return project, qs.get(pk=pk, project=project)
    except (InboundMessage.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
