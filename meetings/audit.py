"""Registers the meetings app's models with the audit trail (kvu.audit)."""

from kvu.audit import track
from meetings.models import ActionItem, AgendaItem, Attendee, CalendarFeed, Meeting

track(Meeting, municipality="project.municipality_id", m2m_fields=["agreements"])
track(AgendaItem, municipality="meeting.project.municipality_id")
track(Attendee, municipality="meeting.project.municipality_id")
track(ActionItem, municipality="meeting.project.municipality_id")
track(CalendarFeed, municipality="project.municipality_id", exclude_fields=["secret_hash"])
