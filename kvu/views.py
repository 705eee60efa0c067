"""Views of the core app: dashboard and projects."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.i18n import set_language as django_set_language

from kvu import audit, audit_display
from kvu.access import (
    get_municipality_for_user,
    get_project_for_user,
    member_projects,
    writable_municipalities,
)
from kvu.concurrency import save_locked
from kvu.forms import ProjectForm
from kvu.models import Membership, Project


def dashboard(request):
    projects = member_projects(request)
    return render(
        request,
        "kvu/dashboard.html",
        {
            "projects": projects,
            "writable": [project.pk for project in projects if project.user_can_write],
            "can_create": writable_municipalities(request.user).exists(),
            # Staff see every project, the first ones here (kvu/access.py STAFF_PROJECTS_SHOWN).
            "staff_total": Project.objects.count() if request.user.is_staff else None,
        },
    )


@require_http_methods(["GET", "POST"])
def project_create(request):
    if not writable_municipalities(request.user).exists():
        raise PermissionDenied
    form = ProjectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        project = form.save()
        messages.success(request, _("Project “%(name)s” has been created.") % {"name": project})
        return redirect(project)
    return render(request, "kvu/project_form.html", {"form": form})


def project_detail(request, pk):
    project = get_project_for_user(request.user, pk)
    return render(
        request,
        "kvu/project_detail.html",
        {"project": project, "roles": Membership.Role.choices},
    )


@require_http_methods(["GET", "POST"])
def project_edit(request, pk):
    project = get_project_for_user(request.user, pk, write=True)
    form = ProjectForm(request.POST or None, instance=project, user=request.user)
    if request.method == "POST" and save_locked(form):
        messages.success(request, _("The project has been saved."))
        return redirect(project)
    return render(request, "kvu/project_form.html", {"form": form, "project": project})


def audit_log(request, municipality_pk):
    """The audit trail of one municipality, read-only, for its leaders and for staff."""
    municipality = get_municipality_for_user(request.user, municipality_pk, leader=True)
    filterset = audit_display.ChangeLogFilter(
        request.GET or None,
        queryset=audit.entries_for_municipality(municipality.pk),
        municipality=municipality,
    )
    page = Paginator(filterset.qs, audit_display.PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = audit_display.lines(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "kvu/audit_log.html",
        {
            "municipality": municipality,
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
        },
    )


# The language switch must also work on the public pages and the login page.
set_language = login_not_required(django_set_language)


@login_not_required
def accessibility_statement(request):
    """The public accessibility statement (toegankelijkheidsverklaring)."""
    return render(request, "kvu/accessibility.html")
