"""What the meetings app tells the phase guide: evidence, timeline entries and report sections.

Batch reads for all projects of a reading at once (a page of one project or of many).
"""

from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kvu import guide, panels
from kvu.guide import Evidence, TimelineEntry
from meetings.models import (
    ActionItem,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from meetings.services import held_intro_talks


def _url(name, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _meetings_url(project) -> str:
    return _url("meeting_list", project.pk) or _url("meeting_create", project.pk)


@guide.evidence("intro_talk")
def intro_talk(projects):
    found = held_intro_talks(projects)
    result = {}
    for project in projects:
        meeting = found.get(project.pk)
        if meeting:
            result[project.pk] = Evidence(
                True,
                _("Held on %(date)s: %(title)s.")
                % {"date": meeting.date.strftime("%d-%m-%Y"), "title": meeting.title},
                _url("meeting_detail", project.pk, meeting.pk),
                _("Meeting"),
            )
        else:
            result[project.pk] = Evidence(
                False,
                _(
                    "No held introductory talk with the police and the municipality recorded "
                    "as present yet."
                ),
                _meetings_url(project),
                _("Meetings"),
            )
    return result


@guide.evidence("hospitality_support")
def entrepreneurs_presentation(projects):
    qs = (
        Meeting.objects.filter(
            project_id__in=[p.pk for p in projects],
            kind=MeetingKind.ENTREPRENEURS,
            status=MeetingStatus.HELD,
        )
        .order_by("project_id", "-date", "-pk")
        .only("pk", "project_id", "title", "date")
    )
    newest = {}
    for meeting in qs:
        newest.setdefault(meeting.project_id, meeting)
    result = {}
    for project in projects:
        meeting = newest.get(project.pk)
        if meeting:
            result[project.pk] = Evidence(
                True,
                _("Presentation given on %(date)s: %(title)s.")
                % {"date": meeting.date.strftime("%d-%m-%Y"), "title": meeting.title},
                _url("meeting_detail", project.pk, meeting.pk),
                _("Meeting"),
            )
        else:
            result[project.pk] = Evidence(
                False,
                _("No presentation to the entrepreneurs held yet."),
                _meetings_url(project),
                _("Meetings"),
            )
    return result


@guide.timeline_source("meeting", gettext_lazy("meetings"))
def meetings_source(project, *, cursor, since, until, limit):
    qs = (
        Meeting.objects.filter(project=project)
        .exclude(status=MeetingStatus.CANCELLED)
        .filter(guide.before_q(cursor, kind="meeting", field="date", is_date=True))
        .filter(guide.period_q(field="date", since=since, until=until, is_date=True))
        .order_by("-date", "-pk")[:limit]
    )
    return [
        TimelineEntry(
            guide.day_start(m.date),
            "meeting",
            m.pk,
            f"{m.title} ({m.get_status_display()})",
            f"{m.start_time:%H:%M}–{m.end_time:%H:%M} {m.location}".strip(),
            _url("meeting_detail", project.pk, m.pk),
        )
        for m in qs
    ]


@panels.register("status_report", order=40)
def report_meetings(request, *, project, pdf=False):
    held = list(
        Meeting.objects.filter(project=project, status=MeetingStatus.HELD)
        .order_by("-date", "-pk")
        .prefetch_related("agreements")[:20]
    )
    open_items = list(
        ActionItem.objects.open()
        .filter(meeting__project=project)
        .select_related("owner_person", "owner_user", "meeting")
        .order_by("due_date", "pk")[:30]
    )
    return render_to_string(
        "pdf/status_report_meetings.html",
        {"held": held, "open_items": open_items, "pdf": pdf},
        request=request,
    )
