"""What step 5 adds to the pages below it (kvu/panels.py): the project tab "Covenant", step 5's
state on the project overview, the dashboard and the status report, and the reminder to renew
a covenant whose term ends within three months."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kvu.access import member_projects
from kvu.guide import Projects
from kvu.models import CcvStep
from kvu.panels import Tab
from partners.declaration.selectors import participants
from partners.models import Declaration, DocumentKind, OrganisationKind
from plans.covenant import guide as covenant_guide
from plans.covenant.renewal import ending_soon
from plans.models import Commitment, Plan

DASHBOARD_LIMIT = 10  # projects in step 5 listed on the dashboard
RENEWALS_SHOWN = 10  # covenants to renew listed on the dashboard


def project_tabs(project, url_name):
    # From the plan of approach on (step 4), as each later step's tab shows from the step before.
    if project.ccv_step < CcvStep.PLAN:
        return []
    active = bool(url_name) and url_name.startswith(("covenant_", "commitment_"))
    return [Tab(80, _("Covenant"), reverse("covenant_detail", args=[project.pk]), active)]


def project_panel(request, *, project, reading):
    """Step 5 at a glance for a project in the covenant step, and the renewal when it is due."""
    state = (
        covenant_guide.states(reading)[project.pk] if project.ccv_step == CcvStep.COVENANT else None
    )
    renewal = (
        ending_soon(projects=[project]).only("pk", "project_id", "version", "valid_until").first()
        if project.ccv_step >= CcvStep.COVENANT
        else None
    )
    if state is None and renewal is None:
        return ""
    return render_to_string(
        "plans/covenant/_panel_project.html",
        {"project": project, "state": state, "renewal": renewal},
        request=request,
    )


def dashboard_panel(request):
    """The user's projects in step 5, each with how far its covenant is."""
    if not request.user.is_authenticated:
        return ""
    projects = [p for p in member_projects(request) if p.ccv_step == CcvStep.COVENANT]
    projects = Projects(projects[:DASHBOARD_LIMIT])
    if not projects:
        return ""
    states = covenant_guide.states(projects)
    return render_to_string(
        "plans/covenant/_panel_dashboard.html",
        {"rows": [(p, states[p.pk]) for p in projects]},
        request=request,
    )


def renewal_panel(request):
    """The user's projects whose signed covenant ends within three months: time to renew."""
    if not request.user.is_authenticated:
        return ""
    projects = {p.pk: p for p in member_projects(request)}
    if not projects:
        return ""
    covenants = list(
        ending_soon(projects=list(projects.values())).only(
            "pk", "project_id", "version", "valid_until", "renewal_reminded_at"
        )[: RENEWALS_SHOWN + 1]
    )
    if not covenants:
        return ""
    for covenant in covenants:
        covenant.project = projects[covenant.project_id]
    return render_to_string(
        "plans/covenant/_panel_renewal.html",
        {"covenants": covenants[:RENEWALS_SHOWN], "more": len(covenants) > RENEWALS_SHOWN},
        request=request,
    )


def status_report_section(request, *, project, pdf=False):
    """The status report's section on the covenant (from step 5 on): the sent version, who takes
    part, its term and the commitments behind it."""
    if project.ccv_step < CcvStep.COVENANT:
        return ""
    covenant = (
        Declaration.objects.filter(project=project, kind=DocumentKind.COVENANT)
        .newest_sent()
        .first()
    )
    plan = Plan.objects.current(project)
    commitments = (
        Commitment.objects.filter(plan=plan).values_list("participation_id", flat=True)
        if plan
        else []
    )
    commitments = list(commitments)
    taking_part = participants(covenant) if covenant else []
    current = [row for row in taking_part if row["departure"] is None]
    return render_to_string(
        "plans/covenant/_status_report.html",
        {
            "project": project,
            "covenant": covenant,
            "commitments": len(commitments),
            "committed_partners": len(set(commitments)),
            "taking_part": len(current),
            "businesses": sum(
                1 for row in current if row["organisation"].kind == OrganisationKind.HOSPITALITY
            ),
            "joined_later": sum(1 for row in taking_part if row["joined_later"]),
            "left": sum(1 for row in taking_part if row["departure"] is not None),
            "pdf": pdf,
        },
        request=request,
    )


PANELS = {
    "dashboard": [(45, renewal_panel), (80, dashboard_panel)],
    "project_overview": [(80, project_panel)],
    "status_report": [(80, status_report_section)],
}
