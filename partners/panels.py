"""Panels the partners app adds to the dashboard and the project overview, and its project tabs."""

import datetime

from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kvu.access import member_projects
from kvu.panels import Tab
from partners.models import ContactMoment, KvuRole, Participation, Stage

UPCOMING_DAYS = 14
PANEL_LIMIT = 15

PARTNER_PAGES = {
    "partner_board",
    "partner_list",
    "partner_grid",
    "participation_add",
    "partner_import",
    "participation_detail",
    "participation_edit",
    "person_create",
    "person_edit",
    "organisation_edit",
}


def _due(moments, today):
    """Open follow-ups that are overdue or due within UPCOMING_DAYS, the soonest first."""
    return (
        moments.follow_ups_open()
        .filter(follow_up_on__lte=today + datetime.timedelta(days=UPCOMING_DAYS))
        .select_related("participation__organisation", "participation__project")
        .order_by("follow_up_on", "pk")
    )


def _split(moments, today):
    """(overdue, upcoming), each at most PANEL_LIMIT long."""
    overdue = [m for m in moments if m.follow_up_on < today][:PANEL_LIMIT]
    upcoming = [m for m in moments if m.follow_up_on >= today][:PANEL_LIMIT]
    return overdue, upcoming


def _follow_ups(moments):
    today = timezone.localdate()
    overdue, upcoming = _split(list(_due(moments, today)[: PANEL_LIMIT * 2]), today)
    return overdue, upcoming, today


def dashboard_follow_ups(request):
    projects = {p.pk: p for p in member_projects(request)}
    if not projects:
        return ""
    overdue, upcoming, today = _follow_ups(
        ContactMoment.objects.filter(project__in=list(projects.values()))
    )
    writable = {pk for pk, project in projects.items() if project.user_can_write}
    return render_to_string(
        "partners/_panel_follow_ups.html",
        {
            "overdue": overdue,
            "upcoming": upcoming,
            "today": today,
            "writable": writable,
            "show_project": len(projects) > 1,
            "next": request.get_full_path(),
            "heading_level": 2,
        },
        request=request,
    )


def project_partners(request, *, project):
    figures = _partner_figures(project)
    return render_to_string(
        "partners/_panel_project.html",
        {
            "project": project,
            **figures,
            "writable": {project.pk} if project.user_can_write else set(),
            "show_project": False,
            "next": request.get_full_path(),
            "heading_level": 3,
        },
        request=request,
    )


def _partner_figures(project) -> dict:
    counts = dict(
        Participation.objects.filter(project=project)
        .order_by()
        .values_list("stage")
        .annotate(n=Count("pk"))
        .values_list("stage", "n")
    )
    stages = [(value, label, counts.get(value, 0)) for value, label in Stage.choices]
    core_open_qs = Participation.objects.filter(project=project, role=KvuRole.CORE).exclude(
        stage__in=[Stage.COMMITTED, Stage.SIGNED]
    )
    # The first ones by name; the partner list shows them all.
    core_open = list(
        core_open_qs.select_related("organisation").order_by("organisation__name", "pk")[
            :PANEL_LIMIT
        ]
    )
    core_open_total = core_open_qs.count()
    overdue, upcoming, today = _follow_ups(ContactMoment.objects.of_project(project))
    return {
        "stages": stages,
        "total": sum(counts.values()),
        "core_open": core_open,
        "core_open_more": core_open_total - len(core_open),
        "overdue": overdue,
        "upcoming": upcoming,
        "today": today,
    }


def project_tabs(project, url_name):
    return [
        Tab(
            20,
            _("Partners"),
            reverse("partner_board", args=[project.pk]),
            url_name in PARTNER_PAGES,
        ),
        Tab(21, _("Log"), reverse("contact_log", args=[project.pk]), url_name == "contact_log"),
    ]


PANELS = {
    "dashboard": [(20, dashboard_follow_ups)],
    "project_overview": [(20, project_partners)],
}
