"""Views of the core app: dashboard and projects."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.i18n import set_language as django_set_language

from kvu.access import get_project_for_user, writable_municipalities
from kvu.forms import ProjectForm
from kvu.models import Membership, Project


def dashboard(request):
    projects = (
        Project.objects.member_of(request.user)
        .select_related("municipality", "project_leader")
        .order_by("municipality__name", "name")
    )
    return render(
        request,
        "kvu/dashboard.html",
        {
            "projects": projects,
            "can_create": writable_municipalities(request.user).exists(),
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
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The project has been saved."))
        return redirect(project)
    return render(request, "kvu/project_form.html", {"form": form, "project": project})


# The language switch must also work on the public pages and the login page.
set_language = login_not_required(django_set_language)
