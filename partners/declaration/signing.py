"""Personal signing links: 256-bit tokens from `secrets`, of which only the SHA-256 is stored."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from kvu.tokens import hash_token, new_token
from partners.models import Invitation, InvitationStatus, SigningToken

# The session remembers which invitation, link (token row) and person the visitor unlocked; the
# token itself is never kept. Binding to the link makes a resend, withdrawal or new signatory end
# every session opened with an older link.
SESSION_KEY = "declaration_signing"


def link_lifetime() -> timedelta:
    return timedelta(days=getattr(settings, "DECLARATION_LINK_DAYS", 30))


def issue_token(invitation: Invitation) -> str:
    """Create a new link for the invitation and return its token (to be e-mailed, never stored)."""
    token = new_token()
    SigningToken.objects.create(
        invitation=invitation,
        token_hash=hash_token(token),
        expires_at=invitation.expires_at or timezone.now() + link_lifetime(),
    )
    return token


def signing_url(token: str) -> str:
    return settings.SITE_URL + reverse("signing_start", args=[token])


def revoke_tokens(invitation: Invitation) -> None:
    invitation.tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


class LinkProblem:
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    REVOKED = "revoked"
    WITHDRAWN = "withdrawn"
    ANSWERED = "answered"


def resolve_token(token: str) -> tuple[Invitation | None, str | None]:
    """(invitation, None) for a usable link; (invitation or None, problem) otherwise."""
    if not token or len(token) > 100:
        return None, LinkProblem.UNKNOWN
    try:
        row = SigningToken.objects.select_related("invitation").get(token_hash=hash_token(token))
    except SigningToken.DoesNotExist:
        return None, LinkProblem.UNKNOWN
    invitation = row.invitation
    return invitation, invitation_problem(invitation, token_row=row)


def answered_link_reopens(invitation: Invitation, token: str) -> bool:
    """Whether a link whose invitation was answered may show that answer again.

    Only the link the answer was given with (or a newer one): a link replaced before the answer,
    or an answer superseded by a new invitation of the same partner, explains that it no longer
    applies instead.
    """
    row = SigningToken.objects.filter(token_hash=hash_token(token), invitation=invitation).first()
    signature = getattr(invitation, "signature", None)
    if row is None or signature is None:
        return False
    if row.expires_at <= timezone.now():
        return False
    if row.revoked_at is not None and row.revoked_at < signature.answered_at:
        return False
    return not answer_superseded(invitation)


def answer_superseded(invitation: Invitation) -> bool:
    """The partner was invited again for the same version after this (declined) answer."""
    return Invitation.objects.filter(
        declaration_id=invitation.declaration_id,
        participation_id=invitation.participation_id,
        pk__gt=invitation.pk,
        status__in=[InvitationStatus.OPEN, InvitationStatus.SIGNED, InvitationStatus.DECLINED],
    ).exists()


def session_binding(token: str) -> dict | None:
    """What the session keeps for a usable link: invitation, token row and person ids."""
    row = SigningToken.objects.select_related("invitation").filter(token_hash=hash_token(token))
    row = row.first()
    if row is None:
        return None
    return {"invitation": row.invitation_id, "token": row.pk, "person": row.invitation.person_id}


def session_problem(invitation: Invitation, binding: dict, *, for_update: bool = False):
    """Why a session's link no longer unlocks the invitation, or None when it still does.

    `for_update` locks the link's row too, for use inside the answer's transaction: a
    revocation (which updates that row) then either happened before or waits until after.
    """
    if invitation.pk != binding.get("invitation") or invitation.person_id != binding.get("person"):
        return LinkProblem.REVOKED
    rows = SigningToken.objects.filter(pk=binding.get("token"), invitation=invitation)
    row = (rows.select_for_update() if for_update else rows).first()
    if row is None:
        return LinkProblem.UNKNOWN
    return invitation_problem(invitation, token_row=row)


def invitation_problem(invitation: Invitation, *, token_row: SigningToken | None = None):
    """Why the invitation can no longer be answered, or None when it can.

    An answered invitation's link shows the answer again (ANSWERED) only while the link itself
    is valid: a forwarded or leaked e-mail does not keep showing it for good.
    """
    if invitation.status in (InvitationStatus.SIGNED, InvitationStatus.DECLINED):
        if token_row is not None and token_row.expires_at <= timezone.now():
            return LinkProblem.EXPIRED
        return LinkProblem.ANSWERED
    if invitation.status == InvitationStatus.WITHDRAWN:
        return LinkProblem.WITHDRAWN
    if invitation.status == InvitationStatus.REVOKED:
        return LinkProblem.REVOKED
    if token_row is not None and token_row.revoked_at is not None:
        return LinkProblem.REVOKED
    now = timezone.now()
    if invitation.is_expired or (token_row is not None and token_row.expires_at <= now):
        return LinkProblem.EXPIRED
    return None
