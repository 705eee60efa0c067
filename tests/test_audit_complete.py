"""Every change a user makes through a page is an ordinary model write: the change log records it.

These writes used QuerySet.update()/bulk_update() and left no entry in the change log; the pages
that showed them were kept in a cache that those writes did not renew.
"""

from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    AgendaItemFactory,
    AttendeeFactory,
    ContactMomentFactory,
    MeetingFactory,
)


def _logged(instance, field):
    """The change log has an entry for this object that names this field."""
    entries = LogEntry.objects.get_for_object(instance)
    return any(field in (entry.changes_dict or {}) for entry in entries)


def test_deactivating_an_organisation_is_in_the_change_log(client_for, leader, partner):
    organisation = partner.organisation
    url = reverse("organisation_set_active", args=[partner.project_id, partner.pk])
    client_for(leader).post(url, {"active": "0"})
    organisation.refresh_from_db()
    assert organisation.is_active is False
    assert _logged(organisation, "is_active")


def test_closing_a_follow_up_is_in_the_change_log(client_for, leader, partner):
    moment = ContactMomentFactory(participation=partner, follow_up_on=timezone.localdate())
    url = reverse("follow_up_done", args=[partner.project_id, moment.pk])
    client_for(leader).post(url)
    moment.refresh_from_db()
    assert moment.follow_up_done
    assert _logged(moment, "follow_up_done")


def test_setting_the_main_contact_is_in_the_change_log(client_for, leader, partner):
    url = reverse("person_create", args=[partner.project_id, partner.pk])
    client_for(leader).post(
        url, {"name": "Sanne de Boer", "email": "sanne@example.nl", "make_main_contact": "1"}
    )
    partner.refresh_from_db()
    assert partner.main_contact is not None
    assert _logged(partner, "main_contact")


def test_moving_an_agenda_item_is_logged_and_shown_at_once(client_for, leader, project):
    meeting = MeetingFactory(project=project)
    first = AgendaItemFactory(meeting=meeting, position=0, title="Opening en mededelingen")
    second = AgendaItemFactory(meeting=meeting, position=1, title="Uitkomsten van de schouw")
    client = client_for(leader)
    page = reverse("meeting_detail", args=[project.pk, meeting.pk])
    before = client.get(page).text
    assert before.index(first.title) < before.index(second.title)
    client.post(
        reverse("meeting_agenda_move", args=[project.pk, meeting.pk, second.pk]),
        {"direction": "up"},
    )
    after = client.get(page).text
    assert after.index(second.title) < after.index(first.title)
    assert _logged(second, "position")


def test_recording_attendance_is_in_the_change_log(client_for, leader, project):
    meeting = MeetingFactory(project=project, date=timezone.localdate())
    attendee = AttendeeFactory(meeting=meeting)
    client_for(leader).post(
        reverse("meeting_attendance", args=[project.pk, meeting.pk]),
        {f"attendance-a{attendee.pk}": "present"},
    )
    attendee.refresh_from_db()
    assert attendee.attendance == "present"
    assert _logged(attendee, "attendance")


def test_sending_meeting_invitations_is_in_the_change_log(client_for, leader, project):
    meeting = MeetingFactory(project=project)
    attendee = AttendeeFactory(meeting=meeting, person__email="wijkagent@politie.example")
    client_for(leader).post(reverse("meeting_invitations_send", args=[project.pk, meeting.pk]))
    attendee.refresh_from_db()
    assert attendee.invited_at is not None
    assert _logged(attendee, "invited_at")
