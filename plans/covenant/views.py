"""Views of step 5 in plans: the partners' commitments and the covenant's first draft.

The covenant's other pages (status, edit, invitations, signing, PDF, departures) are the
signed-document engine's (partners/declaration/), wired in plans/covenant/urls.py.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kvu.http import refuse, safe_next
from partners.declaration import services as document_services
from partners.models import Declaration, DocumentKind
from plans.covenant import selectors, services
from plans.covenant.access import (
    get_commitment_for_user,
    get_plan_for_user,
    get_project_plan_for_user,
)
from plans.covenant.forms import CommitmentForm
from plans.covenant.texts import covenant_texts, default_term

# Partners a page of the commitments page: a project has tens to a few hundred partners.
PARTNERS_PER_PAGE = 25


def _list_url(project, anchor="", *, commitment=None):
    """The commitments page, on the page that lists the commitment's partner."""
    url = reverse("commitment_list", args=[project.pk])
    if commitment is not None:
        page = selectors.page_of_partner(
            commitment.plan, commitment.participation_id, PARTNERS_PER_PAGE
        )
        url += f"?page={page}" if page > 1 else ""
    return f"{url}#{anchor}" if anchor else url


def _form_page(request, project, form, *, heading, back):
    return render(
        request,
        "plans/covenant/commitment_form.html",
        {"project": project, "form": form, "heading": heading, "back": back},
    )


@require_GET
def commitment_list(request, project_pk):
    """Toezeggingen: per partner what it commits to, beside the measures it is responsible for."""
    project, plan = get_project_plan_for_user(request.user, project_pk)
    page = groups = None
    if plan:
        page = Paginator(selectors.covenant_partners(plan), PARTNERS_PER_PAGE).get_page(
            request.GET.get("page")
        )
        groups = selectors.commitments_by_partner(plan, page.object_list)
    covenant = Declaration.objects.current_for(project, kind=DocumentKind.COVENANT)
    return render(
        request,
        "plans/covenant/commitments.html",
        {
            "project": project,
            "plan": plan,
            "page": page,
            "groups": groups or [],
            "covenant": covenant,
            "committed": selectors.committed_count(plan) if plan else 0,
        },
    )


@require_http_methods(["GET", "POST"])
def commitment_add(request, project_pk):
    project, plan = get_plan_for_user(request.user, project_pk, write=True)
    initial = {}
    partner = request.GET.get("partner", "")
    if partner.isdigit():
        initial["participation"] = partner
    form = CommitmentForm(request.POST or None, plan=plan, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            participation = form.cleaned_data["participation"]
            commitment = services.add_commitment(
                plan=plan, participation=participation, text=form.cleaned_data["text"]
            )
            messages.success(
                request,
                _("The commitment of %(partner)s has been saved.")
                % {"partner": participation.organisation.name},
            )
            return redirect(
                _list_url(project, f"commitment-{commitment.pk}", commitment=commitment)
            )
        refuse(request, form)
    return _form_page(request, project, form, heading=_("New commitment"), back=_list_url(project))


@require_http_methods(["GET", "POST"])
def commitment_edit(request, project_pk, pk):
    project, plan, commitment = get_commitment_for_user(request.user, project_pk, pk, write=True)
    form = CommitmentForm(
        request.POST or None,
        plan=plan,
        initial={"participation": commitment.participation_id, "text": commitment.text},
    )
    back = safe_next(
        request, _list_url(project, f"commitment-{commitment.pk}", commitment=commitment)
    )
    if request.method == "POST":
        if form.is_valid():
            services.save_commitment(
                commitment=commitment,
                participation=form.cleaned_data["participation"],
                text=form.cleaned_data["text"],
            )
            messages.success(request, _("The commitment has been saved."))
            return redirect(back)
        refuse(request, form)
    return _form_page(request, project, form, heading=_("Edit commitment"), back=back)


@require_http_methods(["GET", "POST"])
def commitment_delete(request, project_pk, pk):
    project, _plan, commitment = get_commitment_for_user(request.user, project_pk, pk, write=True)
    back = _list_url(project)
    if request.method == "POST":
        services.delete_commitment(commitment=commitment)
        messages.success(request, _("The commitment has been deleted."))
        return redirect(back)
    return render(
        request,
        "kvu/confirm.html",
        {
            "project": project,
            "heading": _("Delete this commitment?"),
            "what": "",
            "lines": [
                (_("Partner"), commitment.participation.organisation.name),
                (_("Commitment"), commitment.text),
            ],
            "warning": _(
                "The commitment disappears from this list. The covenant's text does not change "
                "by itself: a covenant drafted or sent before keeps what it says until you edit "
                "it. The change log keeps what the commitment said."
            ),
            "submit": _("Delete commitment"),
            "back": back,
        },
    )


@require_POST
def commitment_move(request, project_pk, pk):
    project, _plan, commitment = get_commitment_for_user(request.user, project_pk, pk, write=True)
    if not services.move_commitment(
        commitment=commitment, direction=request.POST.get("direction", "")
    ):
        messages.error(request, _("This commitment cannot move further."))
    return redirect(_list_url(project, f"commitment-{commitment.pk}", commitment=commitment))


@require_POST
def covenant_create(request, pk, kind=DocumentKind.COVENANT):
    """The covenant's first draft, made from the plan of approach and the commitments.

    Wired by the engine's `document_urls`, which passes every page of a kind its `kind`.
    """
    project, plan = get_project_plan_for_user(request.user, pk, write=True)
    if plan is None:
        messages.error(
            request,
            _(
                "There is no plan of approach yet. The covenant is drafted from the plan's "
                "measures and the partners' commitments: start the plan first."
            ),
        )
        return redirect("covenant_detail", pk=project.pk)
    if Declaration.objects.current_for(project, kind=DocumentKind.COVENANT) is None:
        valid_from, valid_until = default_term()
        document_services.create_document(
            project=project,
            kind=DocumentKind.COVENANT,
            user=request.user,
            texts=covenant_texts(plan, project, starts_on=valid_from),
            valid_from=valid_from,
            valid_until=valid_until,
        )
        messages.success(
            request,
            _(
                "A draft has been made from the plan of approach and the partners' "
                "commitments. Adjust it to fit, and check the term."
            ),
        )
    return redirect("covenant_edit", pk=project.pk)
