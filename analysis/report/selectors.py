"""Reads of the report part: the knelpunten (for the plan of approach), evidence to choose from,
and what the analysis report shows, each with a fixed number of queries."""

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext_lazy as _

from analysis.guide import ANSWERED_ONLINE, INVITED, ON_PAPER
from analysis.models import (
    Answer,
    Conclusion,
    ConclusionKind,
    Establishment,
    Finding,
    KeyFigure,
    Knelpunt,
    Question,
    QuestionKind,
    Response,
    Severity,
    Source,
    SourceStatus,
    Street,
    Survey,
    WalkThrough,
)

# Findings can be many: a form offers the newest ones, the report lists the newest red ones.
FINDINGS_OFFERED = 200
RED_FINDINGS_SHOWN = 50
# Questions offered as evidence (a survey has tens at most; a bound all the same).
QUESTIONS_OFFERED = 300
# The key figures table shows the newest years (a column each).
YEARS_SHOWN = 8


SEVERITY_SHORT = {
    Severity.GREEN: _("green"),
    Severity.ORANGE: _("orange"),
    Severity.RED: _("red"),
}


def _evidence_prefetch():
    return [
        Prefetch(
            "findings",
            queryset=Finding.objects.select_related("street", "walk_through").order_by("pk"),
        ),
        Prefetch("figures", queryset=KeyFigure.objects.order_by("kind", "label", "year", "pk")),
        Prefetch(
            "questions",
            queryset=Question.objects.select_related("survey").order_by("survey", "position"),
        ),
        Prefetch("sources", queryset=Source.objects.order_by("pk")),
    ]


def conclusions_of(analysis):
    """The analysis' conclusions and recommendations in their order, with their evidence."""
    return (
        Conclusion.objects.filter(analysis=analysis)
        .order_by("kind", "position", "pk")
        .prefetch_related(*_evidence_prefetch())
    )


def knelpunten_of(analysis):
    """The knelpunten of an analysis in their order, with streets and evidence prefetched.

    The plan of approach (step 4) starts from this list.
    """
    return (
        Knelpunt.objects.filter(analysis=analysis)
        .order_by("position", "pk")
        .prefetch_related("streets", *_evidence_prefetch())
    )


def split_conclusions(conclusions):
    """(conclusions, recommendations) of a list read by conclusions_of."""
    items = list(conclusions)
    return (
        [c for c in items if c.kind == ConclusionKind.CONCLUSION],
        [c for c in items if c.kind == ConclusionKind.RECOMMENDATION],
    )


# --- evidence to choose from ---


def offered_findings(analysis, *, keep=()):
    """The newest FINDINGS_OFFERED findings of the analysis, plus those already chosen (`keep`)."""
    base = Finding.objects.filter(walk_through__analysis=analysis).select_related(
        "street", "walk_through"
    )
    newest = list(base.order_by("-created_at", "-pk")[:FINDINGS_OFFERED])
    missing = set(keep) - {f.pk for f in newest}
    if missing:
        newest += list(base.filter(pk__in=missing))
    return newest


def finding_count(analysis) -> int:
    return Finding.objects.filter(walk_through__analysis=analysis).count()


def offered_questions(analysis):
    return list(
        Question.objects.filter(survey__analysis=analysis)
        .select_related("survey")
        .order_by("survey__kind", "survey", "position", "pk")[:QUESTIONS_OFFERED]
    )


# --- the report ---


def _survey_results(analysis):
    """Per survey: invited, answered, on paper, and per question the counts of its answers.

    The response rate is counted as the surveys part counts it: answered online of invited
    through a personal link; responses typed in from paper are counted apart.

    Two aggregate queries over the answers, whatever their number: counts per (question, value)
    for the closed questions, and the newest few values of the open ones.
    """
    surveys = list(
        Survey.objects.filter(analysis=analysis)
        .annotate(
            invited=Count("responses", filter=INVITED),
            answered=Count("responses", filter=ANSWERED_ONLINE),
            paper=Count("responses", filter=ON_PAPER),
        )
        .prefetch_related(Prefetch("questions", queryset=Question.objects.order_by("position")))
        .order_by("kind", "pk")
    )
    counts = {}
    for row in (
        Answer.objects.filter(question__survey__analysis=analysis)
        .exclude(question__kind=QuestionKind.OPEN)
        .values("question_id", "value")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts.setdefault(row["question_id"], {})[row["value"]] = row["n"]
    answering = {
        row["question_id"]: row["n"]
        for row in Answer.objects.filter(question__survey__analysis=analysis)
        .values("question_id")
        .annotate(n=Count("response", distinct=True))
        .order_by()
    }
    results = []
    for survey in surveys:
        questions = []
        for question in survey.questions.all():
            total = answering.get(question.pk, 0)
            if question.kind == QuestionKind.OPEN:
                questions.append({"question": question, "total": total, "rows": []})
                continue
            found = counts.get(question.pk, {})
            if question.kind == QuestionKind.SCALE:
                labels = ["1", "2", "3", "4", "5"]
            else:
                labels = question.option_list or sorted(found)
            rows = [
                {
                    "label": label,
                    "count": found.get(label, 0),
                    "percent": round(100 * found.get(label, 0) / total) if total else 0,
                }
                for label in labels
            ]
            questions.append({"question": question, "total": total, "rows": rows})
        rate = round(100 * survey.answered / survey.invited) if survey.invited else None
        results.append({"survey": survey, "rate": rate, "questions": questions})
    return results


def _findings_summary(analysis):
    base = Finding.objects.filter(walk_through__analysis=analysis)
    table = {}
    for row in base.values("category", "severity").annotate(n=Count("pk")).order_by():
        table.setdefault(row["category"], {})[row["severity"]] = row["n"]
    red = base.filter(severity=Severity.RED)
    return {
        "table": table,
        "total": sum(sum(by.values()) for by in table.values()),
        "red": list(
            red.select_related("street", "walk_through").order_by("-created_at", "-pk")[
                :RED_FINDINGS_SHOWN
            ]
        ),
        "red_total": sum(by.get(Severity.RED, 0) for by in table.values()),
    }


def _figures_over_years(analysis):
    """The key figures as rows (one per figure) and columns (the years)."""
    figures = list(KeyFigure.objects.filter(analysis=analysis).order_by("kind", "label", "year"))
    all_years = sorted({f.year for f in figures})
    years = all_years[-YEARS_SHOWN:]
    rows = {}
    for figure in figures:
        name = figure.label or figure.get_kind_display()
        row = rows.setdefault((figure.kind, figure.label), {"name": name, "by_year": {}})
        row["by_year"][figure.year] = figure
    table = [
        {"name": row["name"], "cells": [row["by_year"].get(year) for year in years]}
        for row in rows.values()
    ]
    return {
        "years": years,
        "rows": table,
        "figures": figures,
        "earlier_years": len(all_years) - len(years),
    }


def report_data(analysis) -> dict:
    """Everything the analysis report shows, with a fixed number of queries."""
    from analysis.walkthrough.models import FindingCategory

    conclusions, recommendations = split_conclusions(conclusions_of(analysis))
    findings = _findings_summary(analysis)
    categories = [
        {
            "label": label,
            "counts": [findings["table"].get(value, {}).get(s, 0) for s in Severity.values],
            "total": sum(findings["table"].get(value, {}).values()),
        }
        for value, label in FindingCategory.choices
        if findings["table"].get(value)
    ]
    establishments = (
        Establishment.objects.filter(analysis=analysis)
        .values("kind")
        .annotate(n=Count("pk"))
        .order_by("kind")
    )
    from analysis.profile.models import EstablishmentKind

    kind_labels = dict(EstablishmentKind.choices)
    return {
        "profile": getattr(analysis, "profile", None),
        "streets": list(analysis.streets.order_by("position", "name", "pk")),
        "establishments": [
            {"label": kind_labels.get(row["kind"], row["kind"]), "count": row["n"]}
            for row in establishments
        ],
        "figures": _figures_over_years(analysis),
        "sources": list(
            Source.objects.filter(analysis=analysis)
            .select_related("responsible_user", "responsible_partner__organisation")
            .order_by("pk")
        ),
        "walk_throughs": list(
            analysis.walk_throughs.annotate(n=Count("findings")).order_by("date", "pk")
        ),
        "findings": findings,
        "categories": categories,
        "severities": [(s, SEVERITY_SHORT[s]) for s in Severity.values],
        "severity_legend": Severity.choices,
        "surveys": _survey_results(analysis),
        "conclusions": conclusions,
        "recommendations": recommendations,
        "knelpunten": list(knelpunten_of(analysis)),
    }


def analysis_counts(analysis) -> dict:
    """What each part of the analysis holds, in a fixed number of queries."""
    of = {"analysis": analysis}
    sources = Source.objects.filter(**of).aggregate(
        total=Count("pk"),
        closed=Count("pk", filter=Q(status__in=[SourceStatus.DONE, SourceStatus.NOT_USED])),
    )
    conclusions = Conclusion.objects.filter(**of).aggregate(
        conclusions=Count("pk", filter=Q(kind=ConclusionKind.CONCLUSION)),
        recommendations=Count("pk", filter=Q(kind=ConclusionKind.RECOMMENDATION)),
    )
    online = Q(channel="online")
    responses = Response.objects.filter(survey__analysis=analysis).aggregate(
        invited=Count(
            "pk", filter=online & (Q(invited_at__isnull=False) | Q(submitted_at__isnull=False))
        ),
        answered=Count("pk", filter=online & Q(submitted_at__isnull=False)),
        paper=Count("pk", filter=Q(channel="paper")),
    )
    return {
        "streets": Street.objects.filter(**of).count(),
        "figures": KeyFigure.objects.filter(**of).count(),
        "sources": sources,
        "walk_throughs": WalkThrough.objects.filter(**of).count(),
        "findings": Finding.objects.filter(walk_through__analysis=analysis).count(),
        "surveys": Survey.objects.filter(**of).count(),
        "responses": responses,
        "conclusions": conclusions,
        "knelpunten": Knelpunt.objects.filter(**of).count(),
    }
