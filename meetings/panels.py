"""Sections the meetings app adds to pages of kvu and partners (see kvu/panels.py)."""

from django.db.models import F, Prefetch
from django.template.loader import render_to_string
from django.utils import timezone

from kvu import derived, panels
from kvu.access import member_projects
from meetings.models import ActionItem, Attendance, Attendee, Meeting, MeetingStatus

LIMIT = 10


def _actions(qs):
    return (
        qs.open()
        .select_related("meeting__project", "owner_person", "owner_user")
        .order_by("due_date", "pk")[:LIMIT]
    )


def _actions_per_project(projects) -> dict:
    ranked = (
        ActionItem.objects.filter(meeting__project__in=projects)
        .open()
        .annotate(
            rank=derived.per_project_rank("meeting__project_id", F("due_date").asc(), F("pk").asc())
        )
        .filter(rank__lte=LIMIT)
        .select_related("meeting__project", "owner_person", "owner_user")
        .order_by("due_date", "pk")
    )
    return derived.by_project(projects, ranked, lambda action: action.meeting.project_id)


def _upcoming_per_project(projects) -> dict:
    ranked = (
        Meeting.objects.filter(project__in=projects)
        .upcoming()
        .annotate(
            rank=derived.per_project_rank(
                "project_id", F("date").asc(), F("start_time").asc(), F("pk").asc()
            )
        )
        .filter(rank__lte=LIMIT)
        .select_related("project")
    )
    return derived.by_project(projects, ranked, lambda meeting: meeting.project_id)


@panels.register("dashboard", order=40)
def dashboard_panel(request):
    """Open and overdue action items and upcoming meetings of the user's projects."""
    user = request.user
    if not user.is_authenticated:
        return ""
    projects = member_projects(request)
    actions = derived.first_rows(
        projects,
        "open-actions",
        _actions_per_project,
        sort_key=lambda a: (a.due_date, a.pk),
        limit=LIMIT,
    )
    upcoming = derived.first_rows(
        projects,
        "upcoming-meetings",
        _upcoming_per_project,
        sort_key=lambda m: (m.date, m.start_time, m.pk),
        limit=LIMIT,
        daily=True,
    )
    if not actions and not upcoming:
        return ""
    return render_to_string(
        "meetings/_panel_dashboard.html",
        {"actions": actions, "upcoming": upcoming, "today": timezone.localdate()},
        request=request,
    )


@panels.register("project_overview", order=40)
def project_panel(request, *, project):
    def figures():
        return {
            "actions": list(_actions(ActionItem.objects.filter(meeting__project=project))),
            "upcoming": list(Meeting.objects.filter(project=project).upcoming()[:5]),
        }

    return render_to_string(
        "meetings/_panel_project.html",
        {"project": project, **derived.cached(project, "meetings-panel", figures, daily=True)},
        request=request,
    )


@panels.register("participation", order=40)
def participation_panel(request, *, participation):
    """Meetings of this project that persons of the partner's organisation attended."""

    def attended():
        present = Attendee.objects.filter(
            attendance=Attendance.PRESENT, person__organisation_id=participation.organisation_id
        ).select_related("person")
        return list(
            Meeting.objects.filter(
                project_id=participation.project_id,
                status=MeetingStatus.HELD,
                attendees__in=present,
            )
            .distinct()
            .prefetch_related(Prefetch("attendees", queryset=present, to_attr="partner_present"))
            .order_by("-date", "-pk")[:20]
        )

    meetings = derived.cached(participation.project, f"attended-{participation.pk}", attended)
    return render_to_string(
        "meetings/_panel_participation.html",
        {"participation": participation, "meetings": meetings},
        request=request,
    )


@panels.register("project_nav", order=40)
def project_nav_tab(request, *, project):
    match = request.resolver_match
    active = bool(match and match.url_name and match.url_name.startswith("meeting"))
    return render_to_string(
        "meetings/_nav_tab.html", {"project": project, "active": active}, request=request
    )
