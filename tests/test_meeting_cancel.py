"""Cancelling a meeting asks first and says so plainly; an invitee taken off a meeting that still
takes place hears that they are no longer invited, not that the meeting is off."""

import icalendar
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from meetings import services
from meetings.models import MeetingStatus
from tests.factories import AttendeeFactory, MeetingFactory, ParticipationFactory, PersonFactory


@pytest.fixture
def meeting(project, django_capture_on_commit_callbacks):
    """A planned meeting whose two invitees with an address have had their invitation."""
    meeting = MeetingFactory(project=project, title="Werkgroep veilig uitgaan")
    organisation = ParticipationFactory(project=project).organisation
    for name in ("Anna", "Bert"):
        AttendeeFactory(meeting=meeting, person=PersonFactory(organisation=organisation, name=name))
    AttendeeFactory(
        meeting=meeting, person=PersonFactory(organisation=organisation, name="Zonder", email="")
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.send_invitations(meeting=meeting)
    mail.outbox.clear()
    meeting.refresh_from_db()
    return meeting


def _url(meeting):
    return reverse("meeting_cancel", args=[meeting.project_id, meeting.pk])


def _calendar(message):
    (part,) = [p for p in message.message().walk() if p.get_content_type() == "text/calendar"]
    cal = icalendar.Calendar.from_ical(part.get_content().encode())
    (event,) = cal.walk("VEVENT")
    return part, cal, event


def _dutch(msgid, **values):
    """The Dutch text of a msgid, as the e-mail task renders it (Dutch, whatever the page's)."""
    with translation.override("nl"):
        return gettext(msgid) % values


def _dates(meeting):
    with translation.override("nl"):
        return date_format(meeting.date, "j F Y"), date_format(meeting.date, "l j F Y")


def test_the_meeting_page_links_to_a_confirmation_instead_of_cancelling(
    client_for, leader, meeting
):
    page = client_for(leader).get(meeting.get_absolute_url()).text
    assert f'href="{_url(meeting)}"' in page
    assert f'action="{_url(meeting)}"' not in page


def test_the_confirmation_page_asks_and_cancels_nothing(client_for, leader, meeting):
    response = client_for(leader).get(_url(meeting))
    assert response.status_code == 200
    assert f'<form method="post" action="{_url(meeting)}"' in response.text
    assert meeting.title in response.text
    # It says how many invitees will get the cancellation: the two with an address.
    with translation.override("nl"):
        assert response.context["warning"].startswith("2 ")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED
    assert mail.outbox == []


def test_a_viewer_gets_403_and_an_outsider_404_on_the_confirmation(
    client_for, viewer, outsider, meeting
):
    assert client_for(viewer).get(_url(meeting)).status_code == 403
    assert client_for(outsider).get(_url(meeting)).status_code == 404


def test_a_meeting_that_is_not_planned_cannot_be_cancelled_again(client_for, leader, meeting):
    services.cancel_meeting(meeting=meeting)
    response = client_for(leader).get(_url(meeting))
    assert response.status_code == 302
    assert response["Location"] == meeting.get_absolute_url()


def test_the_cancellation_mail_says_plainly_that_the_meeting_is_cancelled(
    client_for, leader, meeting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(leader).post(_url(meeting))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        a.person.email for a in meeting.attendees.all() if a.person.email
    )
    short, long = _dates(meeting)
    message = mail.outbox[0]
    assert message.subject == f"{_dutch('Cancelled')}: {meeting.title} – {short}"
    assert (
        _dutch(
            "The meeting “%(title)s” on %(date)s has been cancelled and will not take place. "
            "The attached calendar file removes it from your calendar.",
            title=meeting.title,
            date=long,
        )
        in message.body
    )
    assert _dutch("No longer invited") not in message.subject
    part, cal, event = _calendar(message)
    assert part.get_param("method") == "CANCEL"
    assert str(cal["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == meeting.uid
    assert event["SEQUENCE"] == meeting.sequence


def test_a_removed_invitee_hears_they_are_no_longer_invited(
    client_for, leader, meeting, django_capture_on_commit_callbacks
):
    anna = meeting.attendees.get(person__name="Anna")
    sequence = meeting.sequence
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(leader).post(
            reverse("meeting_uninvite", args=[meeting.project_id, meeting.pk]),
            {"attendee": anna.pk},
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[anna.person.email]]
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED  # it goes on for the others

    short, long = _dates(meeting)
    message = mail.outbox[0]
    assert message.subject == f"{_dutch('No longer invited')}: {meeting.title} – {short}"
    assert (
        _dutch(
            "You are no longer invited to the meeting “%(title)s” on %(date)s. The attached "
            "calendar file removes the appointment from your calendar.",
            title=meeting.title,
            date=long,
        )
        in message.body
    )
    assert _dutch("Cancelled") not in message.subject
    assert "has been cancelled" not in message.body

    # A CANCEL for this attendee alone: their ATTENDEE line, a higher SEQUENCE, and no
    # STATUS:CANCELLED, which would call the whole meeting off (RFC 5546, 3.2.5).
    part, cal, event = _calendar(message)
    assert part.get_param("method") == "CANCEL"
    assert str(cal["METHOD"]) == "CANCEL"
    assert "STATUS" not in event
    assert str(event["ATTENDEE"]) == f"mailto:{anna.person.email}"
    assert event["SEQUENCE"] == sequence + 1 == meeting.sequence
    assert str(event["UID"]) == meeting.uid


def test_removing_someone_not_yet_invited_sends_nothing(
    meeting, django_capture_on_commit_callbacks
):
    attendee = AttendeeFactory(meeting=meeting)
    sequence = meeting.sequence
    with django_capture_on_commit_callbacks(execute=True):
        services.uninvite(attendee=attendee)
    assert mail.outbox == []
    meeting.refresh_from_db()
    assert meeting.sequence == sequence
