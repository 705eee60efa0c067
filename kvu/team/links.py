"""Personal set-password links of team invitations, by the signing links' rules.

A 256-bit token from `secrets`, of which only the SHA-256 is stored; it expires after
settings.KVU_TEAM_INVITATION_DAYS; a resend replaces it, acceptance or cancellation ends it.
"""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from kvu.team.models import TeamInvitation
from kvu.tokens import hash_token, new_token


class LinkProblem:
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"
    CANCELLED = "cancelled"
    ACCOUNT = "account"  # the address's account is not one a link may set up


def link_lifetime() -> datetime.timedelta:
    return datetime.timedelta(days=settings.KVU_TEAM_INVITATION_DAYS)


def issue_token(invitation: TeamInvitation) -> str:
    """A new link for the invitation, ending the previous one; the token goes only into the mail."""
    token = new_token()
    now = timezone.now()
    invitation.token_hash = hash_token(token)
    invitation.expires_at = now + link_lifetime()
    invitation.sent_at = now
    invitation.save(update_fields=["token_hash", "expires_at", "sent_at"])
    return token


def invitation_url(token: str) -> str:
    return settings.SITE_URL + reverse("team_invitation_start", args=[token])


def problem_of(invitation: TeamInvitation | None) -> str | None:
    """Why the invitation's link can no longer be used, or None when it can."""
    if invitation is None:
        return LinkProblem.UNKNOWN
    if invitation.accepted_at is not None:
        return LinkProblem.USED
    if invitation.cancelled_at is not None:
        return LinkProblem.CANCELLED
    if invitation.expires_at is None or invitation.is_expired:
        return LinkProblem.EXPIRED
    return None


def find(token: str) -> TeamInvitation | None:
    """The invitation a token belongs to, or None."""
    if not token or len(token) > 100:
        return None
    return _invitations().filter(token_hash=hash_token(token)).first()


# The session remembers which invitation and which link the visitor opened, never the token: the
# page behind the link (and the log-in at its end) is on a URL without it. A resend replaces
# the link's hash, so a session opened with an older link no longer works.
SESSION_KEY = "team_invitation"


def session_binding(invitation: TeamInvitation) -> dict:
    return {"invitation": invitation.pk, "link": invitation.token_hash}


def from_session(binding, *, for_update: bool = False) -> TeamInvitation | None:
    """The invitation a session's binding unlocks, or None; `for_update` locks its row."""
    if not isinstance(binding, dict) or not isinstance(binding.get("invitation"), int):
        return None
    invitations = _invitations()
    if for_update:
        invitations = invitations.select_for_update(of=("self",))
    return invitations.filter(pk=binding["invitation"], token_hash=binding.get("link")).first()


def _invitations():
    return TeamInvitation.objects.select_related("municipality", "user", "invited_by").filter(
        token_hash__isnull=False
    )
