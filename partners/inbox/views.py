"""The inbox pages: the project's logging address, its waiting e-mails, assigning, discarding."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models.functions import Lower
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kvu.access import get_project_for_user
from partners.inbox import selectors, services
from partners.inbox.access import get_message_for_user
from partners.inbox.forms import AssignForm
from partners.inbox.models import InboundStatus, LoggingAddress
from partners.models import Participation, Person

INBOX_PAGE_SIZE = 25


def contact_inbox(request, project_pk):
    project = get_project_for_user(request.user, project_pk)
    page = Paginator(selectors.waiting_messages(project), INBOX_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "partners/inbox/list.html",
        {
            "project": project,
            "page": page,
            "address": LoggingAddress.objects.filter(project=project).first(),
        },
    )


def _initial(project, message) -> dict:
    """The partner and persons the message's addresses name, to start the form with."""
    persons = list(
        Person.objects.annotate(address=Lower("email"))
        .filter(organisation__participations__project=project, address__in=message.addresses)
        .exclude(email="")
        .values_list("pk", "organisation_id")
    )
    organisations = {organisation for _pk, organisation in persons}
    participation = None
    if len(organisations) == 1:
        participation = (
            Participation.objects.filter(project=project, organisation_id=organisations.pop())
            .values_list("pk", flat=True)
            .first()
        )
    return {
        "persons": [pk for pk, _organisation in persons],
        "participation": participation,
        "direction": message.direction,
    }


@require_http_methods(["GET", "POST"])
def inbox_message(request, project_pk, pk):
    write = request.method == "POST"
    project, message = get_message_for_user(request.user, project_pk, pk, write=write)
    waiting = message.status == InboundStatus.WAITING
    form = None
    if waiting and project.user_can_write:
        if request.method == "POST":
            form = AssignForm(request.POST, project=project)
        else:
            form = AssignForm(project=project, initial=_initial(project, message))
    if request.method == "POST":
        if form is None:
            messages.error(request, _("This e-mail has already been handled by someone else."))
            return redirect("contact_inbox", project_pk=project.pk)
        if form.is_valid():
            try:
                moment = services.assign_message(
                    message=message,
                    participation=form.cleaned_data["participation"],
                    persons=form.cleaned_data["persons"],
                    direction=form.cleaned_data["direction"],
                    user=request.user,
                )
            except services.InboxError as error:
                messages.error(request, str(error))
                return redirect("contact_inbox", project_pk=project.pk)
            messages.success(
                request,
                _("The e-mail is now in the log as a contact with %(name)s.")
                % {"name": moment.participation.organisation.name},
            )
            return redirect("contact_inbox", project_pk=project.pk)
    return render(
        request,
        "partners/inbox/message.html",
        {"project": project, "message": message, "form": form, "waiting": waiting},
    )


@require_POST
def inbox_message_discard(request, project_pk, pk):
    project, message = get_message_for_user(request.user, project_pk, pk, write=True)
    try:
        services.discard_message(message=message, user=request.user)
    except services.InboxError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The e-mail has been discarded."))
    return redirect("contact_inbox", project_pk=project.pk)


@require_http_methods(["GET", "POST"])
def logging_address_replace(request, project_pk):
    project = get_project_for_user(request.user, project_pk, write=True)
    address = LoggingAddress.objects.filter(project=project).first()
    if request.method == "POST":
        replaced = address is not None
        address = services.replace_logging_address(project=project, user=request.user)
        if replaced:
            text = _("The logging address is now %(address)s; the previous one no longer works.")
        else:
            text = _("The logging address of this project is %(address)s.")
        messages.success(request, text % {"address": address.email})
        return redirect(reverse("contact_log", args=[project.pk]) + "#logging-address")
    return render(
        request, "partners/inbox/replace_address.html", {"project": project, "address": address}
    )
