"""Reads of meetings used in more than one place."""

from django.db.models import Count, Q

from meetings.models import Attendance, Attendee, Meeting, MeetingKind, MeetingStatus
from partners.models import OrganisationKind


def newest_held(projects, *, kind) -> dict:
    """{project_id: the newest held meeting of `kind`} for `projects`, in one query."""
    meetings = (
        Meeting.objects.filter(
            project_id__in=[project.pk for project in projects],
            kind=kind,
            status=MeetingStatus.HELD,
        )
        .order_by("project_id", "-date", "-pk")
        .only("pk", "project_id", "title", "date")
    )
    newest = {}
    for meeting in meetings:
        newest.setdefault(meeting.project_id, meeting)
    return newest


def held_intro_talks(projects):
    """{project_id: newest held intro talk with the police and the municipality present}.

    The municipality counts as present through a municipal user, or through a contact person of
    an organisation of kind "municipality" (e.g. the mayor's office) recorded as present.

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
