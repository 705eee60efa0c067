"""The analysis' home page (step 3 at a glance) and starting the analysis."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from analysis import guide as analysis_guide
from analysis import services
from analysis.models import Analysis
from analysis.report import selectors as report_selectors
from kvu.access import get_project_for_user


def analysis_home(request, project_pk):
    project = get_project_for_user(request.user, project_pk)
    analysis = Analysis.objects.current(project)
    context = {"project": project, "analysis": analysis}
    if analysis is not None:
        context["state"] = analysis_guide.states([project])[project.pk]
        context["counts"] = report_selectors.analysis_counts(analysis)
        context["links"] = analysis_guide.part_links(project)
    return render(request, "analysis/home.html", context)


@require_POST
def analysis_start(request, project_pk):
    project = get_project_for_user(request.user, project_pk, write=True)
    services.start_analysis(project=project, user=request.user)
    messages.success(request, _("The safety analysis has started."))
    return redirect("analysis_home", project.pk)
