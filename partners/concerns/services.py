"""Writes of the concerns: add, delete, and the decline reason that becomes a concern."""

from partners.models import Concern, ConcernKind, ConcernStatus, Participation

# Concern.partner_text is bounded in forms; text from elsewhere (a decline) is cut to fit.
TEXT_LIMIT = 5000


def add_concern(
    *,
    participation: Participation,
    kind: str,
    partner_text: str = "",
    response: str = "",
    owner=None,
    due_date=None,
    status: str = ConcernStatus.OPEN,
    agreement=None,
) -> Concern:
    """A new concern of `participation`, validated like the form (the agreement's partner)."""
    concern = Concern(
        participation=participation,
        kind=kind,
        partner_text=partner_text,
        response=response,
        owner=owner,
        due_date=due_date,
        status=status,
        agreement=agreement,
    )
    concern.full_clean()
    concern.save()
    return concern


def record_decline_reason(*, participation: Participation, reason: str) -> Concern | None:
    """A partner that declined the declaration with a reason: the reason becomes an open concern.

    Called inside the signing transaction, so it never refuses: no reason, no concern.
    """
    reason = (reason or "").strip()[:TEXT_LIMIT]
    if not reason:
        return None
    return Concern.objects.create(
        participation=participation,
        kind=ConcernKind.OTHER,
        partner_text=reason,
        status=ConcernStatus.OPEN,
    )


def delete_concern(*, concern: Concern) -> None:
    concern.delete()
