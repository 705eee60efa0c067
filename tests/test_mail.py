"""Every automatic e-mail: unescaped subjects and plain text, Auto-Submitted, and the meeting
invitation as Outlook expects it (RFC 6047: an inline text/calendar part with its method)."""

import datetime

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from meetings import services as meeting_services
from meetings.models import Attendee
from tests.declaration_support import invited
from tests.factories import (
    AttendeeFactory,
    ContactMomentFactory,
    MeetingFactory,
    ParticipationFactory,
    PersonFactory,
)

NASTY = 'café \'t Hoekje & "Oude" <Markt>'


def _every_message_is_automatic_and_unescaped():
    assert mail.outbox
    for message in mail.outbox:
        assert message.extra_headers.get("Auto-Submitted") == "auto-generated", message.subject
        assert message.message()["Auto-Submitted"] == "auto-generated"
        for text in (message.subject, message.body):
            for entity in ("&#x27;", "&amp;", "&quot;", "&lt;", "&gt;", "&#39;", "&#34;"):
                assert entity not in text, (message.subject, entity)


def _send_invitations(client, meeting, capture):
    with capture(execute=True):
        client.post(
            reverse(
                "meeting_invitations_send",
                kwargs={"project_pk": meeting.project_id, "pk": meeting.pk},
            )
        )


def test_meeting_mails_show_the_title_as_written(
    client_for, leader, project, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(project=project, title=NASTY, location=NASTY)
    AttendeeFactory(meeting=meeting, person=PersonFactory(email="anna@example.org"))
    _send_invitations(client_for(leader), meeting, django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    assert NASTY in message.subject
    assert NASTY in message.body
    _every_message_is_automatic_and_unescaped()


def test_the_invitation_is_an_inline_request_and_the_file_is_attached(
    client_for, leader, project, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(project=project, title="Kennismaking")
    AttendeeFactory(meeting=meeting, person=PersonFactory(email="anna@example.org"))
    _send_invitations(client_for(leader), meeting, django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    parts = list(message.message().walk())
    alternative = next(p for p in parts if p.get_content_type() == "multipart/alternative")
    inner = [p.get_content_type() for p in alternative.iter_parts()]
    assert inner == ["text/plain", "text/calendar"]
    calendar = next(p for p in alternative.iter_parts() if p.get_content_type() == "text/calendar")
    assert calendar.get_param("method") == "REQUEST"
    assert calendar.get_content_disposition() in (None, "inline")
    assert "METHOD:REQUEST" in calendar.get_content()
    attached = [p for p in parts if p.get_filename() == "overleg.ics"]
    assert len(attached) == 1
    assert attached[0].get_content_disposition() == "attachment"


def test_the_organiser_is_not_an_attendee_of_her_own_invitation(
    client_for, leader, project, django_capture_on_commit_callbacks
):
    leader.email = "Lotte.de.Vries@Enschede.example"
    leader.save()
    meeting = MeetingFactory(project=project)
    Attendee.objects.create(meeting=meeting, user=leader)
    AttendeeFactory(meeting=meeting, person=PersonFactory(email="anna@example.org"))
    _send_invitations(client_for(leader), meeting, django_capture_on_commit_callbacks)
    by_address = {message.to[0].casefold(): message for message in mail.outbox}
    own = by_address["lotte.de.vries@enschede.example"].message()
    (own_calendar,) = [p for p in own.walk() if p.get_content_type() == "text/calendar"]
    text = own_calendar.get_content()
    assert "METHOD:PUBLISH" in text
    assert "METHOD:REQUEST" not in text
    assert "ATTENDEE" not in text
    assert "ORGANIZER" in text
    other = by_address["anna@example.org"].message()
    (other_calendar,) = [p for p in other.walk() if p.get_content_type() == "text/calendar"]
    assert "METHOD:REQUEST" in other_calendar.get_content()
    assert "ATTENDEE" in other_calendar.get_content()


def test_cancellations_are_automatic_and_unescaped(
    client_for, leader, project, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(project=project, title=NASTY)
    AttendeeFactory(meeting=meeting, person=PersonFactory(email="anna@example.org"))
    _send_invitations(client_for(leader), meeting, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.cancel_meeting(meeting=meeting)
    assert NASTY in mail.outbox[0].subject
    _every_message_is_automatic_and_unescaped()


def test_declaration_mails_are_automatic_and_unescaped(project, leader):
    project.name = NASTY
    project.save()
    invited(project, leader=leader)
    assert any(NASTY in m.subject or NASTY in m.body for m in mail.outbox)
    _every_message_is_automatic_and_unescaped()


def test_action_item_and_digest_mails_are_automatic_and_unescaped(
    project, leader, django_capture_on_commit_callbacks
):
    from kvu.digest import build_message

    leader.email = "lotte@enschede.example"
    leader.save()
    meeting = MeetingFactory(project=project, title=NASTY)
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.add_action_item(
            meeting=meeting,
            description=NASTY,
            owner_user=leader,
            due_date=timezone.localdate() + datetime.timedelta(days=3),
        )
    ContactMomentFactory(
        participation=ParticipationFactory(project=project, organisation__name=NASTY),
        recorded_by=leader,
        summary=NASTY,
        follow_up_on=timezone.localdate(),
    )
    digest = build_message(leader, timezone.localdate())
    assert digest is not None
    mail.outbox.append(digest)
    assert any(NASTY in m.body for m in mail.outbox)
    _every_message_is_automatic_and_unescaped()
    # The HTML part of the digest keeps its escaping.
    (html, _mimetype) = digest.alternatives[0]
    assert "&amp;" in html
    assert "<Markt>" not in html


def _deploy_errors():
    from django.core import checks

    return {
        e.id for e in checks.run_checks(include_deployment_checks=True) if e.id.startswith("kvu.")
    }


def test_check_deploy_refuses_local_links_and_a_local_sender(settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    settings.DEFAULT_FROM_EMAIL = "KVU-werkplaats <noreply@localhost>"
    assert _deploy_errors() == {"kvu.E001", "kvu.E002"}
    settings.SITE_URL = "https://kvu.enschede.nl"
    settings.DEFAULT_FROM_EMAIL = "KVU-werkplaats <kvu@enschede.nl>"
    assert _deploy_errors() == set()


def test_make_run_mails_links_to_the_port_it_serves(tmp_path):
    """`make run PORT=8101` must not mail links to port 8000: every command it runs (migrate,
    demo, runserver) sees SITE_URL with the port served. A stand-in python records them."""
    import os
    import subprocess

    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    log = tmp_path / "calls.log"
    python = venv / "bin" / "python"
    python.write_text(f'#!/bin/sh\necho "$SITE_URL $*" >> {log}\n')
    python.chmod(0o755)
    (venv / ".app-installed").touch()
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    subprocess.run(
        ["make", "--no-print-directory", "run", "PORT=8101", f"VENV={venv}"],
        check=True,
        env=env,
        capture_output=True,
    )
    calls = log.read_text().splitlines()
    assert any("runserver 127.0.0.1:8101" in call for call in calls)
    assert calls
    assert all(call.startswith("http://127.0.0.1:8101 ") for call in calls), calls


def test_the_password_reset_mail_is_automatic_and_unescaped(client, leader):
    leader.first_name = "Zoë & 't Team"
    leader.email = "lotte@enschede.example"
    leader.save()
    client.post(reverse("password_reset"), {"email": "lotte@enschede.example"})
    (message,) = mail.outbox
    assert "/account/" in message.body
    _every_message_is_automatic_and_unescaped()
