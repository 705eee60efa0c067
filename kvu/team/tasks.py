"""Background tasks of the team: the invitation and the notice of being added.

Tasks receive only ids: the link's token is made inside the task and goes straight into the
e-mail, so it never sits in the task queue's table.
"""

import logging

from django.db import transaction
from django.tasks import task

from kvu.models import Membership
from kvu.team import emails, links
from kvu.team.models import TeamInvitation

logger = logging.getLogger("kvu.team")


@task
def send_invitation(invitation_id: int) -> None:
    """A fresh set-password link to the invited colleague; a failed send keeps no new link."""
    with transaction.atomic():
        invitation = (
            TeamInvitation.objects.select_for_update(of=("self",))
            .select_related("municipality", "invited_by")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None or invitation.accepted_at or invitation.cancelled_at:
            return
        token = links.issue_token(invitation)
        emails.invitation_message(invitation, link=links.invitation_url(token)).send()


@task
def send_added_notice(membership_id: int) -> None:
    """An existing account was added to a municipality's team: tell its owner."""
    membership = (
        Membership.objects.select_related("user", "municipality").filter(pk=membership_id).first()
    )
    if membership is None or not membership.user.email:
        return
    emails.added_message(membership).send()
