"""Views of the report part: conclusions and recommendations, knelpunten, the analysis report."""

from django.contrib import messages
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from analysis.access import (
    get_analysis_for_user,
    get_conclusion_for_user,
    get_knelpunt_for_user,
)
from analysis.models import Conclusion, ConclusionKind
from analysis.report import selectors, services
from analysis.report.forms import (
    AgreedForm,
    ConclusionForm,
    KnelpuntForm,
    ReportTextsForm,
    SharedForm,
)
from kvu.http import refuse, safe_next
from kvu.pdf import pdf_response, render_pdf


def _form_page(
    request, project, form, *, heading, back, parent_url, parent_label, what="", hidden=None
):
    return render(
        request,
        "analysis/report/form.html",
        {
            "project": project,
            "form": form,
            "heading": heading,
            "back": back,
            "parent_url": parent_url,
            "parent_label": parent_label,
            "what": what,
            "hidden": hidden or {},
        },
    )


# --- conclusions and recommendations ---


def _conclusions_url(project):
    return reverse("conclusion_list", args=[project.pk])


@require_GET
def conclusion_list(request, project_pk):
    project, analysis = get_analysis_for_user(request.user, project_pk)
    conclusions, recommendations = selectors.split_conclusions(selectors.conclusions_of(analysis))
    agreed_in = analysis.conclusions_agreed_in  # one query: the meeting, or none
    return render(
        request,
        "analysis/report/conclusion_list.html",
        {
            "project": project,
            "analysis": analysis,
            "groups": [
                (ConclusionKind.CONCLUSION, _("Conclusions"), conclusions),
                (ConclusionKind.RECOMMENDATION, _("Recommendations"), recommendations),
            ],
            "agreed_in": agreed_in,
            "agree_form": AgreedForm(
                project=project, initial={"meeting": analysis.conclusions_agreed_in_id}
            )
            if project.user_can_write
            else None,
        },
    )


@require_http_methods(["GET", "POST"])
def conclusion_add(request, project_pk):
    project, analysis = get_analysis_for_user(request.user, project_pk, write=True)
    initial = {}
    if request.GET.get("soort") in ConclusionKind.values:
        initial["kind"] = request.GET["soort"]
    form = ConclusionForm(request.POST or None, analysis=analysis, initial=initial)
    back = _conclusions_url(project)
    if request.method == "POST":
        if form.is_valid():
            services.add_conclusion(
                analysis=analysis,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                evidence=form.evidence,
            )
            messages.success(request, _("The conclusion has been saved."))
            return redirect(back)
        refuse(request, form)
    return _form_page(
        request,
        project,
        form,
        heading=_("New conclusion or recommendation"),
        back=back,
        parent_url=back,
        parent_label=_("Conclusions and recommendations"),
    )


@require_http_methods(["GET", "POST"])
def conclusion_edit(request, project_pk, pk):
    project, analysis, conclusion = get_conclusion_for_user(
        request.user, project_pk, pk, write=True
    )
    form = ConclusionForm(request.POST or None, instance=conclusion, analysis=analysis)
    back = safe_next(request, _conclusions_url(project) + f"#conclusion-{conclusion.pk}")
    if request.method == "POST":
        if form.is_valid():
            services.save_conclusion(conclusion=form.save(commit=False), evidence=form.evidence)
            messages.success(request, _("The conclusion has been saved."))
            return redirect(back)
        refuse(request, form)
    return _form_page(
        request,
        project,
        form,
        heading=_("Edit conclusion or recommendation"),
        back=back,
        parent_url=_conclusions_url(project),
        parent_label=_("Conclusions and recommendations"),
    )


@require_http_methods(["GET", "POST"])
def conclusion_delete(request, project_pk, pk):
    project, _analysis, conclusion = get_conclusion_for_user(
        request.user, project_pk, pk, write=True
    )
    back = _conclusions_url(project)
    if request.method == "POST":
        services.delete_conclusion(conclusion=conclusion)
        messages.success(request, _("The conclusion has been deleted."))
        return redirect(back)
    return render(
        request,
        "kvu/confirm.html",
        {
            "project": project,
            "heading": _("Delete this conclusion?"),
            "what": "",
            "lines": [
                (_("Kind"), conclusion.get_kind_display()),
                (_("Text"), conclusion.text),
            ],
            "warning": _(
                "The conclusion disappears from the list and from the report; knelpunten made "
                "from it stay. The change log keeps what it said."
            ),
            "submit": _("Delete conclusion"),
            "back": back,
        },
    )


@require_POST
def conclusion_move(request, project_pk, pk):
    project, _analysis, conclusion = get_conclusion_for_user(
        request.user, project_pk, pk, write=True
    )
    if not services.move_conclusion(
        conclusion=conclusion, direction=request.POST.get("direction", "")
    ):
        messages.error(request, _("This conclusion cannot move further."))
    return redirect(_conclusions_url(project) + f"#conclusion-{conclusion.pk}")


@require_POST
def conclusions_agreed(request, project_pk):
    project, analysis = get_analysis_for_user(request.user, project_pk, write=True)
    form = AgreedForm(request.POST, project=project)
    if form.is_valid():
        meeting = form.cleaned_data["meeting"]
        services.agree_conclusions(analysis=analysis, meeting=meeting)
        if meeting:
            messages.success(
                request,
                _("Recorded: the conclusions were agreed in %(meeting)s.") % {"meeting": meeting},
            )
        else:
            messages.success(request, _("Recorded: the conclusions have not been agreed yet."))
    else:
        refuse(request, form)
    return redirect(_conclusions_url(project) + "#agreed")


# --- knelpunten ---


def _knelpunten_url(project):
    return reverse("knelpunt_list", args=[project.pk])


@require_GET
def knelpunt_list(request, project_pk):
    project, analysis = get_analysis_for_user(request.user, project_pk)
    return render(
        request,
        "analysis/report/knelpunt_list.html",
        {
            "project": project,
            "analysis": analysis,
            "knelpunten": list(selectors.knelpunten_of(analysis)),
        },
    )


def _conclusion_of(request, analysis):
    """The conclusion named by ?conclusie=<pk> (a knelpunt made from it), or None."""
    pk = request.GET.get("conclusie") or request.POST.get("conclusie")
    if not pk:
        return None
    try:
        return (
            Conclusion.objects.filter(analysis=analysis)
            .prefetch_related("findings", "figures", "questions", "sources")
            .get(pk=int(pk))
        )
    except (Conclusion.DoesNotExist, ValueError, OverflowError):
        raise Http404 from None


@require_http_methods(["GET", "POST"])
def knelpunt_add(request, project_pk):
    project, analysis = get_analysis_for_user(request.user, project_pk, write=True)
    # Read on GET and POST (the form sends it back as a hidden field): its evidence must stay
    # a valid choice when the form is submitted.
    conclusion = _conclusion_of(request, analysis)
    form = KnelpuntForm(request.POST or None, analysis=analysis, conclusion=conclusion)
    back = _knelpunten_url(project)
    if request.method == "POST":
        if form.is_valid():
            fields = {
                name: form.cleaned_data[name]
                for name in ("theme", "title", "description", "location")
            }
            services.add_knelpunt(
                analysis=analysis,
                fields=fields,
                streets=form.cleaned_data["streets"],
                evidence=form.evidence,
            )
            messages.success(request, _("The knelpunt has been saved."))
            return redirect(back)
        refuse(request, form)
    return _form_page(
        request,
        project,
        form,
        heading=_("New knelpunt"),
        back=back,
        parent_url=back,
        parent_label=_("Knelpunten"),
        what=_("Made from the conclusion: %(text)s") % {"text": conclusion.text[:200]}
        if conclusion
        else "",
        hidden={"conclusie": conclusion.pk} if conclusion else None,
    )


@require_http_methods(["GET", "POST"])
def knelpunt_edit(request, project_pk, pk):
    project, analysis, knelpunt = get_knelpunt_for_user(request.user, project_pk, pk, write=True)
    form = KnelpuntForm(request.POST or None, instance=knelpunt, analysis=analysis)
    back = safe_next(request, _knelpunten_url(project) + f"#knelpunt-{knelpunt.pk}")
    if request.method == "POST":
        if form.is_valid():
            services.save_knelpunt(
                knelpunt=form.save(commit=False),
                streets=form.cleaned_data["streets"],
                evidence=form.evidence,
            )
            messages.success(request, _("The knelpunt has been saved."))
            return redirect(back)
        refuse(request, form)
    return _form_page(
        request,
        project,
        form,
        heading=_("Edit knelpunt"),
        back=back,
        parent_url=_knelpunten_url(project),
        parent_label=_("Knelpunten"),
    )


@require_http_methods(["GET", "POST"])
def knelpunt_delete(request, project_pk, pk):
    project, _analysis, knelpunt = get_knelpunt_for_user(request.user, project_pk, pk, write=True)
    back = _knelpunten_url(project)
    if request.method == "POST":
        try:
            services.delete_knelpunt(knelpunt=knelpunt)
        except (ProtectedError, RestrictedError) as refused:
            blocking = getattr(refused, "protected_objects", None) or refused.restricted_objects
            # The plan of approach's measures rest on it (plans/ protects them): nothing deleted.
            messages.error(
                request,
                ngettext(
                    "The knelpunt has not been deleted: %(count)s measure of the plan of "
                    "approach tackles it. Give that measure another knelpunt or delete it first.",
                    "The knelpunt has not been deleted: %(count)s measures of the plan of "
                    "approach tackle it. Give those measures another knelpunt or delete them "
                    "first.",
                    len(blocking),
                )
                % {"count": len(blocking)},
            )
            return redirect(back)
        messages.success(request, _("The knelpunt has been deleted."))
        return redirect(back)
    return render(
        request,
        "kvu/confirm.html",
        {
            "project": project,
            "heading": _("Delete this knelpunt?"),
            "what": "",
            "lines": [
                (_("Theme"), knelpunt.get_theme_display()),
                (_("Knelpunt"), knelpunt.title),
                (_("Description"), knelpunt.description),
            ],
            "warning": _(
                "The knelpunt disappears from the list and from the report. The change log "
                "keeps what it said."
            ),
            "submit": _("Delete knelpunt"),
            "back": back,
        },
    )


# --- the analysis report ---


def _report_context(project, analysis):
    return {
        "project": project,
        "analysis": analysis,
        "today": timezone.localdate(),
        **selectors.report_data(analysis),
    }


@require_GET
def analysis_report(request, project_pk):
    project, analysis = get_analysis_for_user(request.user, project_pk)
    context = _report_context(project, analysis)
    if project.user_can_write:
        context["share_form"] = SharedForm(
            initial={
                "shared_on": analysis.report_shared_on or timezone.localdate(),
                "shared_with": analysis.report_shared_with,
            }
        )
    return render(request, "analysis/report/report.html", context)


@require_GET
def analysis_report_pdf(request, project_pk):
    project, analysis = get_analysis_for_user(request.user, project_pk)
    context = _report_context(project, analysis)
    context["pdf"] = True
    pdf = render_pdf("pdf/analysis_report.html", context, request=request)
    name = slugify(project.name) or "project"
    return pdf_response(pdf, f"veiligheidsanalyse-{name}.pdf")


@require_http_methods(["GET", "POST"])
def analysis_report_edit(request, project_pk):
    project, analysis = get_analysis_for_user(request.user, project_pk, write=True)
    form = ReportTextsForm(request.POST or None, instance=analysis)
    back = reverse("analysis_report", args=[project.pk])
    if request.method == "POST":
        if form.is_valid():
            services.save_report_texts(
                analysis=analysis,
                introduction=form.cleaned_data["introduction"],
                summary=form.cleaned_data["summary"],
                method=form.cleaned_data["method"],
            )
            messages.success(request, _("The texts of the report have been saved."))
            return redirect(back)
        refuse(request, form)
    return _form_page(
        request,
        project,
        form,
        heading=_("Texts of the report"),
        back=back,
        parent_url=back,
        parent_label=_("Analysis report"),
    )


@require_POST
def report_shared(request, project_pk):
    project, analysis = get_analysis_for_user(request.user, project_pk, write=True)
    form = SharedForm(request.POST)
    if form.is_valid():
        services.share_report(
            analysis=analysis,
            on=form.cleaned_data["shared_on"],
            with_whom=form.cleaned_data["shared_with"],
        )
        messages.success(request, _("Recorded: the report has been shared."))
    else:
        refuse(request, form)
    return redirect(reverse("analysis_report", args=[project.pk]) + "#shared")
