"""What the analysis app adds to the pages below it: the project tab and step 3's state on the
project overview, the dashboard and the status report (kvu/panels.py)."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from analysis import guide as analysis_guide
from analysis.models import Knelpunt
from analysis.report import selectors as report_selectors
from analysis.selectors import current_analysis
from kvu.access import member_projects
from kvu.guide import Projects
from kvu.models import CcvStep
from kvu.panels import Tab

DASHBOARD_LIMIT = 10  # projects in step 3 listed on the dashboard
REPORT_KNELPUNTEN = 15  # knelpunten named in the status report


def project_tabs(project, url_name):
    active = bool(url_name) and url_name.startswith(
        (
            "analysis",
            "profile",
            "area_profile",
            "establishment",
            "street",
            "figure",
            "source",
            "walk_through",
            "finding",
            "survey",
            "question",
            "response",
            "conclusion",
            "knelpunt",
            "report",
        )
    )
    return [Tab(60, _("Safety analysis"), reverse("analysis_home", args=[project.pk]), active)]


def project_panel(request, *, project, reading):
    """Step 3 at a glance for a project in the safety analysis."""
    if project.ccv_step != CcvStep.SAFETY_ANALYSIS:
        return ""
    state = analysis_guide.states(reading)[project.pk]
    return render_to_string(
        "analysis/_panel_project.html", {"project": project, "state": state}, request=request
    )


def dashboard_panel(request):
    """The user's projects in step 3, each with how far its analysis is."""
    if not request.user.is_authenticated:
        return ""
    projects = [p for p in member_projects(request) if p.ccv_step == CcvStep.SAFETY_ANALYSIS]
    projects = Projects(projects[:DASHBOARD_LIMIT])
    if not projects:
        return ""
    states = analysis_guide.states(projects)
    return render_to_string(
        "analysis/_panel_dashboard.html",
        {"rows": [(p, states[p.pk]) for p in projects]},
        request=request,
    )


def status_report_section(request, *, project, pdf=False):
    """The status report's section on what the safety analysis holds (from step 3 on); the
    report's phase guide already shows step 3's checklist."""
    if project.ccv_step < CcvStep.SAFETY_ANALYSIS:
        return ""
    analysis = current_analysis(project)
    if analysis is None:
        return ""
    knelpunten = list(
        Knelpunt.objects.filter(analysis=analysis).order_by("position", "pk")[
            : REPORT_KNELPUNTEN + 1
        ]
    )
    return render_to_string(
        "analysis/_status_report.html",
        {
            "project": project,
            "analysis": analysis,
            "counts": report_selectors.analysis_counts(analysis),
            "knelpunten": knelpunten[:REPORT_KNELPUNTEN],
            "more_knelpunten": len(knelpunten) > REPORT_KNELPUNTEN,
            "pdf": pdf,
        },
        request=request,
    )


PANELS = {
    "dashboard": [(60, dashboard_panel)],
    "project_overview": [(60, project_panel)],
    "status_report": [(60, status_report_section)],
}
