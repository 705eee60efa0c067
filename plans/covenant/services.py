"""Writes of step 5 in plans: the partners' commitments (the covenant itself is written by
partners.declaration.services, the signed-document engine)."""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from plans.models import Commitment, Plan


class CommitmentError(Exception):
    """A refused change; the message is shown to the user."""


def _next_position(plan_id, participation_id) -> int:
    last = Commitment.objects.filter(plan_id=plan_id, participation_id=participation_id).aggregate(
        last=Max("position")
    )["last"]
    return 0 if last is None else last + 1


def _check_partner(plan, participation):
    if participation.project_id != plan.project_id:
        raise CommitmentError(_("This partner does not take part in this project."))


@transaction.atomic
def add_commitment(*, plan: Plan, participation, text: str) -> Commitment:
    """A new commitment of the partner, placed last among its own."""
    _check_partner(plan, participation)
    return Commitment.objects.create(
        plan=plan,
        participation=participation,
        text=text.strip(),
        position=_next_position(plan.pk, participation.pk),
    )


@transaction.atomic
def save_commitment(*, commitment: Commitment, participation, text: str) -> Commitment:
    """Save a changed commitment; moved to another partner, it is placed last among theirs."""
    _check_partner(commitment.plan, participation)
    if participation.pk != commitment.participation_id:
        commitment.position = _next_position(commitment.plan_id, participation.pk)
    commitment.participation = participation
    commitment.text = text.strip()
    commitment.save()
    return commitment


@transaction.atomic
def delete_commitment(*, commitment: Commitment) -> None:
    commitment.delete()


@transaction.atomic
def move_commitment(*, commitment: Commitment, direction: str) -> bool:
    """Swap the commitment with its neighbour of the same partner; renumbers them 0..n.

    The plan's row is locked first, so that concurrent moves wait for each other.
    """
    if direction not in ("up", "down"):
        return False
    Plan.objects.select_for_update().filter(pk=commitment.plan_id).first()
    items = list(
        Commitment.objects.select_for_update()
        .filter(plan_id=commitment.plan_id, participation_id=commitment.participation_id)
        .order_by("pk")
    )
    items.sort(key=lambda other: (other.position, other.pk))
    index = next((i for i, other in enumerate(items) if other.pk == commitment.pk), None)
    if index is None:
        return False
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(items):
        return False
    items[index], items[target] = items[target], items[index]
    for position, other in enumerate(items):
        if other.position != position:
            other.position = position
            other.save(update_fields=["position", "updated_at"])
    return True
