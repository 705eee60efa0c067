"""Writes of the meetings app that touch more than one row, and derived facts for other pages.

`intro_talk_evidence(project)` is the hook for the phase guide: it returns the held
introductory talk (kind INTRO_TALK, status HELD) at which at least one police contact person
and at least one representative of the municipality (a municipal user, or a contact person of
an organisation of kind "municipality") were recorded as present, or None.
"""

import datetime
import secrets

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from meetings.agenda_templates import agenda_template
from meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Attendee,
    CalendarFeed,
    Meeting,
    MeetingKind,
    MeetingStatus,
    hash_feed_secret,
)
from partners.models import Agreement, OrganisationKind, Participation, Person


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


@transaction.atomic
def add_agenda_item(*, meeting, title: str, duration_minutes: int) -> AgendaItem:
    last = meeting.agenda_items.order_by("-position").values_list("position", flat=True).first()
    return AgendaItem.objects.create(
        meeting=meeting,
        position=(last + 1) if last is not None else 0,
        title=title,
        duration_minutes=duration_minutes,
    )


@transaction.atomic
def move_agenda_item(*, item: AgendaItem, direction: str) -> bool:
    """Swap the item with its neighbour; renumbers positions 0..n so duplicates never linger."""
    items = list(AgendaItem.objects.select_for_update().filter(meeting_id=item.meeting_id))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
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


def _send(meeting, attendees, method: str, *, update: bool = False):
    from meetings.tasks import send_meeting_email

    recipients = [(a.pk, a.email, a.name) for a in attendees if a.email]

    def enqueue():
        for _pk, email, name in recipients:
            send_meeting_email.enqueue(
                meeting_id=meeting.pk, email=email, name=name, method=method, update=update
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
    invited = [a for a in meeting.attendees.select_related("person", "user") if a.invited_at]
    return _send(meeting, invited, "CANCEL")


@transaction.atomic
def send_invitations(*, meeting) -> int:
    """Invite everyone not yet invited who has an e-mail address; returns how many."""
    if meeting.status != MeetingStatus.PLANNED:
        raise MeetingError("not planned")
    pending = [
        a
        for a in meeting.attendees.select_related("person", "user").filter(invited_at=None)
        if a.email
    ]
    now = timezone.now()
    for attendee in pending:
        attendee.invited_at = now
        attendee.save(update_fields=["invited_at"])
    return _send(meeting, pending, "REQUEST")


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
    """Remove an invitee; someone who already got the invitation gets a cancellation."""
    if attendee.invited_at and attendee.meeting.status == MeetingStatus.PLANNED:
        _send(attendee.meeting, [attendee], "CANCEL")
    attendee.delete()


@transaction.atomic
def record_attendance(*, meeting, values: dict[int, str]) -> None:
    """Store present/absent/excused per attendee id (ids of other meetings are ignored)."""
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
    return ActionItem.objects.create(
        meeting=meeting,
        description=description,
        due_date=due_date,
        owner_person=owner_person,
        owner_user=owner_user,
    )


# --- calendar feed ---


@transaction.atomic
def regenerate_feed(*, project, user) -> str:
    """Make a new feed secret (the old URL stops working) and return it; only its hash is kept."""
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


# --- evidence for the phase guide ---


def intro_talk_evidence(project) -> Meeting | None:
    """The latest held introductory talk with the police and the municipality present, or None.

    The municipality counts as present through a municipal user, or through a contact person of
    an organisation of kind "municipality" (e.g. the mayor's office) recorded as present.
    """
    return held_intro_talks([project]).get(project.pk)


def held_intro_talks(projects):
    """{project_id: newest held intro talk with the police and the municipality present}.

    Two index-driven queries: the projects' held intro talks, then who was present at those.
    One query with two EXISTS let the planner scan every attendee of the installation.
    """
    talks = list(
        Meeting.objects.filter(
            project_id__in=[p.pk for p in projects],
            kind=MeetingKind.INTRO_TALK,
            status=MeetingStatus.HELD,
        )
        .order_by("project_id", "-date", "-pk")
        .only("pk", "project_id", "title", "date")
    )
    police = Q(person__organisation__kind=OrganisationKind.POLICE)
    municipality = Q(user__isnull=False) | Q(
        person__organisation__kind=OrganisationKind.MUNICIPALITY
    )
    both = {
        row["meeting_id"]
        for row in Attendee.objects.filter(
            meeting_id__in=[talk.pk for talk in talks], attendance=Attendance.PRESENT
        )
        .values("meeting_id")
        .annotate(police=Count("pk", filter=police), municipality=Count("pk", filter=municipality))
        .order_by()
        if row["police"] and row["municipality"]
    }
    newest = {}
    for talk in talks:
        if talk.pk in both:
            newest.setdefault(talk.project_id, talk)
    return newest
