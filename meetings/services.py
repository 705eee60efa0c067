"""Writes of the meetings app that touch more than one row, and the choices their forms offer."""

import dataclasses
import datetime
import secrets

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.tasks import TaskResultStatus
from django.utils import timezone

from kvu.models import Project
from meetings.agenda_templates import agenda_template
from meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Attendee,
    CalendarFeed,
    Meeting,
    MeetingStatus,
    hash_feed_secret,
)
from partners.models import Agreement, Participation, Person


class MeetingError(Exception):
    """A refused change; the message is meant for the user."""


# --- restricted choices: nothing of another municipality or project can ever be picked ---


def invitable_persons(project):
    """Contact persons of organisations that take part in this project."""
    return (
        Person.objects.filter(
            organisation__municipality_id=project.municipality_id,
            organisation__participations__project=project,
        )
        .select_related("organisation")
        .distinct()
        .order_by("organisation__name", "name")
    )


def municipal_users(project):
    """Active users with a role in the project's municipality."""
    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__municipality_id=project.municipality_id)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def project_participations(project):
    return Participation.objects.filter(project=project).select_related("organisation")


# --- agenda ---


def timed_agenda(meeting) -> list[tuple[AgendaItem, datetime.time]]:
    """Agenda items with their computed start times (from the meeting's start)."""
    start = datetime.datetime.combine(meeting.date, meeting.start_time)
    result = []
    for item in meeting.agenda_items.all():
        result.append((item, start.time()))
        start += datetime.timedelta(minutes=item.duration_minutes)
    return result


def agenda_overrun(meeting) -> int:
    """Minutes by which the agenda items together run past the meeting's end (0 if they fit)."""
    planned = sum(item.duration_minutes for item in meeting.agenda_items.all())
    return max(0, planned - meeting.duration_minutes)


@transaction.atomic
def create_meeting(
    *, project, user, data: dict, copy_from: Meeting | None = None, use_template: bool = True
) -> Meeting:
    """Create a meeting with its agenda from the kind's template, or as a copy of an earlier one.

    A copy takes the agenda (without minutes) and the invitees (without attendance).
    """
    meeting = Meeting.objects.create(project=project, created_by=user, **data)
    if copy_from is not None:
        if copy_from.project_id != project.pk:
            raise MeetingError("copy from another project")
        for index, item in enumerate(copy_from.agenda_items.all()):
            AgendaItem.objects.create(
                meeting=meeting,
                position=index,
                title=item.title,
                duration_minutes=item.duration_minutes,
                description=item.description,
            )
        for attendee in copy_from.attendees.all():
            Attendee.objects.create(
                meeting=meeting, person_id=attendee.person_id, user_id=attendee.user_id
            )
    elif use_template:
        for index, (title, minutes) in enumerate(agenda_template(meeting.kind)):
            AgendaItem.objects.create(
                meeting=meeting, position=index, title=title, duration_minutes=minutes
            )
    return meeting


def _lock_meeting(meeting_id) -> None:
    """Lock the meeting row first: agenda writes queue up on it instead of deadlocking."""
    Meeting.objects.select_for_update().get(pk=meeting_id)


@transaction.atomic
def add_agenda_item(*, meeting, title: str, duration_minutes: int) -> AgendaItem:
    _lock_meeting(meeting.pk)
    last = meeting.agenda_items.order_by("-position").values_list("position", flat=True).first()
    return AgendaItem.objects.create(
        meeting=meeting,
        position=(last + 1) if last is not None else 0,
        title=title,
        duration_minutes=duration_minutes,
    )


@transaction.atomic
def move_agenda_item(*, item: AgendaItem, direction: str) -> bool:
    """Swap the item with its neighbour; renumbers positions 0..n so duplicates never linger.

    The meeting is locked before its items, and the items in pk order, so concurrent moves wait
    for each other and then read the order the previous move left.
    """
    _lock_meeting(item.meeting_id)
    items = list(
        AgendaItem.objects.select_for_update().filter(meeting_id=item.meeting_id).order_by("pk")
    )
    items.sort(key=lambda other: (other.position, other.pk))
    index = next((i for i, other in enumerate(items) if other.pk == item.pk), None)
    if index is None:  # removed meanwhile
        return False
    target = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= target < len(items):
        return False
    items[index], items[target] = items[target], items[index]
    for position, other in enumerate(items):
        if other.position != position:
            other.position = position
            other.save(update_fields=["position"])
    return True


# --- meeting changes that calendars must hear about ---

CALENDAR_FIELDS = ("title", "date", "start_time", "end_time", "location", "online_url")


def _send(meeting, attendees, method: str, *, update: bool = False, removed: bool = False):
    from meetings.tasks import send_meeting_email

    recipients = [(a.pk, a.email, a.name) for a in attendees if a.email]

    def enqueue():
        for _pk, email, name in recipients:
            send_meeting_email.enqueue(
                meeting_id=meeting.pk,
                email=email,
                name=name,
                method=method,
                update=update,
                removed=removed,
            )

    # E-mails go out only when the change is stored (requests run in a transaction).
    transaction.on_commit(enqueue)
    return len(recipients)


@transaction.atomic
def update_meeting(*, meeting, changed_fields: list[str], notify: bool = True) -> int:
    """Save a changed meeting; when calendar fields changed, send an update to those invited.

    Returns the number of updates sent.
    """
    if not set(changed_fields) & set(CALENDAR_FIELDS):
        meeting.save()
        return 0
    # Every version a calendar may have seen gets a higher SEQUENCE, also in the feed.
    meeting.sequence += 1
    meeting.save()
    # Only a planned meeting still sits in people's calendars as something to go to.
    if not notify or meeting.status != MeetingStatus.PLANNED:
        return 0
    invited = [a for a in meeting.attendees.select_related("person", "user") if a.invited_at]
    return _send(meeting, invited, "REQUEST", update=True)


@transaction.atomic
def cancel_meeting(*, meeting) -> int:
    """Cancel the meeting and send a cancellation (METHOD:CANCEL) to everyone invited."""
    if meeting.status == MeetingStatus.CANCELLED:
        return 0
    meeting.status = MeetingStatus.CANCELLED
    meeting.sequence += 1
    meeting.save(update_fields=["status", "sequence", "updated_at"])
    return _send(meeting, cancellation_recipients(meeting), "CANCEL")


def cancellation_recipients(meeting) -> list[Attendee]:
    """Who hears of a cancellation: everyone who received the invitation, with an address."""
    return [
        a for a in meeting.attendees.select_related("person", "user") if a.invited_at and a.email
    ]


@dataclasses.dataclass(frozen=True)
class Sending:
    """What became of a round of invitations: sent, failed (retried by the next round), queued."""

    sent: int = 0
    failed: int = 0
    queued: int = 0


@transaction.atomic
def send_invitations(*, meeting) -> Sending:
    """Invite everyone not yet invited who has an e-mail address, one e-mail each.

    The e-mail task marks an attendee invited once their e-mail went out, so whoever failed stays
    "not sent" and the next call retries them. No on_commit here, unlike `_send`: this writes
    nothing itself, a queueing backend stores the tasks in the request's transaction, and the
    inline backend (development, tests) sends at once, so the counts are known right away.
    """
    from meetings.tasks import send_meeting_email

    if meeting.status != MeetingStatus.PLANNED:
        raise MeetingError("not planned")
    _lock_meeting(meeting.pk)  # a second click waits, then finds everyone already invited
    pending = [
        a
        for a in meeting.attendees.select_related("person", "user").filter(invited_at=None)
        if a.email
    ]
    statuses = [
        send_meeting_email.enqueue(
            meeting_id=meeting.pk,
            email=a.email,
            name=a.name,
            method="REQUEST",
            invite_attendee_id=a.pk,
        ).status
        for a in pending
    ]
    sent = statuses.count(TaskResultStatus.SUCCESSFUL)
    failed = statuses.count(TaskResultStatus.FAILED)
    return Sending(sent=sent, failed=failed, queued=len(statuses) - sent - failed)


# --- invitees and attendance ---


@transaction.atomic
def invite(*, meeting, persons=(), users=()) -> list[Attendee]:
    """Add invitees; the caller passes persons and users from the restricted querysets."""
    project = meeting.project
    person_ids = set(invitable_persons(project).values_list("pk", flat=True))
    user_ids = set(municipal_users(project).values_list("pk", flat=True))
    if any(p.pk not in person_ids for p in persons) or any(u.pk not in user_ids for u in users):
        raise MeetingError("not invitable")
    try:
        with transaction.atomic():
            return [Attendee.objects.create(meeting=meeting, person=p) for p in persons] + [
                Attendee.objects.create(meeting=meeting, user=u) for u in users
            ]
    except IntegrityError:
        raise MeetingError("duplicate") from None


@transaction.atomic
def uninvite(*, attendee) -> None:
    """Remove an invitee; someone who already got the invitation hears they are no longer invited.

    Their calendar gets a CANCEL for them alone, with a higher SEQUENCE (RFC 5546, 3.2.5): the
    meeting itself goes on for the others.
    """
    # Locked: two removals at once must not send the same SEQUENCE.
    meeting = Meeting.objects.select_for_update().get(pk=attendee.meeting_id)
    if attendee.invited_at and meeting.status == MeetingStatus.PLANNED:
        meeting.sequence += 1
        meeting.save(update_fields=["sequence", "updated_at"])
        _send(meeting, [attendee], "CANCEL", removed=True)
    attendee.delete()


@transaction.atomic
def record_attendance(*, meeting, values: dict[int, str]) -> None:
    """Store present/absent/excused per attendee id (ids of other meetings are ignored)."""
    if meeting.date > timezone.localdate():
        raise MeetingError("attendance of a meeting that has not taken place yet")
    valid = {value for value, _label in Attendance.choices}
    attendees = list(meeting.attendees.filter(pk__in=values.keys()))
    if any(values[attendee.pk] not in valid for attendee in attendees):
        raise MeetingError("invalid attendance")
    for attendee in attendees:
        if attendee.attendance != values[attendee.pk]:
            attendee.attendance = values[attendee.pk]
            attendee.save(update_fields=["attendance"])


# --- agreements and action items ---


@transaction.atomic
def record_agreement(
    *, meeting, user, text: str, participations=(), about_double_role: bool = False
) -> Agreement:
    """A partners.Agreement of this project, linked to the meeting and to the partners."""
    if any(p.project_id != meeting.project_id for p in participations):
        raise MeetingError("participation of another project")
    agreement = Agreement.objects.create(
        project_id=meeting.project_id,
        date=meeting.date,
        text=text,
        about_double_role=about_double_role,
        recorded_by=user,
    )
    agreement.participations.set(participations)
    meeting.agreements.add(agreement)
    return agreement


@transaction.atomic
def add_action_item(
    *, meeting, description: str, due_date: datetime.date, owner_person=None, owner_user=None
) -> ActionItem:
    project = meeting.project
    if (owner_person is None) == (owner_user is None):
        raise MeetingError("exactly one owner")
    if owner_person is not None and not invitable_persons(project).filter(pk=owner_person.pk):
        raise MeetingError("owner of another project")
    if owner_user is not None and not municipal_users(project).filter(pk=owner_user.pk):
        raise MeetingError("owner of another municipality")
    item = ActionItem.objects.create(
        meeting=meeting,
        description=description,
        due_date=due_date,
        owner_person=owner_person,
        owner_user=owner_user,
    )
    from meetings.tasks import notify_action_item_owner

    notify_action_item_owner(item)
    return item


def action_item_corrected(*, action_item: ActionItem, changed: list[str]) -> None:
    """Tell the owner what an edit changed for them: a new owner hears of it as of a new item,
    the same owner when the due date moved; a corrected text alone sends nothing."""
    from meetings.tasks import notify_action_item_owner

    if "owner" in changed:
        notify_action_item_owner(action_item)
    elif "due_date" in changed:
        notify_action_item_owner(action_item, due_changed=True)


def delete_action_item(*, action_item: ActionItem) -> None:
    """Remove an action item recorded by mistake; the change log keeps what it said."""
    action_item.delete()


# --- calendar feed ---


@transaction.atomic
def regenerate_feed(*, project, user) -> str:
    """Make a new feed secret (the old URL stops working) and return it; only its hash is kept.

    The project row is locked first, so concurrent renewals take turns instead of both inserting
    the project's one feed; the last one's secret is the one that works.
    """
    Project.objects.select_for_update().get(pk=project.pk)
    secret = secrets.token_urlsafe(32)
    CalendarFeed.objects.filter(project=project).delete()
    CalendarFeed.objects.create(
        project=project, secret_hash=hash_feed_secret(secret), created_by=user
    )
    return secret


def revoke_feed(*, project) -> None:
    CalendarFeed.objects.filter(project=project).delete()


def feed_for_secret(secret: str):
    """The feed of a secret, or None; a wrong or short secret reveals nothing."""
    if not secret or len(secret) < 20:
        return None
    return (
        CalendarFeed.objects.select_related("project__project_leader")
        .filter(secret_hash=hash_feed_secret(secret))
        .first()
    )
