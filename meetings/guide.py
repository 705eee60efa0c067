"""The phase guide's steps that rest on meetings, with their evidence; the timeline entries and
the status report's section of the meetings app.

Batch reads for all projects of a reading at once (a page of one project or of many).
MeetingsConfig hands these to kvu (kvu/extensions.py).
"""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kvu import guide
from kvu.guide import Evidence, Step, TimelineEntry
from meetings.models import ActionItem, Meeting, MeetingKind, MeetingStatus
from meetings.selectors import held_intro_talks, held_meetings, newest_held
from partners.guide import association_involved


def _meeting_evidence(projects, found, *, held, missing):
    """{project_id: Evidence}: the meeting `found` for the project, or where to plan one.

    `held` is a text with %(date)s and %(title)s; `missing` the text without a meeting.
    """
    result = {}
    for project in projects:
        meeting = found.get(project.pk)
        if meeting:
            when = date_format(meeting.date, "SHORT_DATE_FORMAT")
            text = held % {"date": when, "title": meeting.title}
            url = reverse("meeting_detail", args=[project.pk, meeting.pk])
            result[project.pk] = Evidence(True, text, url, _("Meeting"))
        else:
            url = reverse("meeting_list", args=[project.pk])
            result[project.pk] = Evidence(False, missing, url, _("Meetings"))
    return result


def _held(projects) -> list:
    """The held meetings both meeting steps read, once per reading of the guide."""
    return guide.shared(
        projects,
        "meetings.held",
        lambda projects: held_meetings(
            projects, kinds=[MeetingKind.INTRO_TALK, MeetingKind.ENTREPRENEURS]
        ),
    )


def intro_talk(projects):
    return _meeting_evidence(
        projects,
        held_intro_talks(projects, meetings=_held(projects)),
        held=_("Held on %(date)s: %(title)s."),
        missing=_(
            "No held introductory talk with the police and the municipality recorded as "
            "present yet."
        ),
    )


def entrepreneurs_presentation(projects):
    return _meeting_evidence(
        projects,
        newest_held(projects, kind=MeetingKind.ENTREPRENEURS, meetings=_held(projects)),
        held=_("Presentation given on %(date)s: %(title)s."),
        missing=_("No presentation to the entrepreneurs held yet."),
    )


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
            f"{m.time_span} {m.location}".strip(),
            reverse("meeting_detail", args=[project.pk, m.pk]),
        )
        for m in qs
    ]


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


def hospitality_support(projects):
    """Done when a hospitality association is at least interested OR the presentation was given."""
    association = association_involved(projects)
    presentation = entrepreneurs_presentation(projects)
    return {p.pk: [association[p.pk], presentation[p.pk]] for p in projects}


# --- what this app gives kvu (MeetingsConfig) ---

TIMELINE_SOURCES = {"meeting": (gettext_lazy("meetings"), meetings_source)}

REPORT_SECTIONS = [(40, report_meetings)]

STEPS = [
    Step(
        "intro_talk",
        20,
        gettext_lazy("Introductory talk with the mayor or alderman and the police chief"),
        gettext_lazy(
            "Without the backing of the mayor and the police the KVU does not get going. Discuss "
            "results of KVU projects elsewhere and what a KVU adds for this municipality."
        ),
        required=True,
        evidence=intro_talk,
    ),
    Step(
        "hospitality_support",
        50,
        gettext_lazy("Hospitality association involved or entrepreneurs' presentation given"),
        gettext_lazy(
            "Entrepreneurs often fear extra rules and costs. A local association or a clear "
            "presentation on experiences elsewhere builds trust."
        ),
        required=False,
        evidence=hospitality_support,
    ),
]
