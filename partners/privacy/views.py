"""Privacy views: what is stored about a contact person, its JSON export, and anonymisation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kvu.access import get_project_for_user
from partners.access import get_person_for_user
from partners.privacy.services import (
    anonymise_person,
    export_person_json,
    mentions,
    readable_person,
)


def _person(request, project_pk, pk):
    # Personal data of a contact person is for those who may change the project's data.
    project = get_project_for_user(request.user, project_pk, write=True)
    return project, get_person_for_user(request.user, project, pk, write=True)


def person_privacy(request, project_pk, pk):
    project, person = _person(request, project_pk, pk)
    return render(
        request,
        "partners/privacy/person.html",
        {
            "project": project,
            "person": person,
            "organisation": person.organisation,
            "stored": readable_person(person),
            "mentions": [] if person.anonymised_at else mentions(person),
        },
    )


def person_export(request, project_pk, pk):
    _project, person = _person(request, project_pk, pk)
    response = HttpResponse(
        export_person_json(person), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="persoon-{person.pk}.json"'
    return response


@require_POST
def person_anonymise(request, project_pk, pk):
    project, person = _person(request, project_pk, pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm the anonymisation."))
        return redirect("person_privacy", project.pk, person.pk)
    anonymise_person(person=person, redact=request.POST.getlist("redact"))
    messages.success(request, _("The contact person has been anonymised."))
    return redirect("person_privacy", project.pk, person.pk)


@login_not_required
def privacy_statement(request):
    return render(request, "privacy.html")
