"""Views of step 4: the plan's home page and texts, the measures matrix, adoption, the PDF."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from analysis.models import Analysis
from kvu.access import get_project_for_user
from kvu.http import refuse, safe_next
from kvu.pdf import pdf_response, render_pdf
from plans.access import get_measure_for_user, get_plan_for_user, get_version_for_user
from plans.models import Plan
from plans.plan import guide as plan_guide
from plans.plan import services, versions
from plans.plan.forms import AdoptForm, MeasureForm, PlanTextsForm, SharedForm
from plans.services import PlanError, start_plan


def _form_page(request, project, form, *, heading, back, what=""):
    return render(
        request,
        "plans/plan/form.html",
        {"project": project, "form": form, "heading": heading, "back": back, "what": what},
    )


def _plan_url(project):
    return reverse("plan_detail", args=[project.pk])


def _matrix_url(project):
    return reverse("measure_matrix", args=[project.pk])


# --- the plan's home page ---


@require_GET
def plan_detail(request, project_pk):
    project = get_project_for_user(request.user, project_pk)
    plan = Plan.objects.current(project)
    context = {"project": project, "plan": plan}
    if plan is None:
        context["has_analysis"] = Analysis.objects.filter(project=project).exists()
        return render(request, "plans/plan/detail.html", context)
    plan.project = project
    content = versions.snapshot(plan)
    # The list without the snapshots; only the newest one's is read, to compare with.
    adopted = list(plan.versions.select_related("adopted_in").defer("content").order_by("-number"))
    newest = plan.versions.only("content").get(pk=adopted[0].pk) if adopted else None
    context.update(
        {
            "plan_view": versions.read(content),
            "state": plan_guide.states([project])[project.pk],
            "versions": adopted,
            "differs": newest is not None and versions.differs(content, newest.content),
        }
    )
    if project.user_can_write:
        context["adopt_form"] = AdoptForm(project=project)
        context["share_form"] = SharedForm(
            initial={
                "shared_on": plan.shared_on or timezone.localdate(),
                "shared_with": plan.shared_with,
            }
        )
    return render(request, "plans/plan/detail.html", context)


@require_POST
def plan_start(request, project_pk):
    project = get_project_for_user(request.user, project_pk, write=True)
    try:
        start_plan(project=project, user=request.user)
    except PlanError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The plan of approach has started."))
    return redirect(_plan_url(project))


@require_http_methods(["GET", "POST"])
def plan_edit(request, project_pk):
    project, plan = get_plan_for_user(request.user, project_pk, write=True)
    form = PlanTextsForm(request.POST or None, instance=plan)
    back = _plan_url(project)
    if request.method == "POST":
        if form.is_valid():
            services.save_texts(
                plan=plan, fields={name: form.cleaned_data[name] for name in form.fields}
            )
            messages.success(request, _("The texts of the plan have been saved."))
            return redirect(back)
        refuse(request, form)
    return _form_page(
        request,
        project,
        form,
        heading=_("Texts of the plan"),
        back=back,
        what=_(
            "An adopted version keeps these texts as they were, also when a person is later "
            "anonymised: write about organisations and roles, not about named people."
        ),
    )


# --- the measures matrix ---


@require_GET
def measure_matrix(request, project_pk):
    project, plan = get_plan_for_user(request.user, project_pk)
    return render(
        request,
        "plans/plan/matrix.html",
        {"project": project, "plan": plan, "plan_view": versions.read(versions.snapshot(plan))},
    )


@require_http_methods(["GET", "POST"])
def measure_add(request, project_pk):
    project, plan = get_plan_for_user(request.user, project_pk, write=True)
    initial = {}
    knelpunt = request.GET.get("knelpunt", "")
    if knelpunt.isdigit() and len(knelpunt) < 19:
        initial["knelpunt"] = int(knelpunt)
    form = MeasureForm(request.POST or None, plan=plan, initial=initial)
    back = _matrix_url(project)
    if request.method == "POST":
        if form.is_valid():
            fields = {
                name: form.cleaned_data[name]
                for name in form.fields
                if name not in ("contributors", "baseline_figure")
            }
            measure = services.add_measure(
                plan=plan, fields=fields, contributors=form.cleaned_data["contributors"]
            )
            messages.success(request, _("The measure has been saved."))
            return redirect(back + f"#measure-{measure.pk}")
        refuse(request, form)
    return _form_page(request, project, form, heading=_("New measure"), back=back)


@require_http_methods(["GET", "POST"])
def measure_edit(request, project_pk, pk):
    project, plan, measure = get_measure_for_user(request.user, project_pk, pk, write=True)
    form = MeasureForm(request.POST or None, instance=measure, plan=plan)
    back = safe_next(request, _matrix_url(project) + f"#measure-{measure.pk}")
    if request.method == "POST":
        if form.is_valid():
            services.save_measure(
                measure=form.save(commit=False), contributors=form.cleaned_data["contributors"]
            )
            messages.success(request, _("The measure has been saved."))
            return redirect(back)
        refuse(request, form)
    return _form_page(request, project, form, heading=_("Edit measure"), back=back)


@require_http_methods(["GET", "POST"])
def measure_delete(request, project_pk, pk):
    project, _plan, measure = get_measure_for_user(request.user, project_pk, pk, write=True)
    back = _matrix_url(project)
    if request.method == "POST":
        services.delete_measure(measure=measure)
        messages.success(request, _("The measure has been deleted."))
        return redirect(back)
    return render(
        request,
        "kvu/confirm.html",
        {
            "project": project,
            "heading": _("Delete this measure?"),
            "what": "",
            "lines": [
                (_("Measure"), measure.title),
                (_("Knelpunt"), measure.knelpunt.title if measure.knelpunt else "–"),
                (_("Indicator"), measure.indicator),
            ],
            "warning": _(
                "The measure disappears from the live plan. Versions adopted earlier keep it; "
                "the change log keeps what it said."
            ),
            "submit": _("Delete measure"),
            "back": back,
        },
    )


# --- adopting and sharing ---


@require_POST
def plan_adopt(request, project_pk):
    project, plan = get_plan_for_user(request.user, project_pk, write=True)
    form = AdoptForm(request.POST, project=project)
    if not form.is_valid():
        refuse(request, form)
        return redirect(_plan_url(project) + "#adopt")
    try:
        version = services.adopt_plan(
            plan=plan, meeting=form.cleaned_data["meeting"], user=request.user
        )
    except PlanError as error:
        messages.error(request, str(error))
        return redirect(_plan_url(project) + "#adopt")
    messages.success(
        request,
        _("Recorded: the working group adopted version %(number)s in %(meeting)s.")
        % {"number": version.number, "meeting": version.adopted_in},
    )
    return redirect("plan_version", project.pk, version.number)


@require_POST
def plan_shared(request, project_pk):
    project, plan = get_plan_for_user(request.user, project_pk, write=True)
    form = SharedForm(request.POST)
    if form.is_valid():
        services.share_plan(
            plan=plan, on=form.cleaned_data["shared_on"], with_whom=form.cleaned_data["shared_with"]
        )
        messages.success(request, _("Recorded: the plan has been shared."))
    else:
        refuse(request, form)
    return redirect(_plan_url(project) + "#shared")


# --- adopted versions and the PDF ---


@require_GET
def plan_version(request, project_pk, number):
    project, plan, version = get_version_for_user(request.user, project_pk, number)
    return render(
        request,
        "plans/plan/version.html",
        {
            "project": project,
            "plan": plan,
            "version": version,
            "plan_view": versions.read(version.content),
            "changes": [line for line in version.changes.splitlines() if line.strip()],
        },
    )


def _pdf(request, project, plan, content, version=None):
    context = {
        "project": project,
        "plan": plan,
        "version": version,
        "plan_view": versions.read(content),
        "today": timezone.localdate(),
        "changes": [line for line in version.changes.splitlines() if line.strip()]
        if version
        else [],
        "pdf": True,
    }
    pdf = render_pdf("pdf/plan.html", context, request=request)
    name = slugify(project.name) or "project"
    suffix = f"-versie-{version.number}" if version else ""
    return pdf_response(pdf, f"plan-van-aanpak-{name}{suffix}.pdf")


@require_GET
def plan_pdf(request, project_pk):
    project, plan = get_plan_for_user(request.user, project_pk)
    content = versions.snapshot(plan)
    latest = plan.versions.order_by("-number").first()
    if latest is not None and not versions.differs(content, latest.content):
        # The plan is as adopted: its PDF says so, as the version's own PDF does.
        return _pdf(request, project, plan, latest.content, latest)
    return _pdf(request, project, plan, content)


@require_GET
def plan_version_pdf(request, project_pk, number):
    project, plan, version = get_version_for_user(request.user, project_pk, number)
    return _pdf(request, project, plan, version.content, version)
