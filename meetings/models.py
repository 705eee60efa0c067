"""Meetings, agendas, attendance, minutes and action items (filled by later work)."""
