"""What step 4 adds to the pages below it: the project tab and step 4's state on the project
overview, the dashboard and the status report (kvu/panels.py)."""

from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from analysis.models import Theme
from kvu.access import member_projects
from kvu.guide import Projects
from kvu.models import CcvStep
from kvu.panels import Tab
from plans.models import Measure
from plans.plan import guide as plan_guide
from plans.selectors import current_plan, latest_version

DASHBOARD_LIMIT = 10  # projects in step 4 listed on the dashboard


def project_tabs(project, url_name):
    if project.ccv_step < CcvStep.SAFETY_ANALYSIS:
        return []
    active = bool(url_name) and url_name.startswith(("plan", "measure"))
    return [Tab(70, _("Plan of approach"), reverse("plan_detail", args=[project.pk]), active)]


def project_panel(request, *, project, reading):
    """Step 4 at a glance for a project making its plan of approach."""
    if project.ccv_step != CcvStep.PLAN:
        return ""
    state = plan_guide.states(reading)[project.pk]
    return render_to_string(
        "plans/_plan_panel_project.html", {"project": project, "state": state}, request=request
    )


def dashboard_panel(request):
    """The user's projects in step 4, each with how far its plan is."""
    if not request.user.is_authenticated:
        return ""
    projects = [p for p in member_projects(request) if p.ccv_step == CcvStep.PLAN]
    projects = Projects(projects[:DASHBOARD_LIMIT])
    if not projects:
        return ""
    states = plan_guide.states(projects)
    return render_to_string(
        "plans/_plan_panel_dashboard.html",
        {"rows": [(p, states[p.pk]) for p in projects]},
        request=request,
    )


def status_report_section(request, *, project, pdf=False):
    """The status report's section on the plan of approach (from step 4 on)."""
    if project.ccv_step < CcvStep.PLAN:
        return ""
    plan = current_plan(project)
    if plan is None:
        return ""
    themes = dict(
        Measure.objects.filter(plan=plan).values_list("theme").annotate(n=Count("pk")).order_by()
    )
    return render_to_string(
        "plans/_plan_status_report.html",
        {
            "project": project,
            "plan": plan,
            "themes": [(label, themes[code]) for code, label in Theme.choices if code in themes],
            "measures": sum(themes.values()),
            "version": latest_version(plan),
            "pdf": pdf,
        },
        request=request,
    )


PANELS = {
    "dashboard": [(70, dashboard_panel)],
    "project_overview": [(70, project_panel)],
    "status_report": [(70, status_report_section)],
}
