"""Access helpers of the analysis app: every view reaches analysis data through these.

Each returns the objects it was asked for after kvu.access.get_project_for_user checked the
user's municipality: outsiders get 404, a viewer's change 403. The analysis of a project is its
newest cycle's (`Analysis.objects.current`); before it was started the helpers answer 404.
"""

from django.http import Http404

from analysis.models import (
    Analysis,
    Conclusion,
    Finding,
    KeyFigure,
    Knelpunt,
    Question,
    Response,
    Source,
    Street,
    Survey,
    WalkThrough,
)
from kvu.access import get_project_for_user


def get_analysis_for_user(user, project_pk, *, write=False):
    """Return (project, analysis) of the project's current cycle; 404 before it was started."""
    project = get_project_for_user(user, project_pk, write=write)
    analysis = Analysis.objects.current(project)
    if analysis is None:
        raise Http404
    analysis.project = project  # keeps the user_role/user_can_write annotations
    return project, analysis


def _get(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _of_analysis(model, user, project_pk, pk, write):
    project, analysis = get_analysis_for_user(user, project_pk, write=write)
    obj = _get(model.objects.filter(analysis=analysis), pk)
    obj.analysis = analysis
    return project, analysis, obj


def get_street_for_user(user, project_pk, pk, *, write=False):
    return _of_analysis(Street, user, project_pk, pk, write)


def get_figure_for_user(user, project_pk, pk, *, write=False):
    return _of_analysis(KeyFigure, user, project_pk, pk, write)


def get_source_for_user(user, project_pk, pk, *, write=False):
    return _of_analysis(Source, user, project_pk, pk, write)


def get_walk_through_for_user(user, project_pk, pk, *, write=False):
    return _of_analysis(WalkThrough, user, project_pk, pk, write)


def get_finding_for_user(user, project_pk, walk_through_pk, pk, *, write=False):
    """Return (project, analysis, walk-through, finding)."""
    project, analysis, walk = get_walk_through_for_user(
        user, project_pk, walk_through_pk, write=write
    )
    finding = _get(Finding.objects.filter(walk_through=walk).select_related("street"), pk)
    finding.walk_through = walk
    return project, analysis, walk, finding


def get_survey_for_user(user, project_pk, pk, *, write=False):
    return _of_analysis(Survey, user, project_pk, pk, write)


def get_question_for_user(user, project_pk, survey_pk, pk, *, write=False):
    """Return (project, analysis, survey, question)."""
    project, analysis, survey = get_survey_for_user(user, project_pk, survey_pk, write=write)
    question = _get(Question.objects.filter(survey=survey), pk)
    question.survey = survey
    return project, analysis, survey, question


def get_response_for_user(user, project_pk, survey_pk, pk, *, write=False):
    """Return (project, analysis, survey, response)."""
    project, analysis, survey = get_survey_for_user(user, project_pk, survey_pk, write=write)
    response = _get(Response.objects.filter(survey=survey), pk)
    response.survey = survey
    return project, analysis, survey, response


def get_conclusion_for_user(user, project_pk, pk, *, write=False):
    return _of_analysis(Conclusion, user, project_pk, pk, write)


def get_knelpunt_for_user(user, project_pk, pk, *, write=False):
    return _of_analysis(Knelpunt, user, project_pk, pk, write)
