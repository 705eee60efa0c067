"""Views of the phase guide: guide page, step ticks and overrides, gate, timeline, status report."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kvu import guide, panels
from kvu.access import get_project_for_user, projects_of
from kvu.guide_forms import GateForm, OverrideForm, TickForm, TimelineFilterForm
from kvu.guide_services import GateRefused, override_step, pass_gate, tick_step
from kvu.models import CcvStep, GateDecision
from kvu.pdf import pdf_response, render_pdf

CHART = {"width": 600, "height": 220, "left": 44, "right": 16, "top": 14, "bottom": 34}


def course_chart(course):
    """Coordinates for the server-rendered SVG line chart of the support meter's course."""
    if not course:
        return None
    c = CHART
    plot_w = c["width"] - c["left"] - c["right"]
    plot_h = c["height"] - c["top"] - c["bottom"]
    step = plot_w / max(len(course) - 1, 1)

    # Coordinates as strings: a template would localise a float to "14,5" in Dutch.
    def y(score):
        return f"{c['top'] + (100 - score) / 100 * plot_h:.1f}"

    dots = [
        {"x": f"{c['left'] + i * step:.1f}", "y": y(score), "date": day, "score": score}
        for i, (day, score) in enumerate(course)
    ]
    return {
        **c,
        "plot_right": c["width"] - c["right"],
        "baseline": c["height"] - c["bottom"],
        "points": " ".join(f"{d['x']},{d['y']}" for d in dots),
        "dots": dots,
        "grid": [{"value": v, "y": y(v)} for v in (0, 25, 50, 75, 100)],
        "first": dots[0],
        "last": dots[-1],
        "label_y": c["height"] - 10,
    }


def project_guide(project, *, with_course=False, ccv_step=None) -> dict:
    """Everything the guide shows for one project, with a fixed number of queries.

    The guide is that of `ccv_step`, by default of the step the project's pages show
    (guide.shown_step: its current CCV step, or the nearest earlier one with a guide).
    """
    number = ccv_step or guide.shown_step(project)
    projects = guide.Projects([project])
    state = guide.evaluate(projects, ccv_step=number)[project.pk]
    data = {
        # The guide's reading of the project: the overview's panels share the rows it read.
        "reading": projects,
        "state": state,
        "support": guide.support(projects)[project.pk],
        "decision": GateDecision.objects.filter(project=project, from_step=number)
        .select_related("decided_by")
        .first(),
        "gate": {
            "from_step": number,
            "to_step": number + 1,
            "from_label": CcvStep(number).label,
            "to_label": CcvStep(number + 1).label if number < CcvStep.EVALUATION else "",
            "exists": guide.has_gate(number),
            "passed": project.ccv_step > number,
            "applies": project.ccv_step == number and guide.has_gate(number),
            "open": state.required_open,
        },
    }
    if with_course:
        course = guide.course(project)
        data["course"] = course
        data["chart"] = course_chart(course)
    return data


def _asked_step(request, project) -> int:
    """The CCV step whose guide the page was asked for (?stap=3), else the one it shows."""
    try:
        number = int(request.GET.get("stap", ""))
    except ValueError:
        return guide.shown_step(project)
    return number if number in guide.guided_steps() else guide.shown_step(project)


def guide_detail(request, pk):
    project = get_project_for_user(request.user, pk)
    data = project_guide(project, with_course=True, ccv_step=_asked_step(request, project))
    return render(
        request,
        "kvu/guide/guide.html",
        {
            "project": project,
            **data,
            "scale": guide.scale(),
            "guides": [(number, CcvStep(number).label) for number in guide.guided_steps()],
        },
    )


@require_POST
def guide_step(request, pk, step):
    project = get_project_for_user(request.user, pk, write=True)
    if step not in guide.steps_by_key():
        raise Http404
    action = request.POST.get("action")
    number = guide.steps_by_key()[step].ccv_step
    back = reverse("guide", args=[project.pk]) + f"?stap={number}#step-{step}"
    if action == "tick" and guide.steps_by_key()[step].manual:
        form = TickForm(request.POST)
        if form.is_valid():
            tick_step(
                project=project,
                step_key=step,
                user=request.user,
                ticked=form.cleaned_data["ticked"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("The step has been saved."))
            return redirect(back)
    elif action == "override":
        form = OverrideForm(request.POST)
        if form.is_valid():
            override_step(
                project=project,
                step_key=step,
                user=request.user,
                override=form.cleaned_data["override"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("The step has been saved."))
            return redirect(back)
        if "reason" in form.errors:
            messages.error(request, _("Give a reason when you override the derived state."))
            return redirect(back)
    messages.error(request, _("Nothing was changed: the form was not filled in correctly."))
    return redirect(back)


@require_http_methods(["GET", "POST"])
def gate(request, pk):
    """The gate from the project's current CCV step to the next."""
    project = get_project_for_user(request.user, pk, write=True)
    data = project_guide(project)
    gate_data = data["gate"]
    open_steps = [s.step for s in data["state"].required_open]
    form = None
    if gate_data["applies"]:
        form = GateForm(request.POST or None, open_steps=open_steps)
        if request.method == "POST" and form.is_valid():
            try:
                decision = pass_gate(
                    project=project,
                    user=request.user,
                    reason=form.cleaned_data.get("reason", ""),
                    acknowledged=form.cleaned_data.get("acknowledged", []),
                )
            except GateRefused as refused:
                messages.error(request, str(refused))
                return redirect("gate", pk=project.pk)
            moved = {"number": gate_data["to_step"], "step": str(gate_data["to_label"]).lower()}
            if decision:
                messages.success(
                    request,
                    _("The project moved to step %(number)s, %(step)s; your decision is recorded.")
                    % moved,
                )
            else:
                messages.success(
                    request, _("The project moved to step %(number)s, %(step)s.") % moved
                )
            return redirect(project)
    elif request.method == "POST":
        messages.error(request, _("This step has no phase gate in KVU-werkplaats."))
        return redirect("gate", pk=project.pk)
    return render(request, "kvu/guide/gate.html", {"project": project, "form": form, **data})


def timeline(request, pk):
    project = get_project_for_user(request.user, pk)
    form = TimelineFilterForm(request.GET or None)
    kinds = since = until = None
    if form.is_valid():
        kinds = form.cleaned_data["kinds"] or None
        since = form.cleaned_data["since"]
        until = form.cleaned_data["until"]
    entries, next_cursor = guide.timeline(
        project, kinds=kinds, since=since, until=until, cursor=request.GET.get("na"), limit=25
    )
    query = request.GET.copy()
    query.pop("na", None)
    labels = dict(guide.timeline_kinds())
    return render(
        request,
        "kvu/guide/timeline.html",
        {
            "project": project,
            "form": form,
            "entries": [(entry, labels.get(entry.kind, entry.kind)) for entry in entries],
            "next_url": f"?{query.urlencode()}&na={next_cursor}".replace("?&", "?")
            if next_cursor
            else "",
            "is_later_page": bool(request.GET.get("na")),
            "first_url": f"?{query.urlencode()}" if query else "?",
        },
    )


def _report_context(request, project, *, pdf):
    data = project_guide(project, with_course=True)
    return {
        "project": project,
        **data,
        "sections": panels.render("status_report", request, project=project, pdf=pdf),
        # Every gate passed by a recorded decision, also those of earlier steps.
        "decisions": list(
            GateDecision.objects.filter(project=project)
            .select_related("decided_by")
            .order_by("decided_at", "pk")
        ),
        "today": timezone.localdate(),
        "scale": guide.scale(),
        "pdf": pdf,
    }


def status_report(request, pk):
    project = get_project_for_user(request.user, pk)
    return render(
        request, "kvu/guide/status_report.html", _report_context(request, project, pdf=False)
    )


def status_report_pdf(request, pk):
    project = get_project_for_user(request.user, pk)
    pdf = render_pdf(
        "pdf/status_report.html", _report_context(request, project, pdf=True), request=request
    )
    day = timezone.localdate().isoformat()
    return pdf_response(pdf, f"statusrapport-{project.pk}-{day}.pdf")


def _overview_rows(projects) -> dict:
    projects = guide.Projects(projects)
    states = guide.evaluate(projects)
    support = guide.support(projects)
    return {p.pk: {"state": states[p.pk], "support": support[p.pk]} for p in projects}


OVERVIEW_PAGE_SIZE = 50


def projects_overview(request):
    """One page with the state of all the user's projects, for the mayor or the council."""
    # Paged: staff see every project of the installation (issue 18).
    paginator = Paginator(projects_of(request.user), OVERVIEW_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    projects = list(page)
    figures = _overview_rows(projects)
    rows = [{"project": p, **figures[p.pk]} for p in projects]
    return render(
        request,
        "kvu/guide/overview.html",
        {"rows": rows, "today": timezone.localdate(), "page": page},
    )
