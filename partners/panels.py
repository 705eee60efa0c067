"""Panels the partners app adds to the dashboard and the project overview, and its project tabs."""

from collections import Counter

from django.db.models import Count, Window
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kvu.access import member_projects
from kvu.panels import Tab
from partners.concerns import selectors as concern_selectors
from partners.guide import partners_read
from partners.models import ContactMoment, KvuRole, Stage

UPCOMING_DAYS = 14
PANEL_LIMIT = 15  # rows per list on the dashboard
OVERVIEW_LIMIT = 5  # rows per list on the project overview: the most urgent, then a link

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
    "concern_create",
    "concern_edit",
    "concern_delete",
}


def _follow_ups(moments, limit=PANEL_LIMIT, *, with_project=False) -> dict:
    """The soonest `limit` overdue open follow-ups and the soonest `limit` due within
    UPCOMING_DAYS, and whether there are more of each (two queries of at most limit + 1 rows).

    `with_project`: also the project's name, for a list of follow-ups of several projects.
    """
    today = timezone.localdate()
    columns = [
        "pk",
        "summary",
        "follow_up_on",
        "participation__id",
        "participation__project",
        "participation__organisation__name",
    ]
    related = ["participation__organisation"]
    if with_project:
        columns.append("participation__project__name")
        related.append("participation__project")
    overdue = list(
        moments.follow_ups_overdue(today).select_related(*related).only(*columns)[: limit + 1]
    )
    upcoming = list(
        moments.follow_ups_upcoming(today, days=UPCOMING_DAYS)
        .select_related(*related)
        .only(*columns)[: limit + 1]
    )
    return {
        "overdue": overdue[:limit],
        "upcoming": upcoming[:limit],
        "overdue_more": len(overdue) > limit,
        "upcoming_more": len(upcoming) > limit,
        "today": today,
    }


def dashboard_follow_ups(request):
    projects = {p.pk: p for p in member_projects(request)}
    if not projects:
        return ""
    follow_ups = _follow_ups(
        ContactMoment.objects.filter(project__in=list(projects.values())),
        with_project=len(projects) > 1,
    )
    writable = {pk for pk, project in projects.items() if project.user_can_write}
    return render_to_string(
        "partners/_panel_follow_ups.html",
        {
            **follow_ups,
            "log_project": next(iter(projects.values())) if len(projects) == 1 else None,
            "writable": writable,
            "show_project": len(projects) > 1,
            "next": request.get_full_path(),
            "heading_level": 2,
        },
        request=request,
    )


def project_partners(request, *, project, reading):
    figures = _partner_figures(project, reading)
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


def _partner_figures(project, reading) -> dict:
    """Counts per stage and the first core partners not yet committed, from the partners the
    phase guide of the page read (no query of its own)."""
    committed = [Stage.COMMITTED, Stage.SIGNED]
    rows = partners_read(reading, project)
    counts = Counter(row.stage for row in rows)
    stages = [(value, label, counts[value]) for value, label in Stage.choices]
    core = [row for row in rows if row.role == KvuRole.CORE]
    core_open = [row for row in core if row.stage not in committed]
    labels = dict(Stage.choices)
    return {
        "stages": stages,
        "total": len(rows),
        # The first ones by name (the rows' order); the partner list shows them all.
        "core_open": [
            {
                "url": reverse("participation_detail", args=[project.pk, row.pk]),
                "name": row.name,
                "stage": labels.get(row.stage, row.stage),
            }
            for row in core_open[:OVERVIEW_LIMIT]
        ],
        "core_open_more": max(len(core_open) - OVERVIEW_LIMIT, 0),
        "core_total": len(core),
        **_follow_ups(ContactMoment.objects.of_project(project), limit=OVERVIEW_LIMIT),
        "log_project": project,
    }


def project_concerns(request, *, project, reading):
    """The open concerns of the project: the first OVERVIEW_LIMIT, their number and the list."""
    first = list(
        concern_selectors.open_of_project(project)
        # Only what partners/concerns/_panel.html shows.
        .select_related(None)
        .select_related("participation__organisation")
        .only(
            "kind",
            "status",
            "due_date",
            "participation__project",
            "participation__organisation__name",
        )
        # The number of all open concerns on each row, counted before the limit: one query.
        .annotate(total=Window(Count("pk")))[:OVERVIEW_LIMIT]
    )
    total = first[0].total if first else 0
    return render_to_string(
        "partners/concerns/_panel.html",
        {"project": project, "concerns": first, "total": total, "more": total - len(first)},
        request=request,
    )


def project_tabs(project, url_name):
    return [
        Tab(
            20,
            _("Partners"),
            reverse("partner_board", args=[project.pk]),
            url_name in PARTNER_PAGES,
        ),
        Tab(21, _("Log"), reverse("contact_log", args=[project.pk]), url_name == "contact_log"),
        Tab(
            22,
            _("Concerns"),
            reverse("concern_list", args=[project.pk]),
            url_name == "concern_list",
        ),
    ]


PANELS = {
    "dashboard": [(20, dashboard_follow_ups)],
    "project_overview": [(20, project_partners), (25, project_concerns)],
}
