"""Pages of the walk-through (schouw): its rounds, the findings recorded on a phone, the report."""

import base64
import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, prefetch_related_objects
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from analysis.access import (
    get_analysis_for_user,
    get_finding_for_user,
    get_walk_through_for_user,
)
from analysis.walkthrough import selectors, services
from analysis.walkthrough.forms import (
    PER_CATEGORY,
    PER_STREET,
    FindingFilterForm,
    FindingForm,
    FindingPhotoForm,
    WalkThroughForm,
)
from kvu.pdf import pdf_response, render_pdf
from partners.models import Participation

PAGE_SIZE = 25  # findings a page: each is a card with a photo, read on a phone
SAVED = "opgeslagen"  # the query parameter that tells the finding form's script to forget


def _with_participants(walks):
    prefetch_related_objects(
        walks,
        Prefetch("partners", queryset=Participation.objects.select_related("organisation")),
        "colleagues",
    )


def _list_url(project):
    return reverse("walk_through_list", args=[project.pk])


def _saved_url(walk, finding):
    return f"{walk.get_absolute_url()}?{SAVED}={finding.pk}#finding-{finding.pk}"


# --- walk-throughs ---------------------------------------------------------------------------


@require_GET
def walk_through_list(request, project_pk):
    project, analysis = get_analysis_for_user(request.user, project_pk)
    walks = list(analysis.walk_throughs.annotate(finding_count=Count("findings")))
    _with_participants(walks)
    return render(
        request,
        "analysis/walkthrough/list.html",
        {"project": project, "analysis": analysis, "walks": walks},
    )


@require_http_methods(["GET", "POST"])
def walk_through_create(request, project_pk):
    project, analysis = get_analysis_for_user(request.user, project_pk, write=True)
    form = WalkThroughForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        walk = services.create_walk_through(
            analysis=analysis, user=request.user, data=dict(form.cleaned_data)
        )
        messages.success(request, _("The walk-through has been planned."))
        return redirect(walk.get_absolute_url())
    return render(
        request,
        "analysis/walkthrough/form.html",
        {"project": project, "form": form, "heading": _("New walk-through")},
    )


@require_http_methods(["GET", "POST"])
def walk_through_edit(request, project_pk, pk):
    project, _analysis, walk = get_walk_through_for_user(request.user, project_pk, pk, write=True)
    form = WalkThroughForm(request.POST or None, instance=walk, project=project)
    if request.method == "POST" and form.is_valid():
        services.update_walk_through(walk_through=walk, data=dict(form.cleaned_data))
        messages.success(request, _("The walk-through has been saved."))
        return redirect(walk.get_absolute_url())
    return render(
        request,
        "analysis/walkthrough/form.html",
        {"project": project, "form": form, "walk": walk, "heading": _("Edit walk-through")},
    )


@require_http_methods(["GET", "POST"])
def walk_through_delete(request, project_pk, pk):
    project, _analysis, walk = get_walk_through_for_user(request.user, project_pk, pk, write=True)
    if request.method == "POST":
        services.delete_walk_through(walk_through=walk)
        messages.success(request, _("The walk-through has been deleted."))
        return redirect(_list_url(project))
    count = walk.findings.count()
    return render(
        request,
        "kvu/confirm.html",
        {
            "project": project,
            "heading": _("Delete this walk-through?"),
            "what": str(walk),
            "lines": [
                (_("Route"), walk.route or "–"),
                (_("Findings"), str(count)),
            ],
            "warning": _(
                "The walk-through, its findings and their photos are deleted. The change log "
                "keeps what they said."
            ),
            "submit": _("Delete walk-through"),
            "back": walk.get_absolute_url(),
        },
    )


@require_GET
def walk_through_detail(request, project_pk, pk):
    project, analysis, walk = get_walk_through_for_user(request.user, project_pk, pk)
    _with_participants([walk])
    findings = selectors.per_street(selectors.findings_shown(walk.findings.all()))
    page = Paginator(findings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "analysis/walkthrough/detail.html",
        {
            "project": project,
            "analysis": analysis,
            "walk": walk,
            "page": page,
            "groups": selectors.grouped(page.object_list, selectors.street_label),
            "saved": request.GET.get(SAVED, "").isdigit(),
        },
    )


# --- findings --------------------------------------------------------------------------------


def _finding_form_page(request, project, walk, form, *, finding=None, photo_form=None):
    return render(
        request,
        "analysis/walkthrough/finding_form.html",
        {
            "project": project,
            "walk": walk,
            "form": form,
            "finding": finding,
            "photo_form": photo_form,
        },
    )


@require_http_methods(["GET", "POST"])
def finding_add(request, project_pk, walk_through_pk):
    project, _analysis, walk = get_walk_through_for_user(
        request.user, project_pk, walk_through_pk, write=True
    )
    if request.method == "GET":
        # A fresh key per form: sending this form twice records the finding once.
        form = FindingForm(walk_through=walk, initial={"client_key": uuid.uuid4()})
        return _finding_form_page(request, project, walk, form)
    form = FindingForm(request.POST, request.FILES, walk_through=walk)
    if not form.is_valid():
        return _finding_form_page(request, project, walk, form)
    data = {name: form.cleaned_data[name] for name in FindingForm.Meta.fields}
    finding, created = services.record_finding(
        walk_through=walk,
        user=request.user,
        client_key=form.cleaned_data["client_key"],
        data=data,
        photo=form.photo_bytes,
        keep_location=form.cleaned_data["keep_location"],
    )
    if created:
        messages.success(request, _("The finding has been saved."))
    else:
        messages.info(request, _("This finding had already been saved; it is saved once."))
    return redirect(_saved_url(walk, finding))


@require_http_methods(["GET", "POST"])
def finding_edit(request, project_pk, walk_through_pk, pk):
    project, _analysis, walk, finding = get_finding_for_user(
        request.user, project_pk, walk_through_pk, pk, write=True
    )
    form = FindingForm(request.POST or None, instance=finding, walk_through=walk, with_photo=False)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in FindingForm.Meta.fields}
        services.update_finding(finding=finding, data=data)
        messages.success(request, _("The finding has been saved."))
        return redirect(_saved_url(walk, finding))
    return _finding_form_page(
        request, project, walk, form, finding=finding, photo_form=FindingPhotoForm()
    )


@require_POST
def finding_photo(request, project_pk, walk_through_pk, pk):
    project, _analysis, walk, finding = get_finding_for_user(
        request.user, project_pk, walk_through_pk, pk, write=True
    )
    form = FindingPhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        problems = " ".join(str(e) for errors in form.errors.values() for e in errors)
        messages.error(
            request, _("The photo has not been saved: %(problems)s") % {"problems": problems}
        )
        return redirect("finding_edit", project.pk, walk.pk, finding.pk)
    services.set_finding_photo(
        finding=finding,
        user=request.user,
        photo=form.photo_bytes,
        keep_location=form.cleaned_data["keep_location"],
    )
    messages.success(request, _("The photo has been saved."))
    return redirect(_saved_url(walk, finding))


@require_http_methods(["GET", "POST"])
def finding_delete(request, project_pk, walk_through_pk, pk):
    project, _analysis, walk, finding = get_finding_for_user(
        request.user, project_pk, walk_through_pk, pk, write=True
    )
    if request.method == "POST":
        services.delete_finding(finding=finding)
        messages.success(request, _("The finding has been deleted."))
        return redirect(walk.get_absolute_url())
    return render(
        request,
        "kvu/confirm.html",
        {
            "project": project,
            "heading": _("Delete this finding?"),
            "what": str(walk),
            "lines": [
                (_("Street"), finding.street.name if finding.street_id else "–"),
                (_("Category"), finding.get_category_display()),
                (_("Severity"), finding.get_severity_display()),
                (_("What is wrong"), finding.description),
            ],
            "warning": _(
                "The finding and its photo are deleted. The change log keeps what it said."
            ),
            "submit": _("Delete finding"),
            "back": walk.get_absolute_url(),
        },
    )


@require_GET
def finding_list(request, project_pk):
    """All findings of the analysis, per street or per category, filtered and paged."""
    project, analysis = get_analysis_for_user(request.user, project_pk)
    form = FindingFilterForm(
        request.GET or None,
        walk_throughs=analysis.walk_throughs.all(),
        streets=analysis.streets.all(),
    )
    findings = selectors.findings_shown().filter(walk_through__analysis=analysis)
    filters = form.filters() if form.is_bound else {}
    findings = findings.filter(**filters)
    per = form.grouping() if form.is_bound else PER_STREET
    if per == PER_CATEGORY:
        findings, label = selectors.per_category(findings), selectors.category_label
    else:
        findings, label = selectors.per_street(findings), selectors.street_label
    page = Paginator(findings, PAGE_SIZE).get_page(request.GET.get("page"))
    # Each card names its walk-through: its name and link are made once per walk-through.
    walk_links = {
        walk.pk: (walk.get_absolute_url(), str(walk)) for walk in analysis.walk_throughs.all()
    }
    for finding in page.object_list:
        finding.walk_url, finding.walk_label = walk_links[finding.walk_through_id]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "analysis/walkthrough/finding_list.html",
        {
            "project": project,
            "analysis": analysis,
            "form": form,
            "per": per,
            "page": page,
            "groups": selectors.grouped(page.object_list, label),
            "query": query.urlencode(),
        },
    )


# --- the report ------------------------------------------------------------------------------


PDF_FINDINGS = 100


def _street_order(finding):
    """selectors.per_street's order, in Python: the leader's street order (no street last),
    red first, oldest first."""
    street = finding.street
    return (
        street is None,
        street.position if street else 0,
        street.name if street else "",
        finding.severity_rank,
        finding.pk,
    )


def _data_uri(document) -> str:
    """The stored photo as a data: URI, so that the PDF needs no request for it."""
    try:
        with document.storage.open(document.stored_name, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        return ""
    return f"data:{document.content_type_detected};base64," + base64.b64encode(data).decode()


@require_GET
def walk_through_pdf(request, project_pk, pk):
    project, analysis, walk = get_walk_through_for_user(request.user, project_pk, pk)
    _with_participants([walk])
    # Bounded: the PDF holds at most PDF_FINDINGS findings (red first, then orange and green,
    # newest first), each with its photo; the rest are on the findings list.
    total = walk.findings.count()
    chosen = list(
        selectors.findings_shown(walk.findings.all())
        .select_related("photo")
        .order_by("severity_rank", "-created_at", "-pk")[:PDF_FINDINGS]
    )
    findings = sorted(chosen, key=_street_order)
    for finding in findings:
        finding.photo_uri = _data_uri(finding.photo) if finding.photo_id else ""
    context = {
        "project": project,
        "analysis": analysis,
        "walk": walk,
        "groups": selectors.grouped(findings, selectors.street_label),
        "count": total,
        "shown": len(findings),
        "findings_url": request.build_absolute_uri(
            reverse("finding_list", args=[project.pk]) + f"?walk_through={walk.pk}"
        ),
        "generated_at": timezone.now(),
    }
    pdf = render_pdf("pdf/walk_through.html", context, request=request, stamp="generated_at")
    return pdf_response(pdf, f"schouw-{walk.date:%Y-%m-%d}-{walk.pk}.pdf")
