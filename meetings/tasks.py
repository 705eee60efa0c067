"""Background work of the meetings app: invitation, update and cancellation e-mails with .ics,
and the e-mail to the owner of an action item."""

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from kvu.mail import automatic_message, render_subject, render_text

METHODS = ("REQUEST", "CANCEL")


@task
def send_meeting_email(
    *,
    meeting_id: int,
    email: str,
    name: str,
    method: str,
    update: bool = False,
    removed: bool = False,
    invite_attendee_id: int | None = None,
) -> None:
    """Send one Dutch e-mail with an .ics attachment (METHOD:REQUEST or METHOD:CANCEL).

    A CANCEL either cancels the meeting or, with `removed`, tells one invitee that they are no
    longer invited to a meeting that still takes place; the two e-mails say so in their own words.

    For a first invitation (`invite_attendee_id`) the attendee is marked invited only after the
    mail went out: a failed send leaves them "not sent", so the next "send invitations" retries.
    """
    from meetings.ics import meeting_ics
    from meetings.models import Attendee, Meeting
    from meetings.services import timed_agenda

    if method not in METHODS:
        raise ValueError(method)
    attendee = None
    if invite_attendee_id is not None:
        attendee = Attendee.objects.filter(pk=invite_attendee_id, invited_at=None).first()
        if attendee is None:
            return  # uninvited meanwhile, or already invited by an earlier click
    meeting = (
        Meeting.objects.select_related("project__municipality", "project__project_leader")
        .prefetch_related("agenda_items")
        .get(pk=meeting_id)
    )
    with translation.override("nl"):
        agenda = timed_agenda(meeting)
        recipient = _Recipient(email, name)
        context = {
            "meeting": meeting,
            "agenda": agenda,
            "name": name,
            "update": update,
            "cancel": method == "CANCEL" and not removed,
            "removed": method == "CANCEL" and removed,
            "site_url": settings.SITE_URL,
        }
        subject = render_subject("emails/meeting_subject.txt", context)
        body = render_text("emails/meeting_invitation.txt", context)
        organiser = _is_organiser(meeting, email)
        if organiser and method == "REQUEST":
            # The organiser's own copy: the event for her calendar, not a request to herself.
            method = "PUBLISH"
        ics = meeting_ics(
            meeting, agenda=agenda, method=method, attendee=None if organiser else recipient
        )
        if context["removed"]:
            ics = _without_status(ics)
    message = automatic_message(subject=subject, body=body, to=[email])
    # RFC 6047: the iCalendar object inline, as an alternative of the text, so that mail
    # programs (Outlook among them) offer accept and decline; and the same file attached.
    message.attach_alternative(ics.decode(), f"text/calendar; method={method}")
    message.attach("overleg.ics", ics, "application/ics")
    message.send()
    if attendee is not None:
        attendee.invited_at = timezone.now()
        attendee.save(update_fields=["invited_at"])


def _without_status(ics: bytes) -> bytes:
    """The CANCEL that takes one attendee off an event carries no STATUS (RFC 5546, 3.2.5):
    STATUS:CANCELLED would tell their calendar that the whole meeting is off."""
    calendar = Calendar.from_ical(ics)
    for event in calendar.walk("VEVENT"):
        event.pop("STATUS", None)
    return calendar.to_ical()


def _is_organiser(meeting, email: str) -> bool:
    """Whether `email` is the organiser's own (the project leader's, as in meetings/ics.py)."""
    leader = meeting.project.project_leader
    return bool(leader and leader.email and leader.email.casefold() == email.casefold())


class _Recipient:
    """The attendee line of the .ics: just an address and a name."""

    def __init__(self, email, name):
        self.email, self.name = email, name


def notify_action_item_owner(item, *, due_changed: bool = False) -> None:
    """E-mail the owner of a new action item, or of one whose due date changed (not on other
    edits: the caller decides). Queued when the change is stored."""
    item_id = item.pk
    transaction.on_commit(
        lambda: send_action_item_email.enqueue(action_item_id=item_id, due_changed=due_changed)
    )


@task
def send_action_item_email(*, action_item_id: int, due_changed: bool = False) -> None:
    """The action item and its due date to its owner: a municipal user ("je", a link to the
    meeting, in their language) or a partner's contact person (formal "u", in Dutch, no link:
    they have no account)."""
    from kvu.models import UserSettings
    from meetings.models import ActionItem, ActionItemStatus

    item = (
        ActionItem.objects.select_related(
            "meeting__project__municipality",
            "meeting__project__project_leader",
            "owner_person",
            "owner_user",
        )
        .filter(pk=action_item_id, status=ActionItemStatus.OPEN)
        .first()
    )
    if item is None:
        return  # deleted or closed meanwhile
    url = ""
    if item.owner_person_id:
        email, name, formal = item.owner_person.email, item.owner_person.name, True
        language = settings.LANGUAGE_CODE
    else:
        user = item.owner_user
        if not user.is_active:
            return
        email, formal = user.email, False
        name = user.get_full_name() or user.get_username()
        language = UserSettings.language_of(user)
        url = settings.SITE_URL + reverse(
            "meeting_detail", args=[item.meeting.project_id, item.meeting_id]
        )
        url += "#actions"
    if not email:
        return
    context = {
        "item": item,
        "meeting": item.meeting,
        "project": item.meeting.project,
        "name": name,
        "formal": formal,
        "due_changed": due_changed,
        "url": url,
    }
    with translation.override(language):
        subject = render_subject("emails/action_item_subject.txt", context)
        body = render_text("emails/action_item.txt", context)
    automatic_message(subject=subject, body=body, to=[email]).send()
