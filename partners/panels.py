"""Panels the partners app adds to the dashboard and the project overview, and its project tabs."""

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kvu.access import member_projects
from kvu.panels import Tab
from partners.concerns import selectors as concern_selectors
from partners.models import ContactMoment, KvuRole, Participation, Stage

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


def _follow_ups(moments, limit=PANEL_LIMIT) -> dict:
    """The soonest `limit` overdue open follow-ups and the soonest `limit` due within
    UPCOMING_DAYS, and whether there are more of each (two queries of at most limit + 1 rows)."""
    today = timezone.localdate()
    columns = (
        "pk",
        "summary",
        "follow_up_on",
        "participation__id",
        "participation__project__id",
        "participation__project__name",
        "participation__organisation__name",
    )
    related = ("participation__organisation", "participation__project")
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
    follow_ups = _follow_ups(ContactMoment.objects.filter(project__in=list(projects.values())))
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
    committed = [Stage.COMMITTED, Stage.SIGNED]
    # Per stage: all partners, and the core partners (to count those not yet committed).
    counts = {
        stage: (n, core)
        for stage, n, core in Participation.objects.filter(project=project)
        .order_by()
        .values_list("stage")
        .annotate(n=Count("pk"), core=Count("pk", filter=Q(role=KvuRole.CORE)))
        .values_list("stage", "n", "core")
    }
    stages = [(value, label, counts.get(value, (0, 0))[0]) for value, label in Stage.choices]
    core_open_total = sum(core for stage, (_n, core) in counts.items() if stage not in committed)
    # The first ones by name; the partner list shows them all.
    core_open = list(
        Participation.objects.filter(project=project, role=KvuRole.CORE)
        .exclude(stage__in=committed)
        .select_related("organisation")
        .only("pk", "project_id", "stage", "organisation__name")
        .order_by("organisation__name", "pk")[:OVERVIEW_LIMIT]
    )
    return {
        "stages": stages,
        "total": sum(n for n, _core in counts.values()),
        "core_open": core_open,
        "core_open_more": core_open_total - len(core_open),
        "core_total": sum(core for _n, core in counts.values()),
        **_follow_ups(ContactMoment.objects.of_project(project), limit=OVERVIEW_LIMIT),
        "log_project": project,
    }


def project_concerns(request, *, project):
    """The open concerns of the project: the first OVERVIEW_LIMIT, their number and the list."""
    still_open = concern_selectors.open_of_project(project)
    first = list(still_open[:OVERVIEW_LIMIT])
    total = still_open.count()
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
