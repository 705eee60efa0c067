"""Views of the concerns: the project's working list, and add / edit / delete per partner."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kvu.access import get_project_for_user
from kvu.concurrency import save_locked
from kvu.http import safe_next
from partners.access import get_participation_for_user
from partners.concerns import selectors, services
from partners.concerns.access import get_concern_for_user
from partners.concerns.filters import ConcernFilter
from partners.concerns.forms import ConcernForm

PAGE_SIZE = 25


def concern_list(request, project_pk):
    project = get_project_for_user(request.user, project_pk)
    filterset = ConcernFilter(request.GET or None, queryset=selectors.of_project(project))
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "partners/concerns/list.html",
        {
            "project": project,
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "today": timezone.localdate(),
        },
    )


def _form_page(request, project, participation, form, *, heading, back):
    return render(
        request,
        "partners/concerns/form.html",
        {
            "project": project,
            "participation": participation,
            "form": form,
            "heading": heading,
            "back": back,
        },
    )


def _refused(request):
    messages.error(request, _("Nothing has been saved; correct the fields with a message."))


@require_http_methods(["GET", "POST"])
def concern_create(request, project_pk, pk):
    project, participation = get_participation_for_user(request.user, project_pk, pk, write=True)
    back = safe_next(request, participation.get_absolute_url())
    form = ConcernForm(request.POST or None, participation=participation)
    if request.method == "POST":
        if form.is_valid():
            data = {name: value for name, value in form.cleaned_data.items() if name != "version"}
            services.add_concern(participation=participation, **data)
            messages.success(request, _("The concern has been added."))
            return redirect(back)
        _refused(request)
    return _form_page(request, project, participation, form, heading=_("Add a concern"), back=back)


@require_http_methods(["GET", "POST"])
def concern_edit(request, project_pk, pk, concern_pk):
    project, participation, concern = get_concern_for_user(
        request.user, project_pk, pk, concern_pk, write=True
    )
    back = safe_next(request, participation.get_absolute_url())
    form = ConcernForm(request.POST or None, instance=concern, participation=participation)
    if request.method == "POST":
        if save_locked(form):
            messages.success(request, _("The concern has been saved."))
            return redirect(back)
        _refused(request)
    return _form_page(request, project, participation, form, heading=_("Edit concern"), back=back)


@require_http_methods(["GET", "POST"])
def concern_delete(request, project_pk, pk, concern_pk):
    project, participation, concern = get_concern_for_user(
        request.user, project_pk, pk, concern_pk, write=True
    )
    back = safe_next(request, participation.get_absolute_url())
    if request.method == "POST":
        services.delete_concern(concern=concern)
        messages.success(request, _("The concern has been deleted."))
        return redirect(back)
    return render(
        request,
        "partners/concerns/confirm_delete.html",
        {"project": project, "participation": participation, "concern": concern, "back": back},
    )
