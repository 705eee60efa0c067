"""Personal survey links, by the signing links' rules.

A 256-bit token from `secrets`, of which only the SHA-256 is stored (Response.token_hash); it
expires after settings.KVU_SURVEY_LINK_DAYS (default 30) or when the survey closes, and answers
once.
"""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from analysis.surveys.models import Response
from kvu.tokens import hash_token, new_token

# The session remembers which response the visitor's link unlocked and that link's hash, never
# the token itself; a new link (another hash) ends every session opened with the old one.
SESSION_KEY = "survey_answer"


class LinkProblem:
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    CLOSED = "closed"
    USED = "used"


def link_lifetime() -> datetime.timedelta:
    return datetime.timedelta(days=settings.KVU_SURVEY_LINK_DAYS)


def issue_token(response: Response) -> str:
    """A new link for the response, ending the previous one; the token goes only into the mail."""
    token = new_token()
    now = timezone.now()
    response.token_hash = hash_token(token)
    response.invited_at = now
    response.expires_at = now + link_lifetime()
    response.save(update_fields=["token_hash", "invited_at", "expires_at"])
    return token


def answer_url(token: str) -> str:
    return settings.SITE_URL + reverse("survey_answer", args=[token])


def find(token: str, *, for_update: bool = False) -> Response | None:
    """The online response a token belongs to, or None."""
    if not token or len(token) > 100:
        return None
    return find_by_hash(hash_token(token), for_update=for_update)


def find_by_hash(
    token_hash: str, *, response_id: int | None = None, for_update: bool = False
) -> Response | None:
    """The online response whose current link has this hash (and this id, when given)."""
    if not isinstance(token_hash, str) or len(token_hash) != 64:
        return None
    responses = Response.objects.select_related(
        "survey__analysis__project__municipality", "participation__organisation", "person"
    )
    if for_update:
        responses = responses.select_for_update(of=("self",))
    responses = responses.filter(channel="online", token_hash=token_hash)
    if response_id is not None:
        responses = responses.filter(pk=response_id)
    return responses.first()


def session_binding(response: Response) -> dict:
    """What the session keeps for a link: the response's id and the link's hash."""
    return {"response": response.pk, "token_hash": response.token_hash}


def find_for_session(binding) -> Response | None:
    """The response a session's link unlocked, while that link is still the current one."""
    if not isinstance(binding, dict) or not isinstance(binding.get("response"), int):
        return None
    return find_by_hash(binding.get("token_hash"), response_id=binding["response"])


def problem_of(response: Response | None) -> str | None:
    """Why the response's link can no longer answer, or None when it can."""
    if response is None:
        return LinkProblem.UNKNOWN
    if response.submitted_at is not None:
        return LinkProblem.USED
    if response.expires_at is None or response.expires_at <= timezone.now():
        return LinkProblem.EXPIRED
    closes_on = response.survey.closes_on
    if closes_on is not None and closes_on < timezone.localdate():
        return LinkProblem.CLOSED
    return None
