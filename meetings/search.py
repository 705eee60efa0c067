"""What the meetings app lets the search find (kvu/search): meetings by their title, agenda and
minutes, and action items, each linking to its meeting's page."""

from django.db.models import OuterRef, Subquery
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kvu.search import RANK_WITHIN, Result, Source, matching, ranked
from meetings.models import ActionItem, AgendaItem, Meeting

# The fields each kind is found by; the migration (0004_search) indexes exactly these.
MEETING_FIELDS = ["title"]
AGENDA_FIELDS = ["title", "description", "minutes"]
ACTION_FIELDS = ["description"]


def find_meetings(projects, text, limit):
    # A meeting is found by its title or by an item of its agenda (its explanation, its
    # minutes): each through its own index, and the two sets of meetings joined.
    by_title = matching(Meeting.objects.filter(project__in=projects), MEETING_FIELDS, text)
    by_agenda = matching(
        AgendaItem.objects.filter(meeting__project__in=projects), AGENDA_FIELDS, text
    )
    found = (
        by_title.order_by()
        .values("pk")
        .union(by_agenda.order_by().values("meeting_id"))
        .order_by()  # none at all: a compound query's parts and whole may have no ORDER BY
    )
    best_item = matching(
        AgendaItem.objects.filter(meeting=OuterRef("pk")), AGENDA_FIELDS, text
    ).order_by("-search_rank", "position")
    meetings = (
        ranked(Meeting.objects.filter(pk__in=found[:RANK_WITHIN]), MEETING_FIELDS, text)
        .annotate(item_title=Subquery(best_item.values("title")[:1]))
        .select_related("project")
        .order_by("-search_rank", "-date", "-pk")[:limit]
    )
    return [
        Result(
            title=meeting.title,
            snippet=" · ".join(
                part
                for part in (date_format(meeting.date, "SHORT_DATE_FORMAT"), meeting.item_title)
                if part
            ),
            project=meeting.project.name,
            url=meeting.get_absolute_url(),
        )
        for meeting in meetings
    ]


def find_actions(projects, text, limit):
    actions = (
        matching(
            ActionItem.objects.filter(meeting__project__in=projects),
            ACTION_FIELDS,
            text,
            within=RANK_WITHIN,
        )
        .select_related("meeting__project")
        .order_by("-search_rank", "due_date", "pk")[:limit]
    )
    return [
        Result(
            title=action.description,
            snippet=" · ".join(
                (
                    action.meeting.title,
                    gettext("due %(date)s")
                    % {"date": date_format(action.due_date, "SHORT_DATE_FORMAT")},
                    action.get_status_display(),
                )
            ),
            project=action.meeting.project.name,
            url=action.meeting.get_absolute_url() + "#actions",
        )
        for action in actions
    ]


SOURCES = [
    Source(60, "meetings", _("Meetings"), find_meetings),
    Source(70, "actions", _("Action items"), find_actions),
]
