"""iCalendar files of meetings: single invitations, updates, cancellations and the project feed."""

import datetime
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import (
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vCalAddress,
    vRecur,
    vText,
)

from meetings.models import MeetingStatus

PRODID = "-//KVU-werkplaats//Overleggen//NL"


def amsterdam() -> Timezone:
    """Europe/Amsterdam as a VTIMEZONE with one RRULE per transition (EU rules since 1996).

    icalendar's own VTIMEZONE lists every transition as RDATEs (1970-2037); Outlook is reported
    to shift summer-time events by an hour with that form. Summer time starts on the last Sunday
    of March at 02:00 and ends on the last Sunday of October at 03:00 local time.
    """
    tz = Timezone()
    tz.add("tzid", "Europe/Amsterdam")
    summer = TimezoneDaylight()
    summer.add("tzname", "CEST")
    summer.add("dtstart", datetime.datetime(1981, 3, 29, 2, 0))
    summer.add("tzoffsetfrom", datetime.timedelta(hours=1))
    summer.add("tzoffsetto", datetime.timedelta(hours=2))
    summer.add("rrule", vRecur(freq="YEARLY", bymonth=3, byday="-1SU"))
    winter = TimezoneStandard()
    winter.add("tzname", "CET")
    winter.add("dtstart", datetime.datetime(1996, 10, 27, 3, 0))
    winter.add("tzoffsetfrom", datetime.timedelta(hours=2))
    winter.add("tzoffsetto", datetime.timedelta(hours=1))
    winter.add("rrule", vRecur(freq="YEARLY", bymonth=10, byday="-1SU"))
    tz.add_component(summer)
    tz.add_component(winter)
    return tz


def _calendar(method: str | None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    if settings.TIME_ZONE == "Europe/Amsterdam":
        cal.add_component(amsterdam())
    return cal


def _organizer(meeting):
    leader = meeting.project.project_leader
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    if leader and leader.email:
        name, address = leader.get_full_name() or leader.username, leader.email
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = vText(name or "KVU-werkplaats")
    return organizer


def _description(meeting, agenda) -> str:
    lines = []
    if agenda:
        lines.append(_("Agenda") + ":")
        lines += [f"{start:%H:%M} {item.title}" for item, start in agenda]
    if meeting.online_url:
        lines += ["", _("Online meeting link") + ": " + meeting.online_url]
    return "\n".join(lines)


def meeting_event(meeting, *, agenda=(), attendee=None, cancelled=False) -> Event:
    """One VEVENT; DTSTART/DTEND carry TZID=Europe/Amsterdam so local times survive DST."""
    event = Event()
    event.add("uid", meeting.uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", meeting.title)
    location = meeting.location or meeting.online_url
    if location:
        event.add("location", location)
    if meeting.online_url:
        event.add("url", meeting.online_url)
    description = _description(meeting, agenda)
    if description:
        event.add("description", description)
    cancelled = cancelled or meeting.status == MeetingStatus.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("organizer", _organizer(meeting))
    if attendee is not None and attendee.email:
        address = vCalAddress(f"mailto:{attendee.email}")
        address.params["cn"] = vText(attendee.name)
        address.params["role"] = vText("REQ-PARTICIPANT")
        address.params["partstat"] = vText("NEEDS-ACTION")
        event.add("attendee", address)
    return event


def meeting_ics(meeting, *, agenda=(), method="PUBLISH", attendee=None) -> bytes:
    """A calendar with one meeting: PUBLISH for downloads, REQUEST/CANCEL for e-mails."""
    cal = _calendar(method)
    cal.add_component(
        meeting_event(meeting, agenda=agenda, attendee=attendee, cancelled=method == "CANCEL")
    )
    cal.add_missing_timezones()  # only for another TIME_ZONE than Europe/Amsterdam
    return cal.to_ical()


def feed_ics(project, meetings) -> bytes:
    """The subscription feed of a project: every meeting with its agenda, cancelled ones marked.

    `meetings`: (meeting, timed agenda) pairs, as services.timed_agenda gives the agenda.
    """
    cal = _calendar(None)
    cal.add("x-wr-calname", f"{project.name}: " + _("meetings"))
    for meeting, agenda in meetings:
        cal.add_component(meeting_event(meeting, agenda=agenda))
    cal.add_missing_timezones()  # only for another TIME_ZONE than Europe/Amsterdam
    return cal.to_ical()
