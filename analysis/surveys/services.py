"""Writes of the surveys: the survey and its questions, personal links, answers online and on paper.

Every change is an ordinary save/create/delete so that the audit trail records it.
"""

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from analysis.surveys import links, selectors, tasks
from analysis.surveys.models import (
    Answer,
    Question,
    QuestionKind,
    Response,
    ResponseChannel,
    Survey,
)
from analysis.surveys.templates import INTRODUCTIONS, TEMPLATES, TITLES


class QuestionListFixed(Exception):
    """The survey has answers: its questions can no longer change."""


class LinkRefused(Exception):
    def __init__(self, problem: str):
        super().__init__(problem)
        self.problem = problem


def default_title(kind: str) -> str:
    return TITLES[kind]


@transaction.atomic
def create_survey(
    *,
    analysis,
    kind: str,
    user,
    title: str = "",
    introduction: str | None = None,
    closes_on: datetime.date | None = None,
) -> Survey:
    """A new survey whose questions are copied from the Dutch template of its kind."""
    survey = Survey.objects.create(
        analysis=analysis,
        kind=kind,
        title=title or TITLES[kind],
        introduction=INTRODUCTIONS[kind] if introduction is None else introduction,
        closes_on=closes_on,
        created_by=user,
    )
    for position, item in enumerate(TEMPLATES[kind], start=1):
        Question.objects.create(
            survey=survey,
            position=position,
            text=item.text,
            kind=item.kind,
            options="\n".join(item.options),
            required=item.required,
        )
    return survey


@transaction.atomic
def update_survey(*, survey: Survey, title: str, introduction: str, closes_on) -> Survey:
    survey.title = title
    survey.introduction = introduction
    survey.closes_on = closes_on
    survey.save()
    return survey


def _lock_open_survey(survey: Survey) -> Survey:
    """Lock the survey's row and refuse when an answer arrived (a link may answer meanwhile)."""
    locked = Survey.objects.select_for_update().get(pk=survey.pk)
    if selectors.has_answers(locked):
        raise QuestionListFixed
    return locked


def _clean_options(kind: str, options: str) -> str:
    if kind not in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        return ""
    return "\n".join(line.strip() for line in options.splitlines() if line.strip())


@transaction.atomic
def add_question(
    *, survey: Survey, text: str, kind: str, options: str = "", required: bool = False
) -> Question:
    _lock_open_survey(survey)
    last = survey.questions.aggregate(last=Max("position"))["last"] or 0
    return Question.objects.create(
        survey=survey,
        position=last + 1,
        text=text,
        kind=kind,
        options=_clean_options(kind, options),
        required=required,
    )


@transaction.atomic
def update_question(
    *, question: Question, text: str, kind: str, options: str = "", required: bool = False
) -> Question:
    _lock_open_survey(question.survey)
    question.text = text
    question.kind = kind
    question.options = _clean_options(kind, options)
    question.required = required
    question.save()
    return question


@transaction.atomic
def delete_question(*, question: Question) -> None:
    _lock_open_survey(question.survey)
    question.delete()


@transaction.atomic
def move_question(*, question: Question, up: bool) -> bool:
    """Swap the question with the one above (or below); False when it is already at the end."""
    _lock_open_survey(question.survey)
    siblings = list(question.survey.questions.order_by("position", "pk"))
    index = next(i for i, q in enumerate(siblings) if q.pk == question.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(siblings):
        return False
    siblings[index], siblings[other] = siblings[other], siblings[index]
    # Renumber all, so that equal positions (from an older import) cannot keep the order.
    for position, item in enumerate(siblings, start=1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])
    return True


# --- personal links ---------------------------------------------------------------------------


@transaction.atomic
def invite_partners(*, survey: Survey, participations, user) -> list[Response]:
    """One response with a personal link per partner; the e-mail goes from a task.

    A partner that already has a link for this survey is left out. The token is made inside
    the task (tasks.send_survey_link), so it never sits in the task queue. Two sends at once
    wait for each other on the survey's row, so none gives a partner a second link.
    """
    Survey.objects.select_for_update().get(pk=survey.pk)
    already = set(
        Response.objects.filter(survey=survey, channel=ResponseChannel.ONLINE).values_list(
            "participation_id", flat=True
        )
    )
    created = []
    for participation in participations:
        if participation.pk in already or participation.main_contact_id is None:
            continue
        response = Response.objects.create(
            survey=survey,
            channel=ResponseChannel.ONLINE,
            participation=participation,
            person=participation.main_contact,
            entered_by=None,
        )
        created.append(response)
        tasks.send_survey_link.enqueue(response.pk)
    return created


@transaction.atomic
def resend_link(*, response: Response) -> bool:
    """A new personal link for a partner that has not answered; the old link stops working.

    False for a response that answered already or came in on paper.
    """
    locked = Response.objects.select_for_update().get(pk=response.pk)
    if locked.channel != ResponseChannel.ONLINE or locked.submitted_at is not None:
        return False
    tasks.send_survey_link.enqueue(locked.pk)
    return True


def _save_answers(response: Response, answers: dict) -> None:
    """`answers` maps each question to its list of values (empty: not answered)."""
    for question, values in answers.items():
        for value in values:
            Answer.objects.create(response=response, question=question, value=value)


@transaction.atomic
def answer_online(*, answers: dict, token: str = "", binding: dict | None = None) -> Response:
    """Save a partner's answers through the link; a used, expired or unknown link is refused.

    The link is the token itself or a session's `binding` (links.session_binding). The survey's
    row is locked first, as the question-list changes do (_lock_open_survey): an answer and a
    change of the questions never pass each other.
    """
    response = links.find_for_session(binding) if binding is not None else links.find(token)
    if response is None:
        raise LinkRefused(links.LinkProblem.UNKNOWN)
    Survey.objects.select_for_update().get(pk=response.survey_id)
    # Read again under the lock: a second submit that waited sees the first one's answers.
    response = links.find_by_hash(response.token_hash, response_id=response.pk, for_update=True)
    problem = links.problem_of(response)
    if problem is not None:
        raise LinkRefused(problem)
    own = {question.pk for question in response.survey.questions.all()}
    _save_answers(response, {q: v for q, v in answers.items() if q.pk in own})
    response.submitted_at = timezone.now()
    response.save(update_fields=["submitted_at"])
    return response


@transaction.atomic
def add_paper_response(*, survey: Survey, respondent: str, answers: dict, user) -> Response:
    # The survey's lock, as for an answer online: the question list cannot change meanwhile.
    Survey.objects.select_for_update().get(pk=survey.pk)
    response = Response.objects.create(
        survey=survey,
        channel=ResponseChannel.PAPER,
        respondent=respondent,
        entered_by=user,
        submitted_at=timezone.now(),
    )
    _save_answers(response, answers)
    return response


@transaction.atomic
def update_paper_response(*, response: Response, respondent: str, answers: dict) -> Response:
    """Replace a paper response's answers with the corrected ones."""
    if response.respondent != respondent:
        response.respondent = respondent
        response.save(update_fields=["respondent"])
    existing = {}
    for answer in response.answers.all():
        existing.setdefault((answer.question_id, answer.value), []).append(answer)
    for question, values in answers.items():
        for value in values:
            # An answer that stays is kept as it is: the change log shows only what changed.
            if existing.get((question.pk, value)):
                existing[(question.pk, value)].pop()
            else:
                Answer.objects.create(response=response, question=question, value=value)
    for left_over in existing.values():
        for answer in left_over:
            answer.delete()
    return response


@transaction.atomic
def delete_response(*, response: Response) -> None:
    response.delete()
