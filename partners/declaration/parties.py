"""Who took part in a declaration, for its PDF: the parties that signed and those that did not.

Section 1 of the frozen text names the parties the municipality meant to sign when the text was
frozen; the text is never changed afterwards. So the PDF states beside it which of them did not
sign (declined, no answer yet, not invited), and the signature page lists only the signatures.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from partners.models import InvitationStatus

DECLINED, NO_ANSWER, NOT_INVITED = "declined", "no_answer", "not_invited"


@dataclass(frozen=True)
class NotSigned:
    organisation: str
    state: str  # DECLINED, NO_ANSWER or NOT_INVITED
    answered_at: datetime | None = None


def _named_in_text(name: str, text: str) -> bool:
    """Whether the text lists the organisation as an item ("- Name" or "• Name"), the whole name:
    "- Politie Oost-Nederland, vertegenwoordigd door ..." names "Politie Oost-Nederland", not
    "Politie"."""
    item = rf"^\s*[-•]\s+{re.escape(name)}\s*(?:$|[,;:(–—]|-\s)"
    return re.search(item, text, re.MULTILINE) is not None


def parties_not_signed(declaration, invitations) -> list[NotSigned]:
    """The partners named in the text or invited to this version that have not signed it.

    `invitations` are the version's invitations (with signature); a partner's newest invitation
    counts (a declined partner may have been invited again). Sorted by organisation name.
    """
    newest = {}
    for invitation in sorted(invitations, key=lambda inv: inv.pk):
        newest[invitation.participation_id] = invitation
    text = declaration.signed_text()
    participations = declaration.project.participations.select_related("organisation")
    result = []
    for participation in participations:
        invitation = newest.get(participation.pk)
        name = participation.organisation.name
        if invitation is None:
            if _named_in_text(name, text):
                result.append(NotSigned(name, NOT_INVITED))
            continue
        if invitation.status == InvitationStatus.SIGNED:
            continue
        if invitation.status == InvitationStatus.DECLINED:
            signature = getattr(invitation, "signature", None)
            result.append(NotSigned(name, DECLINED, signature and signature.answered_at))
        elif invitation.status == InvitationStatus.OPEN:
            result.append(NotSigned(name, NO_ANSWER))
        elif _named_in_text(name, text):
            # Revoked or withdrawn: the partner was not (or no longer) asked to sign this text.
            result.append(NotSigned(name, NOT_INVITED))
    result.sort(key=lambda entry: entry.organisation.lower())
    return result
