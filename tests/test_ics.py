"""iCalendar: downloads, invitation e-mails, updates, cancellations and the private feed."""

import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core import mail
from django.urls import reverse

from meetings import services
from meetings.ics import meeting_ics
from meetings.models import CalendarFeed, Meeting, MeetingStatus
from tests.factories import (
    AgendaItemFactory,
    AttendeeFactory,
    MeetingFactory,
    ParticipationFactory,
    PersonFactory,
)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _event(data: bytes):
    cal = icalendar.Calendar.from_ical(data)
    (event,) = cal.walk("VEVENT")
    return cal, event


def _dtstart_line(data: bytes) -> str:
    """The event's DTSTART line as a calendar program reads it (not the VTIMEZONE's)."""
    event = data.decode().split("BEGIN:VEVENT", 1)[1]
    return next(line for line in event.splitlines() if line.startswith("DTSTART"))


@pytest.mark.parametrize(
    ("date", "utc_hour"),
    [
        (datetime.date(2027, 1, 14), 18),  # winter time: UTC+1
        (datetime.date(2027, 7, 14), 17),  # summer time: UTC+2
        (datetime.date(2027, 3, 28), 17),  # the day summer time starts (02:00 → 03:00)
        (datetime.date(2027, 10, 31), 18),  # the day winter time returns (03:00 → 02:00)
    ],
)
def test_dtstart_has_amsterdam_tzid_and_the_right_local_time(project, date, utc_hour):
    meeting = MeetingFactory(
        project=project, date=date, start_time=datetime.time(19), end_time=datetime.time(21)
    )
    data = meeting_ics(meeting)
    assert _dtstart_line(data) == f"DTSTART;TZID=Europe/Amsterdam:{date:%Y%m%d}T190000"
    cal, event = _event(data)
    start = event.decoded("dtstart")
    assert start.tzinfo is not None
    assert (start.hour, start.minute) == (19, 0)
    assert start.astimezone(datetime.UTC).hour == utc_hour
    assert event.decoded("dtend").astimezone(AMSTERDAM).hour == 21
    # A VTIMEZONE for Europe/Amsterdam travels with the file, for calendars without tz data.
    (tz,) = cal.walk("VTIMEZONE")
    assert str(tz["TZID"]) == "Europe/Amsterdam"
    assert {c.name for c in tz.subcomponents} == {"STANDARD", "DAYLIGHT"}


def test_download_parses_and_carries_uid_sequence_and_agenda(client_for, leader, project):
    meeting = MeetingFactory(project=project, title="Werkgroep november")
    AgendaItemFactory(meeting=meeting, title="Cijfers politie", duration_minutes=20)
    response = client_for(leader).get(
        reverse("meeting_ics", kwargs={"project_pk": project.pk, "pk": meeting.pk})
    )
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    cal, event = _event(response.content)
    assert str(cal["METHOD"]) == "PUBLISH"
    assert str(event["UID"]) == meeting.uid
    assert event["SEQUENCE"] == 0
    assert str(event["SUMMARY"]) == "Werkgroep november"
    assert "19:30 Cijfers politie" in str(event["DESCRIPTION"])


@pytest.fixture
def invited_meeting(project):
    meeting = MeetingFactory(project=project, title="Kennismaking")
    participation = ParticipationFactory(project=project)
    for name in ("Anna", "Bert"):
        person = PersonFactory(organisation=participation.organisation, name=name)
        AttendeeFactory(meeting=meeting, person=person)
    AttendeeFactory(
        meeting=meeting,
        person=PersonFactory(organisation=participation.organisation, name="Zonder", email=""),
    )
    return meeting


def _attachment(message):
    (part,) = [p for p in message.message().walk() if p.get_content_type() == "text/calendar"]
    return part


def test_invitations_send_a_dutch_mail_with_a_request(
    client_for, leader, invited_meeting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(leader).post(
            reverse(
                "meeting_invitations_send",
                kwargs={"project_pk": invited_meeting.project_id, "pk": invited_meeting.pk},
            )
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 2  # the invitee without an e-mail address is skipped
    message = mail.outbox[0]
    assert message.subject.startswith("Uitnodiging: Kennismaking")
    assert "Graag nodigen wij u uit" in message.body
    part = _attachment(message)
    assert part.get_param("method") == "REQUEST"
    cal, event = _event(part.get_content().encode())
    assert str(cal["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == invited_meeting.uid
    assert "mailto:" in str(event["ATTENDEE"])
    assert invited_meeting.attendees.filter(invited_at__isnull=False).count() == 2


def test_a_change_sends_an_update_with_a_higher_sequence(
    client_for, leader, invited_meeting, django_capture_on_commit_callbacks
):
    client = client_for(leader)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_invitations(meeting=invited_meeting)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse(
                "meeting_edit",
                kwargs={"project_pk": invited_meeting.project_id, "pk": invited_meeting.pk},
            ),
            {
                "kind": invited_meeting.kind,
                "title": invited_meeting.title,
                "date": "2027-02-02",
                "start_time": "20:00",
                "end_time": "21:00",
                "location": invited_meeting.location,
                "status": "planned",
            },
        )
    invited_meeting.refresh_from_db()
    assert invited_meeting.sequence == 1
    assert len(mail.outbox) == 2
    assert mail.outbox[0].subject.startswith("Gewijzigd:")
    _cal, event = _event(_attachment(mail.outbox[0]).get_content().encode())
    assert event["SEQUENCE"] == 1
    assert str(event["UID"]) == invited_meeting.uid


def test_cancelling_sends_method_cancel(
    client_for, leader, invited_meeting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.send_invitations(meeting=invited_meeting)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(leader).post(
            reverse(
                "meeting_cancel",
                kwargs={"project_pk": invited_meeting.project_id, "pk": invited_meeting.pk},
            )
        )
    invited_meeting.refresh_from_db()
    assert invited_meeting.status == MeetingStatus.CANCELLED
    assert len(mail.outbox) == 2
    message = mail.outbox[0]
    assert message.subject.startswith("Geannuleerd:")
    part = _attachment(message)
    assert part.get_param("method") == "CANCEL"
    cal, event = _event(part.get_content().encode())
    assert str(cal["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 1


def test_uninviting_someone_already_invited_sends_them_a_cancellation(
    invited_meeting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.send_invitations(meeting=invited_meeting)
    mail.outbox.clear()
    attendee = invited_meeting.attendees.filter(invited_at__isnull=False).first()
    with django_capture_on_commit_callbacks(execute=True):
        services.uninvite(attendee=attendee)
    assert [m.to for m in mail.outbox] == [[attendee.person.email]]
    assert _attachment(mail.outbox[0]).get_param("method") == "CANCEL"


# --- the private feed ---


def test_feed_serves_the_projects_meetings_with_its_secret(client, project, leader):
    MeetingFactory(project=project, title="Werkgroep A")
    MeetingFactory(title="Ander project")
    secret = services.regenerate_feed(project=project, user=leader)
    response = client.get(reverse("meeting_feed", args=[secret]))
    assert response.status_code == 200
    cal = icalendar.Calendar.from_ical(response.content)
    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")] == ["Werkgroep A"]
    assert CalendarFeed.objects.get().secret_hash != secret  # only the hash is stored


@pytest.mark.parametrize("secret", ["x", "a" * 43, "", "../../etc"])
def test_feed_reveals_nothing_without_its_secret(client, project, leader, secret):
    MeetingFactory(project=project, title="Geheim overleg")
    services.regenerate_feed(project=project, user=leader)
    if not secret:
        return  # an empty secret does not even match the URL pattern
    response = client.get(f"/agenda/{secret}/overleggen.ics")
    assert response.status_code == 404
    assert b"Geheim" not in response.content
    assert b"BEGIN:VCALENDAR" not in response.content


def test_regenerating_or_revoking_stops_the_old_address(client_for, client, project, leader):
    old = services.regenerate_feed(project=project, user=leader)
    response = client_for(leader).post(reverse("meeting_feed_regenerate", args=[project.pk]))
    assert response.status_code == 200
    assert "/agenda/" in response.content.decode()
    client.logout()
    assert client.get(reverse("meeting_feed", args=[old])).status_code == 404
    new = services.regenerate_feed(project=project, user=leader)
    assert client.get(reverse("meeting_feed", args=[new])).status_code == 200
    services.revoke_feed(project=project)
    assert client.get(reverse("meeting_feed", args=[new])).status_code == 404


def test_feed_marks_cancelled_meetings(client, project, leader):
    MeetingFactory(project=project, status=MeetingStatus.CANCELLED)
    secret = services.regenerate_feed(project=project, user=leader)
    cal = icalendar.Calendar.from_ical(client.get(reverse("meeting_feed", args=[secret])).content)
    (event,) = cal.walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"
    assert Meeting.objects.count() == 1


def test_changing_a_held_meeting_sends_no_update(
    invited_meeting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.send_invitations(meeting=invited_meeting)
    mail.outbox.clear()
    invited_meeting.status = MeetingStatus.HELD
    invited_meeting.location = "Ergens anders"
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.update_meeting(meeting=invited_meeting, changed_fields=["location"])
    assert sent == 0
    assert mail.outbox == []


def test_first_invitation_after_an_edit_is_an_invitation_not_a_change(
    invited_meeting, django_capture_on_commit_callbacks
):
    invited_meeting.start_time = datetime.time(18)
    services.update_meeting(meeting=invited_meeting, changed_fields=["start_time"])
    with django_capture_on_commit_callbacks(execute=True):
        services.send_invitations(meeting=invited_meeting)
    assert all(m.subject.startswith("Uitnodiging:") for m in mail.outbox)
    _cal, event = _event(_attachment(mail.outbox[0]).get_content().encode())
    assert event["SEQUENCE"] == 1


def test_vtimezone_has_one_rrule_per_transition_and_no_rdate_lists(project):
    """Outlook is reported to shift summer-time events with icalendar's RDATE lists."""
    from dateutil.tz import tzical

    meeting = MeetingFactory(project=project, date=datetime.date(2027, 7, 14))
    data = meeting_ics(meeting).decode()
    vtimezone = data[data.index("BEGIN:VTIMEZONE") : data.index("END:VTIMEZONE")]
    assert "RDATE" not in vtimezone
    assert vtimezone.count("RRULE:") == 2
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in vtimezone
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10" in vtimezone
    # A reader that knows only the VTIMEZONE (not the tz database) gets the offsets right,
    # in 2027 and in 2036, each side of both transitions.
    tz = tzical(__import__("io").StringIO(vtimezone + "END:VTIMEZONE\r\n")).get("Europe/Amsterdam")
    for moment, hours in [
        (datetime.datetime(2027, 7, 14, 19), 2),
        (datetime.datetime(2027, 1, 14, 19), 1),
        (datetime.datetime(2027, 3, 28, 1, 30), 1),
        (datetime.datetime(2027, 3, 28, 3, 30), 2),
        (datetime.datetime(2036, 10, 26, 1, 0), 2),
        (datetime.datetime(2036, 10, 26, 4, 0), 1),
    ]:
        assert moment.replace(tzinfo=tz).utcoffset() == datetime.timedelta(hours=hours), moment
        assert moment.replace(tzinfo=AMSTERDAM).utcoffset() == datetime.timedelta(hours=hours)


def test_a_meeting_past_midnight_ends_the_next_day(client_for, leader, project):
    """A night walk-through 23:00-03:00 is accepted and ends on the next day everywhere."""
    response = client_for(leader).post(
        reverse("meeting_create", args=[project.pk]),
        {
            "kind": "other",
            "title": "Nachtschouw",
            "date": "2027-02-12",
            "start_time": "23:00",
            "end_time": "03:00",
            "location": "Oude Markt",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    meeting = Meeting.objects.get(title="Nachtschouw")
    assert meeting.ends_at - meeting.starts_at == datetime.timedelta(hours=4)
    assert meeting.duration_minutes == 240
    _cal, event = _event(meeting_ics(meeting))
    assert event.decoded("dtend").astimezone(AMSTERDAM) == datetime.datetime(
        2027, 2, 13, 3, 0, tzinfo=AMSTERDAM
    )
    page = client_for(leader).get(meeting.get_absolute_url()).text
    assert "23:00–03:00 (de volgende dag)" in page


def test_a_meeting_of_no_length_is_refused_with_a_message(client_for, leader, project):
    response = client_for(leader).post(
        reverse("meeting_create", args=[project.pk]),
        {
            "kind": "other",
            "title": "Nul minuten",
            "date": "2027-02-12",
            "start_time": "20:00",
            "end_time": "20:00",
            "location": "Stadhuis",
        },
    )
    assert response.status_code == 200
    assert not Meeting.objects.filter(title="Nul minuten").exists()
    assert "De eindtijd moet verschillen van de begintijd." in response.text


def test_feed_carries_each_meetings_agenda_with_a_constant_number_of_queries(
    client, project, leader
):
    """The feed's page promises titles, times and agendas: the feed has all three."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    secret = services.regenerate_feed(project=project, user=leader)
    url = reverse("meeting_feed", args=[secret])

    def add_meetings(count):
        for number in range(count):
            meeting = MeetingFactory(project=project, title=f"Werkgroep {number}")
            AgendaItemFactory(meeting=meeting, title=f"Cijfers politie {number}", position=1)
            AgendaItemFactory(meeting=meeting, title=f"Rondvraag {number}", position=2)

    add_meetings(2)
    with CaptureQueriesContext(connection) as few:
        response = client.get(url)
    cal = icalendar.Calendar.from_ical(response.content)
    descriptions = {str(e["SUMMARY"]): str(e["DESCRIPTION"]) for e in cal.walk("VEVENT")}
    assert "Cijfers politie 0" in descriptions["Werkgroep 0"]
    assert "Rondvraag 1" in descriptions["Werkgroep 1"]
    assert "Rondvraag 0" not in descriptions["Werkgroep 1"]
    add_meetings(10)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)
