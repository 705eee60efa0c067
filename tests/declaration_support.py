"""Helpers shared by the declaration tests: invite someone and read their link from the e-mail."""

import re

from django.core import mail

from partners.declaration import services
from tests.factories import DeclarationFactory, ParticipationFactory, PersonFactory

LINK_RE = re.compile(r"https?://[^\s]+/ondertekenen/([A-Za-z0-9_\-]{40,})/")


def last_token(to: str | None = None) -> str:
    """The token of the newest signing link e-mailed (to `to`)."""
    for message in reversed(mail.outbox):
        if to is None or to in message.to:
            match = LINK_RE.search(message.body)
            if match:
                return match.group(1)
    raise AssertionError("no signing link was e-mailed")


def invited(project, *, leader, declaration=None, kind="hospitality", name=None):
    """A participation of `project` invited to sign; returns (invitation, token)."""
    declaration = declaration or DeclarationFactory(project=project)
    extra = {"organisation__name": name} if name else {}
    participation = ParticipationFactory(project=project, organisation__kind=kind, **extra)
    person = PersonFactory(organisation=participation.organisation)
    invitation = services.invite(
        declaration=declaration, participation=participation, person=person, user=leader
    )
    return invitation, last_token(person.email)
