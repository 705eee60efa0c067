"""Reads of meetings used in more than one place."""

from django.db.models import Count, Q

from meetings.models import Attendance, Attendee, Meeting, MeetingKind, MeetingStatus
from partners.models import OrganisationKind


def held_meetings(projects, *, kinds) -> list:
    """The held meetings of `kinds` of `projects`, newest first per project, in one query."""
    return list(
        Meeting.objects.filter(
            project_id__in=[project.pk for project in projects],
            kind__in=kinds,
            status=MeetingStatus.HELD,
        )
        .order_by("project_id", "-date", "-pk")
        .only("pk", "project_id", "kind", "title", "date")
    )


def newest_held(projects, *, kind, meetings=None) -> dict:
    """{project_id: the newest held meeting of `kind`} for `projects`.

    `meetings`: the projects' held meetings as `held_meetings` reads them, if already read.
    """
    if meetings is None:
        meetings = held_meetings(projects, kinds=[kind])
    newest = {}
    for meeting in meetings:
        if meeting.kind == kind:
            newest.setdefault(meeting.project_id, meeting)
    return newest


def held_intro_talks(projects, *, meetings=None):
    """{project_id: newest held intro talk with the police and the municipality present}.

    The municipality counts as present through a municipal user, or through a contact person of
    an organisation of kind "municipality" (e.g. the mayor's office) recorded as present.

    Two index-driven queries: the projects' held intro talks (unless `meetings`, as
    `held_meetings` reads them, are given), then who was present at those. One query with two
    EXISTS let the planner scan every attendee of the installation.
    """
    if meetings is None:
        meetings = held_meetings(projects, kinds=[MeetingKind.INTRO_TALK])
    talks = [meeting for meeting in meetings if meeting.kind == MeetingKind.INTRO_TALK]
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
