"""Reads of the surveys: the list with its counts, the results per question, the response rate.

Every figure is counted in the database (one GROUP BY per kind of figure), so a page's number of
queries does not grow with the number of questions, responses or answers.
"""

from dataclasses import dataclass, field

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.expressions import Window
from django.db.models.functions import Coalesce, RowNumber

from analysis.surveys.models import Answer, Question, QuestionKind, Response, Survey
from partners.models import OrganisationKind

SCALE_VALUES = ["1", "2", "3", "4", "5"]
OPEN_ANSWERS_SHOWN = 20


def _count_of(queryset, column):
    """A subquery counting `queryset`'s rows per `column` = the outer row."""
    counted = queryset.filter(**{column: OuterRef("pk")}).values(column).annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n"), output_field=IntegerField()), Value(0))


def surveys_of(analysis):
    """The analysis' surveys with their number of questions, invitations and responses."""
    return (
        Survey.objects.filter(analysis=analysis)
        .select_related("analysis")
        .annotate(
            question_count=_count_of(Question.objects.all(), "survey"),
            invited_count=_count_of(
                Response.objects.filter(channel="online", invited_at__isnull=False), "survey"
            ),
            response_count=_count_of(Response.objects.filter(submitted_at__isnull=False), "survey"),
        )
    )


def has_answers(survey) -> bool:
    """Whether a response arrived: from then on the question list is fixed."""
    return Response.objects.filter(survey=survey, submitted_at__isnull=False).exists()


def responses_of(survey):
    """The survey's responses for its page, newest first."""
    return (
        Response.objects.filter(survey=survey)
        .select_related("participation__organisation", "person", "entered_by")
        .order_by(F("submitted_at").desc(nulls_last=True), "-pk")
    )


@dataclass
class OptionResult:
    label: str
    count: int
    percentage: float


@dataclass
class QuestionResult:
    question: Question
    respondents: int = 0  # responses that answered this question
    options: list[OptionResult] = field(default_factory=list)
    average: float | None = None
    open_answers: list[dict] = field(default_factory=list)  # the newest, for open questions


def results(survey, questions) -> list[QuestionResult]:
    """Counts and percentages of every option of every closed question; newest open answers.

    Percentages are of the respondents who answered the question; with several answers from a
    list they add up to more than 100.
    """
    answers = Answer.objects.filter(question__survey=survey)
    per_value = {
        (row["question_id"], row["value"]): row["n"]
        for row in answers.exclude(question__kind=QuestionKind.OPEN)
        .values("question_id", "value")
        .annotate(n=Count("pk"))
        .order_by()
    }
    respondents = {
        row["question_id"]: row["n"]
        for row in answers.values("question_id")
        .annotate(n=Count("response_id", distinct=True))
        .order_by()
    }
    newest_open = {}
    ranked = (
        answers.filter(question__kind=QuestionKind.OPEN)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("question_id")],
                order_by=[F("response__submitted_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank__lte=OPEN_ANSWERS_SHOWN)
        .values("question_id", "value", "response__submitted_at", "response__channel")
        .order_by("question_id", "rank")
    )
    for row in ranked:
        newest_open.setdefault(row["question_id"], []).append(row)

    out = []
    for question in questions:
        result = QuestionResult(question=question, respondents=respondents.get(question.pk, 0))
        if question.kind == QuestionKind.OPEN:
            result.open_answers = newest_open.get(question.pk, [])
        else:
            labels = SCALE_VALUES if question.kind == QuestionKind.SCALE else question.option_list
            for label in labels:
                count = per_value.get((question.pk, label), 0)
                share = 100 * count / result.respondents if result.respondents else 0.0
                result.options.append(OptionResult(label, count, round(share, 1)))
            if question.kind == QuestionKind.SCALE and result.respondents:
                total = sum(int(option.label) * option.count for option in result.options)
                counted = sum(option.count for option in result.options)
                result.average = round(total / counted, 1) if counted else None
        out.append(result)
    return out


@dataclass
class RateRow:
    label: str
    invited: int
    answered: int

    @property
    def percentage(self) -> float:
        return round(100 * self.answered / self.invited, 1) if self.invited else 0.0


@dataclass
class ResponseRate:
    rows: list[RateRow]  # per kind of partner, online through a personal link
    overall: RateRow
    paper: int  # typed in from paper: not invited through a link, counted apart

    @property
    def total(self) -> int:
        return self.overall.answered + self.paper


def response_rate(survey) -> ResponseRate:
    """Invited and answered per kind of partner (personal links), and the paper responses."""
    rows = (
        Response.objects.filter(survey=survey)
        .values("channel", "participation__organisation__kind")
        .annotate(
            invited=Count("pk", filter=Q(invited_at__isnull=False) | Q(submitted_at__isnull=False)),
            answered=Count("pk", filter=Q(submitted_at__isnull=False)),
        )
        .order_by("participation__organisation__kind")
    )
    labels = dict(OrganisationKind.choices)
    per_kind, paper = [], 0
    for row in rows:
        if row["channel"] == "paper":
            paper += row["answered"]
            continue
        kind = row["participation__organisation__kind"]
        per_kind.append(RateRow(str(labels.get(kind, kind or "")), row["invited"], row["answered"]))
    overall = RateRow("", sum(r.invited for r in per_kind), sum(r.answered for r in per_kind))
    return ResponseRate(rows=per_kind, overall=overall, paper=paper)


def open_answers(question):
    """All answers to an open question, newest first (paged by the view)."""
    return (
        Answer.objects.filter(question=question)
        .select_related("response")
        .order_by(F("response__submitted_at").desc(), "-pk")
    )
