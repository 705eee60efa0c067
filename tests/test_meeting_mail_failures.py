"""Invitation e-mails that fail: the invitee stays "not sent", the leader is told, a retry works."""

import smtplib

import pytest
from django.conf import settings as django_settings
from django.contrib.messages import ERROR, get_messages
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse

from meetings import services
from meetings.models import Meeting
from meetings.tasks import send_meeting_email
from tests.factories import AttendeeFactory, MeetingFactory, ParticipationFactory, PersonFactory

REFUSED = "bert@example.org"


class RefusingBackend(EmailBackend):
    """The test outbox, except that the server refuses REFUSED, as a real one may."""

    def send_messages(self, messages):
        for message in messages:
            if REFUSED in message.to:
                raise smtplib.SMTPRecipientsRefused({REFUSED: (550, b"no such mailbox")})
        return super().send_messages(messages)


@pytest.fixture
def refusing_mail(settings):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RefusingBackend"}}


@pytest.fixture
def meeting(project):
    meeting = MeetingFactory(project=project, title="Kennismaking")
    participation = ParticipationFactory(project=project)
    for name, email in (("Anna", "anna@example.org"), ("Bert", REFUSED), ("Cees", "c@example.org")):
        person = PersonFactory(organisation=participation.organisation, name=name, email=email)
        AttendeeFactory(meeting=meeting, person=person)
    return meeting


def _invited(meeting):
    return {a.person.name: a.invited_at is not None for a in meeting.attendees.all()}


def _send(client, meeting):
    url = reverse("meeting_invitations_send", args=[meeting.project_id, meeting.pk])
    response = client.post(url)
    assert response.status_code == 302
    return list(get_messages(response.wsgi_request))


def test_a_failed_invitation_leaves_the_invitee_not_sent(refusing_mail, meeting):
    sending = services.send_invitations(meeting=meeting)

    assert _invited(meeting) == {"Anna": True, "Bert": False, "Cees": True}
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@example.org", "c@example.org"]
    assert (sending.sent, sending.failed, sending.queued) == (2, 1, 0)


def test_the_leader_is_told_how_many_were_sent_and_how_many_failed(
    refusing_mail, client_for, leader, meeting
):
    client = client_for(leader)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"

    (message,) = _send(client, meeting)

    assert message.level == ERROR
    assert str(message) == (
        "Invitations sent: 2. Failed: 1; those invitees remain marked as not yet sent, and "
        "sending the invitations again retries them."
    )


def test_sending_again_retries_only_those_not_yet_sent(
    refusing_mail, settings, client_for, leader, meeting
):
    client = client_for(leader)
    _send(client, meeting)
    mail.outbox.clear()
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}

    _send(client, meeting)

    assert [m.to for m in mail.outbox] == [[REFUSED]]
    assert _invited(meeting) == {"Anna": True, "Bert": True, "Cees": True}


def test_a_title_with_a_line_break_still_gives_a_one_line_subject(meeting):
    # Written past the form, as data stored before titles refused line breaks may be.
    Meeting.objects.filter(pk=meeting.pk).update(title="Kennismaking\r\nBcc: iedereen@example.org")

    sending = services.send_invitations(meeting=meeting)

    assert len(mail.outbox) == 3
    assert (sending.sent, sending.failed) == (3, 0)
    subject = mail.outbox[0].message()["Subject"]
    assert "\n" not in subject
    assert "\r" not in subject
    assert subject.startswith("Uitnodiging: Kennismaking Bcc: iedereen@example.org")
    assert not mail.outbox[0].bcc


def test_queued_invitations_are_reported_as_being_sent_not_as_sent(
    settings, client_for, leader, meeting
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client = client_for(leader)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"

    (message,) = _send(client, meeting)

    assert str(message) == (
        "3 invitations are being sent; the list of invitees shows who has had one."
    )
    assert _invited(meeting) == {"Anna": False, "Bert": False, "Cees": False}


def test_a_queued_invitation_is_not_sent_twice(meeting):
    attendee = meeting.attendees.select_related("person").first()
    arguments = {
        "meeting_id": meeting.pk,
        "email": attendee.email,
        "name": attendee.name,
        "method": "REQUEST",
        "invite_attendee_id": attendee.pk,
    }

    send_meeting_email.call(**arguments)
    send_meeting_email.call(**arguments)  # the second click's task, run later by the worker

    assert len(mail.outbox) == 1
