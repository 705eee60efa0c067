"""Panels of the intentieverklaring on kvu's pages: the project tab and the signature progress."""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from kvu.access import member_projects
from kvu.panels import Tab
from partners.declaration.services import role_progress
from partners.guide import newest_declaration_read
from partners.models import Declaration, Invitation, InvitationStatus, Signature


def _count(queryset):
    """Partners in a correlated queryset, as a subquery (0 when there are no rows).

    Partners rather than rows: a replaced signatory leaves a revoked invitation beside the new one.
    """
    counted = (
        queryset.order_by()
        .values("declaration")
        .annotate(n=Count("participation", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(counted[:1]), 0)


def project_tabs(project, url_name):
    active = url_name.startswith(("declaration_", "invitation_"))
    url = reverse("declaration_detail", args=[project.pk])
    return [Tab(50, _("Declaration of intent"), url, active)]


def declaration_progress(request, *, project, reading):
    declaration = newest_declaration_read(reading, project)
    return render_to_string(
        "partners/declaration/_overview_panel.html",
        {
            "project": project,
            "declaration": declaration,
            "progress": role_progress(declaration) if declaration else [],
        },
        request=request,
    )


def declaration_dashboard(request):
    """Signature progress of the newest sent declaration of each of the user's projects."""
    projects = member_projects(request)
    declarations = sorted(_newest_sent(projects), key=lambda d: d.project.name)
    if not declarations:
        return ""
    return render_to_string(
        "partners/declaration/_dashboard_panel.html",
        {"declarations": declarations},
        request=request,
    )


def _newest_sent(projects) -> list:
    """The newest sent declaration of each of `projects` that has one, with its counts, in the
    order of `projects`; each carries its project from `projects` (no join, no ordering)."""
    sent = (
        Declaration.objects.declarations()
        .filter(project__in=projects)
        .newest_sent()
        .only("project_id", "version")
        .order_by()
        # Counted in subqueries: two Counts over joins multiply invitations by signatures
        # (45,000 rows sorted on disk for one declaration with 300 invitations and 150 signed).
        .annotate(
            signed=_count(Signature.objects.filter(declaration=OuterRef("pk"), decision="signed")),
            invited=_count(
                Invitation.objects.filter(declaration=OuterRef("pk")).exclude(
                    status=InvitationStatus.WITHDRAWN
                )
            ),
        )
    )
    by_project = {declaration.project_id: declaration for declaration in sent}
    declarations = []
    for project in projects:
        if project.pk in by_project:
            by_project[project.pk].project = project
            declarations.append(by_project[project.pk])
    return declarations


PANELS = {
    "dashboard": [(50, declaration_dashboard)],
    "project_overview": [(50, declaration_progress)],
}
