"""Registers the meetings app's models as project data with kvu.derived (cached figures)."""

from kvu.derived import track
from meetings.models import ActionItem, AgendaItem, Attendee, Meeting

track(Meeting, key="project_id", m2m_fields=["agreements"])
track(AgendaItem, key="meeting_id", lookup="meetings")
track(Attendee, key="meeting_id", lookup="meetings")
track(ActionItem, key="meeting_id", lookup="meetings")
