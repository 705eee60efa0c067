# Full-text search indexes of meetings and action items (issue 18).
from django.db import migrations

from kvu.search import full_text_index


class Migration(migrations.Migration):
    dependencies = [("meetings", "0003_meeting_past_midnight"), ("partners", "0014_inbox")]

    # GIN indexes on the exact expressions kvu.search.matching filters on (the fields of
    # meetings/search.py), on PostgreSQL only; the database keeps them current.
    operations = [
        full_text_index("meetings.Meeting", ["title"], "meetings_meeting_search"),
        full_text_index(
            "meetings.AgendaItem", ["title", "description", "minutes"], "meetings_agenda_search"
        ),
        full_text_index("meetings.ActionItem", ["description"], "meetings_action_search"),
    ]
