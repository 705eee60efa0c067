"""Views of the leader's survey pages: surveys, questions, links, paper answers, results.

The public answer page behind a personal link is in public_views.py.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from analysis.access import (
    get_analysis_for_user,
    get_question_for_user,
    get_response_for_user,
    get_survey_for_user,
)
from analysis.surveys import selectors, services
from analysis.surveys.forms import (
    PaperResponseForm,
    QuestionForm,
    SendForm,
    SurveyCreateForm,
    SurveyForm,
)
from analysis.surveys.models import QuestionKind, ResponseChannel

RESPONSES_PER_PAGE = 25
OPEN_ANSWERS_PER_PAGE = 50

FIXED_MESSAGE = gettext_lazy(
    "The question list is fixed: answers have arrived, and every answer must keep the question "
    "it was given for."
)


def _data(request):
    """The posted data, also when it is empty (then a required answer is missing)."""
    return request.POST if request.method == "POST" else None


def _fixed(request, survey):
    messages.error(request, FIXED_MESSAGE)
    return redirect(survey.get_absolute_url())


def _context(project, survey=None, **extra):
    return {"project": project, "survey": survey, **extra}


def survey_list(request, project_pk):
    project, analysis = get_analysis_for_user(request.user, project_pk)
    surveys = selectors.surveys_of(analysis)
    return render(request, "analysis/surveys/list.html", {"project": project, "surveys": surveys})


@require_http_methods(["GET", "POST"])
def survey_create(request, project_pk):
    project, analysis = get_analysis_for_user(request.user, project_pk, write=True)
    form = SurveyCreateForm(_data(request))
    if request.method == "POST" and form.is_valid():
        survey = services.create_survey(
            analysis=analysis,
            kind=form.cleaned_data["kind"],
            title=form.cleaned_data["title"],
            closes_on=form.cleaned_data["closes_on"],
            user=request.user,
        )
        messages.success(
            request,
            _(
                "The survey has been made with the standard questions. "
                "Check them before you send it."
            ),
        )
        return redirect(survey.get_absolute_url())
    return render(request, "analysis/surveys/create.html", {"project": project, "form": form})


def survey_detail(request, project_pk, pk):
    project, _analysis, survey = get_survey_for_user(request.user, project_pk, pk)
    questions = list(survey.questions.all())
    page = Paginator(selectors.responses_of(survey), RESPONSES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "analysis/surveys/detail.html",
        _context(
            project,
            survey,
            questions=questions,
            fixed=selectors.has_answers(survey),
            page=page,
            rate=selectors.response_rate(survey),
        ),
    )


@require_http_methods(["GET", "POST"])
def survey_edit(request, project_pk, pk):
    project, _analysis, survey = get_survey_for_user(request.user, project_pk, pk, write=True)
    form = SurveyForm(_data(request), instance=survey)
    if request.method == "POST" and form.is_valid():
        services.update_survey(
            survey=survey,
            title=form.cleaned_data["title"],
            introduction=form.cleaned_data["introduction"],
            closes_on=form.cleaned_data["closes_on"],
        )
        messages.success(request, _("The survey has been saved."))
        return redirect(survey.get_absolute_url())
    return render(
        request,
        "analysis/surveys/form.html",
        _context(project, survey, form=form, heading=_("Edit the survey")),
    )


@require_http_methods(["GET", "POST"])
def question_add(request, project_pk, survey_pk):
    project, _analysis, survey = get_survey_for_user(
        request.user, project_pk, survey_pk, write=True
    )
    if selectors.has_answers(survey):
        return _fixed(request, survey)
    form = QuestionForm(_data(request), initial={"kind": QuestionKind.SINGLE})
    if request.method == "POST" and form.is_valid():
        try:
            services.add_question(survey=survey, **form.cleaned_data)
        except services.QuestionListFixed:
            return _fixed(request, survey)
        messages.success(request, _("The question has been added."))
        return redirect(survey.get_absolute_url() + "#questions")
    return render(
        request,
        "analysis/surveys/form.html",
        _context(project, survey, form=form, heading=_("Add a question")),
    )


@require_http_methods(["GET", "POST"])
def question_edit(request, project_pk, survey_pk, pk):
    project, _analysis, survey, question = get_question_for_user(
        request.user, project_pk, survey_pk, pk, write=True
    )
    if selectors.has_answers(survey):
        return _fixed(request, survey)
    form = QuestionForm(_data(request), instance=question)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_question(question=question, **form.cleaned_data)
        except services.QuestionListFixed:
            return _fixed(request, survey)
        messages.success(request, _("The question has been saved."))
        return redirect(survey.get_absolute_url() + "#questions")
    return render(
        request,
        "analysis/surveys/form.html",
        _context(project, survey, form=form, heading=_("Edit the question")),
    )


@require_http_methods(["GET", "POST"])
def question_delete(request, project_pk, survey_pk, pk):
    project, _analysis, survey, question = get_question_for_user(
        request.user, project_pk, survey_pk, pk, write=True
    )
    if selectors.has_answers(survey):
        return _fixed(request, survey)
    if request.method == "POST":
        try:
            services.delete_question(question=question)
        except services.QuestionListFixed:
            return _fixed(request, survey)
        messages.success(request, _("The question has been deleted."))
        return redirect(survey.get_absolute_url() + "#questions")
    return render(
        request,
        "analysis/surveys/confirm.html",
        _context(
            project,
            survey,
            heading=_("Delete this question?"),
            what=question.text,
            submit=_("Yes, delete the question"),
        ),
    )


@require_POST
def question_move(request, project_pk, survey_pk, pk):
    _project, _analysis, survey, question = get_question_for_user(
        request.user, project_pk, survey_pk, pk, write=True
    )
    try:
        services.move_question(question=question, up=request.POST.get("direction") != "down")
    except services.QuestionListFixed:
        return _fixed(request, survey)
    return redirect(survey.get_absolute_url() + f"#question-{question.pk}")


@require_http_methods(["GET", "POST"])
def survey_send(request, project_pk, pk):
    project, _analysis, survey = get_survey_for_user(request.user, project_pk, pk, write=True)
    form = SendForm(_data(request), survey=survey)
    if request.method == "POST" and form.is_valid():
        sent = services.invite_partners(
            survey=survey, participations=form.cleaned_data["participations"], user=request.user
        )
        messages.success(
            request,
            ngettext(
                "A personal link has been sent to %(count)s partner.",
                "A personal link has been sent to %(count)s partners.",
                len(sent),
            )
            % {"count": len(sent)},
        )
        return redirect(survey.get_absolute_url())
    return render(
        request,
        "analysis/surveys/send.html",
        _context(project, survey, form=form, question_count=survey.questions.count()),
    )


@require_POST
def response_resend(request, project_pk, survey_pk, pk):
    """A new personal link for a partner that has not answered (the old one stops working)."""
    _project, _analysis, survey, response = get_response_for_user(
        request.user, project_pk, survey_pk, pk, write=True
    )
    if services.resend_link(response=response):
        messages.success(request, _("A new personal link has been sent."))
    else:
        messages.error(request, _("This response has been given already: no new link is needed."))
    return redirect(survey.get_absolute_url() + "#responses")


def _paper_response(request, project_pk, survey_pk, pk):
    project, _analysis, survey, response = get_response_for_user(
        request.user, project_pk, survey_pk, pk, write=True
    )
    if response.channel != ResponseChannel.PAPER:
        raise Http404  # a partner's own answers through the link are not edited by others
    return project, survey, response


@require_http_methods(["GET", "POST"])
def response_add(request, project_pk, survey_pk):
    project, _analysis, survey = get_survey_for_user(
        request.user, project_pk, survey_pk, write=True
    )
    form = PaperResponseForm(_data(request), questions=survey.questions.all())
    if request.method == "POST" and form.is_valid():
        services.add_paper_response(
            survey=survey,
            respondent=form.cleaned_data["respondent"],
            answers=form.answers(),
            user=request.user,
        )
        messages.success(request, _("The answers have been saved."))
        if "another" in request.POST:
            return redirect("response_add", project.pk, survey.pk)
        return redirect(survey.get_absolute_url() + "#responses")
    return render(
        request,
        "analysis/surveys/response_form.html",
        _context(project, survey, form=form, heading=_("Type in a paper response"), adding=True),
    )


@require_http_methods(["GET", "POST"])
def response_edit(request, project_pk, survey_pk, pk):
    project, survey, response = _paper_response(request, project_pk, survey_pk, pk)
    form = PaperResponseForm(_data(request), questions=survey.questions.all(), response=response)
    if request.method == "POST" and form.is_valid():
        services.update_paper_response(
            response=response, respondent=form.cleaned_data["respondent"], answers=form.answers()
        )
        messages.success(request, _("The answers have been saved."))
        return redirect(survey.get_absolute_url() + "#responses")
    return render(
        request,
        "analysis/surveys/response_form.html",
        _context(project, survey, form=form, heading=_("Correct a paper response")),
    )


@require_http_methods(["GET", "POST"])
def response_delete(request, project_pk, survey_pk, pk):
    project, survey, response = _paper_response(request, project_pk, survey_pk, pk)
    if request.method == "POST":
        services.delete_response(response=response)
        messages.success(request, _("The response has been deleted."))
        return redirect(survey.get_absolute_url() + "#responses")
    return render(
        request,
        "analysis/surveys/confirm.html",
        _context(
            project,
            survey,
            heading=_("Delete this response?"),
            what=response.respondent or _("Paper response %(number)s") % {"number": response.pk},
            submit=_("Yes, delete the response and its answers"),
        ),
    )


def survey_results(request, project_pk, pk):
    project, _analysis, survey = get_survey_for_user(request.user, project_pk, pk)
    questions = list(survey.questions.all())
    return render(
        request,
        "analysis/surveys/results.html",
        _context(
            project,
            survey,
            results=selectors.results(survey, questions),
            rate=selectors.response_rate(survey),
            shown=selectors.OPEN_ANSWERS_SHOWN,
        ),
    )


def survey_open_answers(request, project_pk, survey_pk, pk):
    project, _analysis, survey, question = get_question_for_user(
        request.user, project_pk, survey_pk, pk
    )
    page = Paginator(selectors.open_answers(question), OPEN_ANSWERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "analysis/surveys/open_answers.html",
        _context(project, survey, question=question, page=page),
    )
