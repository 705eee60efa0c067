"""Access helpers of the meetings app: every view reaches meeting data through these."""

from django.http import Http404

from kvu.access import get_project_for_user
from meetings.models import ActionItem, AgendaItem, Meeting


def get_meeting_for_user(user, project_pk, pk, *, write=False):
    """Return (project, meeting); 404 unless the meeting belongs to a project the user sees."""
    project = get_project_for_user(user, project_pk, write=write)
    try:
        meeting = Meeting.objects.get(pk=pk, project=project)
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    meeting.project = project  # keeps the user_role/user_can_write annotations
    return project, meeting


def _child(model, meeting, pk):
    try:
        obj = model.objects.get(pk=pk, meeting=meeting)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    obj.meeting = meeting
    return obj


def get_agenda_item_for_user(user, project_pk, meeting_pk, pk, *, write=False):
    """Return (project, meeting, agenda item) of a meeting the user may see (or change)."""
    project, meeting = get_meeting_for_user(user, project_pk, meeting_pk, write=write)
    return project, meeting, _child(AgendaItem, meeting, pk)


def get_action_item_for_user(user, project_pk, meeting_pk, pk, *, write=False):
    project, meeting = get_meeting_for_user(user, project_pk, meeting_pk, write=write)
    return project, meeting, _child(ActionItem, meeting, pk)
