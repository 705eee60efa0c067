"""Panels of the intentieverklaring on kvu's pages: the project tab and the signature progress."""

from django.template.loader import render_to_string

from kvu import panels
from partners.declaration_services import role_progress
from partners.models import Declaration


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
