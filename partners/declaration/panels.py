"""Panels of the intentieverklaring on kvu's pages: the project tab and the signature progress."""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string

from kvu import panels
from kvu.access import member_projects
from partners.declaration.services import role_progress
from partners.models import Declaration, Invitation, InvitationStatus, Signature


def _count(queryset):
    """COUNT(*) of a correlated queryset, as a subquery (0 when there are no rows)."""
    counted = queryset.order_by().values("declaration").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted[:1]), 0)


@panels.register("project_nav", order=50)
def declaration_tab(request, *, project):
    return render_to_string(
        "partners/declaration/_nav_tab.html", {"project": project}, request=request
    )


@panels.register("project_overview", order=50)
def declaration_progress(request, *, project):
    declaration = Declaration.objects.current_for(project)
    return render_to_string(
        "partners/declaration/_overview_panel.html",
        {
            "project": project,
            "declaration": declaration,
            "progress": role_progress(declaration) if declaration else [],
        },
        request=request,
    )


@panels.register("dashboard", order=50)
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
    """The newest sent declaration of each of `projects` that has one, with its counts."""
    newest = Declaration.objects.filter(project=OuterRef("project_id")).order_by("-version")
    declarations = (
        Declaration.objects.filter(project__in=projects, frozen_at__isnull=False)
        .filter(pk=Subquery(newest.values("pk")[:1]))
        .select_related("project")
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
    return list(declarations)
