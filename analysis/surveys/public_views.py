"""The public answer page behind a partner's personal survey link: no account, phone-first.

By the signing link's rules (partners.declaration.views.signing_start): the link's token is
exchanged for the session at once, and the questions are on a URL without the token, so the
token never leaks through a Referer header, a proxy's log or the browser's history.
"""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from analysis.surveys import links, services
from analysis.surveys.forms import AnswerForm
from analysis.surveys.models import Response
from kvu.ratelimit import ratelimit

# An unknown link is not found; an expired one (or a closed survey's) is gone for good.
PROBLEM_STATUS = {links.LinkProblem.UNKNOWN: 404}


def _answered(request, response):
    # Read again: the response may have been loaded before another submit's lock was released.
    response = Response.objects.get(pk=response.pk)
    return render(request, "analysis/surveys/public/answered.html", {"response": response})


def _refused(request, response, problem, *, status=None):
    if problem == links.LinkProblem.USED:
        return _answered(request, response)
    return render(
        request,
        "analysis/surveys/public/problem.html",
        {"problem": problem},
        status=status or PROBLEM_STATUS.get(problem, 410),
    )


@login_not_required
@never_cache
@require_GET
# The same limit as the signing link's: a token cannot be guessed, but a client that tries
# many is slowed down.
@ratelimit(group="survey-link", rate="30/m", methods=("GET",))
def survey_answer(request, token):
    """Exchange the token for a session, then continue on a URL without the token."""
    response = links.find(token)
    problem = links.problem_of(response)
    if problem is not None:
        return _refused(request, response, problem)
    request.session.cycle_key()
    request.session[links.SESSION_KEY] = links.session_binding(response)
    return redirect("survey_answer_form")


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit(group="survey-answer", rate="30/m", methods=("GET", "POST"))
def survey_answer_form(request):
    """The questions of the survey whose link this session opened."""
    binding = request.session.get(links.SESSION_KEY)
    response = links.find_for_session(binding)
    problem = links.problem_of(response)
    if problem is not None:
        # Without a (current) link in the session: the same explanation as an unknown link,
        # shown with 200 like the signing page's (a new link ends an older link's session).
        status = 200 if problem == links.LinkProblem.UNKNOWN else None
        return _refused(request, response, problem, status=status)
    survey = response.survey
    form = AnswerForm(
        request.POST if request.method == "POST" else None, questions=survey.questions.all()
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_online(binding=binding, answers=form.answers())
        except services.LinkRefused as refused:
            return _refused(request, response, refused.problem)
        return redirect("survey_answer_form")
    return render(
        request,
        "analysis/surveys/public/answer.html",
        {
            "response": response,
            "survey": survey,
            "project": survey.analysis.project,
            "organisation": response.participation.organisation.name,
            "form": form,
        },
    )
