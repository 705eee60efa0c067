"""Writes of the report part: conclusions, knelpunten, the report's texts, agreement, sharing."""

import datetime

from django.db import transaction
from django.db.models import Max

from analysis.models import Analysis, Conclusion, Knelpunt

EVIDENCE = ("findings", "figures", "questions", "sources")


def _next_position(queryset) -> int:
    last = queryset.aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


def _set_evidence(obj, evidence: dict):
    for name in EVIDENCE:
        if name in evidence:
            getattr(obj, name).set(evidence[name])


@transaction.atomic
def add_conclusion(*, analysis: Analysis, kind: str, text: str, evidence: dict) -> Conclusion:
    """A new conclusion or recommendation, placed last among those of its kind."""
    position = _next_position(Conclusion.objects.filter(analysis=analysis, kind=kind))
    conclusion = Conclusion.objects.create(
        analysis=analysis, kind=kind, text=text, position=position
    )
    _set_evidence(conclusion, evidence)
    return conclusion


@transaction.atomic
def save_conclusion(*, conclusion: Conclusion, evidence: dict) -> Conclusion:
    """Save a conclusion changed by its form, with its evidence; a new kind places it last."""
    before = Conclusion.objects.filter(pk=conclusion.pk).values_list("kind", flat=True).first()
    if before is not None and before != conclusion.kind:
        conclusion.position = _next_position(
            Conclusion.objects.filter(analysis_id=conclusion.analysis_id, kind=conclusion.kind)
        )
    conclusion.save()
    _set_evidence(conclusion, evidence)
    return conclusion


@transaction.atomic
def delete_conclusion(*, conclusion: Conclusion):
    conclusion.delete()


@transaction.atomic
def move_conclusion(*, conclusion: Conclusion, direction: str) -> bool:
    """Swap the conclusion with its neighbour of the same kind; renumbers them 0..n.

    The analysis row is locked first so that concurrent moves wait for each other.
    """
    Analysis.objects.select_for_update().filter(pk=conclusion.analysis_id).first()
    items = list(
        Conclusion.objects.select_for_update()
        .filter(analysis_id=conclusion.analysis_id, kind=conclusion.kind)
        .order_by("pk")
    )
    items.sort(key=lambda other: (other.position, other.pk))
    index = next((i for i, other in enumerate(items) if other.pk == conclusion.pk), None)
    if index is None:
        return False
    target = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= target < len(items):
        return False
    items[index], items[target] = items[target], items[index]
    for position, other in enumerate(items):
        if other.position != position:
            other.position = position
            other.save(update_fields=["position"])
    return True


@transaction.atomic
def add_knelpunt(*, analysis: Analysis, fields: dict, streets, evidence: dict) -> Knelpunt:
    """A new knelpunt, placed last."""
    position = _next_position(Knelpunt.objects.filter(analysis=analysis))
    knelpunt = Knelpunt.objects.create(analysis=analysis, position=position, **fields)
    knelpunt.streets.set(streets)
    _set_evidence(knelpunt, evidence)
    return knelpunt


@transaction.atomic
def save_knelpunt(*, knelpunt: Knelpunt, streets, evidence: dict) -> Knelpunt:
    knelpunt.save()
    knelpunt.streets.set(streets)
    _set_evidence(knelpunt, evidence)
    return knelpunt


@transaction.atomic
def delete_knelpunt(*, knelpunt: Knelpunt):
    knelpunt.delete()


@transaction.atomic
def save_report_texts(*, analysis: Analysis, introduction: str, summary: str, method: str):
    analysis.introduction = introduction
    analysis.summary = summary
    analysis.method = method
    analysis.save(update_fields=["introduction", "summary", "method", "updated_at"])
    return analysis


@transaction.atomic
def agree_conclusions(*, analysis: Analysis, meeting) -> Analysis:
    """Record the (held) working-group meeting in which the conclusions were agreed."""
    analysis.conclusions_agreed_in = meeting
    analysis.save(update_fields=["conclusions_agreed_in", "updated_at"])
    return analysis


@transaction.atomic
def share_report(*, analysis: Analysis, on: datetime.date, with_whom: str) -> Analysis:
    analysis.report_shared_on = on
    analysis.report_shared_with = with_whom
    analysis.save(update_fields=["report_shared_on", "report_shared_with", "updated_at"])
    return analysis
