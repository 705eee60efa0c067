"""Sections and the tab the meetings app adds to pages of kvu and partners (see kvu/panels.py)."""

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kvu.access import member_projects
from kvu.panels import Tab
from meetings.models import ActionItem, Attendance, Attendee, Meeting, MeetingStatus

LIMIT = 10  # rows per list on the dashboard
OVERVIEW_LIMIT = 5  # rows per list on the project overview
# What the lists of upcoming meetings show.
UPCOMING_COLUMNS = ("project_id", "title", "date", "start_time")


def _actions(qs, limit=LIMIT):
    return (
        qs.open()
        .select_related("meeting__project", "owner_person", "owner_user")
        # Only what meetings/_actions_list.html shows.
        .only(
            "description",
            "due_date",
            "status",
            "meeting__project__name",
            "owner_person__name",
            "owner_person__function",
            "owner_user__first_name",
            "owner_user__last_name",
            "owner_user__username",
        )
        .order_by("due_date", "pk")[:limit]
    )


def dashboard_panel(request):
    """Open and overdue action items and upcoming meetings of the user's projects."""
    user = request.user
    if not user.is_authenticated:
        return ""
    projects = member_projects(request)
    actions = list(_actions(ActionItem.objects.filter(meeting__project__in=projects)))
    upcoming = list(
        Meeting.objects.filter(project__in=projects)
        .upcoming()
        .select_related("project")
        .only(*UPCOMING_COLUMNS, "project__name")[:LIMIT]
    )
    if not actions and not upcoming:
        return ""
    return render_to_string(
        "meetings/_panel_dashboard.html",
        {"actions": actions, "upcoming": upcoming, "today": timezone.localdate()},
        request=request,
    )


def project_panel(request, *, project, reading):
    return render_to_string(
        "meetings/_panel_project.html",
        {
            "project": project,
            "actions": list(
                _actions(ActionItem.objects.filter(meeting__project=project), OVERVIEW_LIMIT)
            ),
            "upcoming": list(
                Meeting.objects.filter(project=project)
                .upcoming()
                .only(*UPCOMING_COLUMNS)[:OVERVIEW_LIMIT]
            ),
        },
        request=request,
    )


def participation_panel(request, *, participation):
    """Meetings of this project that persons of the partner's organisation attended."""

    present = Attendee.objects.filter(
        attendance=Attendance.PRESENT, person__organisation_id=participation.organisation_id
    ).select_related("person")
    meetings = list(
        Meeting.objects.filter(
            project_id=participation.project_id,
            status=MeetingStatus.HELD,
            attendees__in=present,
        )
        .distinct()
        .prefetch_related(Prefetch("attendees", queryset=present, to_attr="partner_present"))
        .order_by("-date", "-pk")[:20]
    )
    return render_to_string(
        "meetings/_panel_participation.html",
        {"participation": participation, "meetings": meetings},
        request=request,
    )


def project_tabs(project, url_name):
    active = bool(url_name and url_name.startswith("meeting"))
    return [Tab(40, _("Meetings"), reverse("meeting_list", args=[project.pk]), active)]


PANELS = {
    "dashboard": [(40, dashboard_panel)],
    "project_overview": [(40, project_panel)],
    "participation": [(40, participation_panel)],
}
