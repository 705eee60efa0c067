"""Background tasks of the signed-document engine (Django's Tasks framework): its e-mails.

Tasks receive only ids: a personal link's token is made inside the task and goes straight into
the e-mail, so it never sits in the task queue's table.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.tasks import task, task_backends
from django.utils import timezone

from kvu.models import UserSettings
from partners.declaration import emails
from partners.declaration.signing import invitation_problem, issue_token, signing_url
from partners.models import (
    Decision,
    Declaration,
    EventKind,
    Invitation,
    InvitationEvent,
    InvitationStatus,
    Signature,
)

logger = logging.getLogger("partners.declaration")

MAX_ATTEMPTS = 5


@task
def send_invitation_email(invitation_id: int, kind: str, attempt: int = 1) -> None:
    """The invitation, a reminder or a new link: each with a fresh personal link."""
    try:
        with transaction.atomic():
            invitation = (
                Invitation.objects.select_for_update()
                .select_related("declaration__project", "participation__organisation", "person")
                .get(pk=invitation_id)
            )
            if invitation_problem(invitation) is not None:
                return
            if _already_done(invitation, kind):
                return
            token = issue_token(invitation)
            template = "reminder" if kind == EventKind.REMINDED else "invitation"
            emails.invitation_message(invitation, link=signing_url(token), kind=template).send()
            now = timezone.now()
            if kind == EventKind.REMINDED:
                invitation.last_reminded_at = now
                invitation.reminder_count += 1
            else:
                invitation.sent_at = now
                invitation.last_reminded_at = None
            invitation.save(
                update_fields=["sent_at", "last_reminded_at", "reminder_count", "updated_at"]
            )
            InvitationEvent.objects.create(invitation=invitation, kind=kind, at=now)
    except Exception as error:
        # Nothing of the failed attempt is kept (the new link was rolled back with it); the
        # invitation stays open and is tried again: by the queue when it can wait, otherwise by
        # the `send_reminders` sweep.
        logger.warning("declaration e-mail failed (invitation %s): %s", invitation_id, error)
        InvitationEvent.objects.create(
            invitation_id=invitation_id, kind=EventKind.SEND_FAILED, note=type(error).__name__
        )
        _retry(send_invitation_email, attempt, invitation_id, kind)
        raise


def _already_done(invitation, kind: str) -> bool:
    """Whether an equal job already did this one's work (checked under the invitation's lock).

    The queue may hold two jobs for one invitation: `send_reminders` run twice before the
    worker drained the first run's jobs, or on two servers. A reminder goes at most once a
    day, and a first invitation that went out meanwhile is not sent again.
    """
    if kind == EventKind.REMINDED:
        since = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        return InvitationEvent.objects.filter(
            invitation=invitation, kind=EventKind.REMINDED, at__gte=since
        ).exists()
    if kind == EventKind.SENT:
        return invitation.sent_at is not None
    return False


def _retry(task_function, attempt, *args):
    backend = task_backends[task_function.backend]
    if attempt < MAX_ATTEMPTS and backend.supports_defer:
        delay = datetime.timedelta(minutes=2**attempt)
        task_function.using(run_after=timezone.now() + delay).enqueue(*args, attempt + 1)


@task
def send_withdrawal_notice(invitation_id: int, reason: str = "new_version") -> None:
    """The invitee is told that their link no longer applies (new version, revoked, replaced)."""
    invitation = Invitation.objects.select_related(
        "declaration__project__municipality", "person", "participation__organisation"
    ).get(pk=invitation_id)
    emails.withdrawal_message(invitation, reason=reason).send()


@task
def send_round_result(declaration_id: int, attempt: int = 1) -> None:
    """Every invited partner answered: the leader gets the result, every signatory the final PDF.

    Queued once per version (services._finish_round). Each e-mail is sent on its own: one address
    that fails does not keep the others from their copy; the failure is logged. When the
    messages cannot even be built (the PDF, a template), the task is tried again later.
    """
    try:
        outgoing = _round_result_messages(declaration_id)
    except Exception as error:
        logger.warning("declaration result of %s not built: %s", declaration_id, error)
        _retry(send_round_result, attempt, declaration_id)
        raise
    for message in outgoing:
        try:
            message.send()
        except Exception as error:
            logger.warning("declaration result e-mail to %s failed: %s", message.to, error)


def _round_result_messages(declaration_id: int) -> list:
    from partners.declaration.services import (
        PARTNER,
        render_declaration_pdf,
        round_answers,
        verification_url,
    )

    declaration = Declaration.objects.select_related(
        "project__municipality", "project__project_leader"
    ).get(pk=declaration_id)
    answers = round_answers(declaration)
    signed = [answer for answer in answers if answer.decision == Decision.SIGNED]
    declined = [answer for answer in answers if answer.decision == Decision.DECLINED]
    project = declaration.project
    leader = project.project_leader
    outgoing = []
    if leader is not None and leader.email:
        status_url = settings.SITE_URL + declaration.get_absolute_url()
        outgoing.append(
            emails.round_result_message(
                declaration,
                signed=signed,
                declined=declined,
                to=leader.email,
                status_url=status_url,
                language=UserSettings.language_of(leader),
            )
        )
    if signed:
        # One partner's copy for all: names, organisations and times, no one else's evidence.
        pdf = render_declaration_pdf(declaration, language=declaration.language, audience=PARTNER)
        url = verification_url(declaration)
        for signature in signed:
            if signature.invitation.status == InvitationStatus.SIGNED:
                outgoing.append(emails.final_pdf_message(signature, pdf=pdf, verification_url=url))
    return outgoing


@task
def send_signature_confirmation(signature_id: int) -> None:
    """The signer gets the signed PDF, with the verification code, as a receipt."""
    from partners.declaration.services import PARTNER, render_declaration_pdf, verification_url

    signature = Signature.objects.select_related(
        "declaration__project", "invitation", "participation__organisation"
    ).get(pk=signature_id)
    # The partner's copy: the other signatories' names and times, not their evidence.
    pdf = render_declaration_pdf(
        signature.declaration, language=signature.declaration.language, audience=PARTNER
    )
    emails.confirmation_message(
        signature, pdf=pdf, verification_url=verification_url(signature.declaration)
    ).send()


@task
def send_leader_notice(signature_id: int) -> None:
    signature = Signature.objects.select_related(
        "declaration__project__project_leader", "participation__organisation"
    ).get(pk=signature_id)
    leader = signature.declaration.project.project_leader
    if leader is None or not leader.email:
        return
    status_url = settings.SITE_URL + signature.declaration.get_absolute_url()
    emails.leader_notice_message(
        signature, to=leader.email, status_url=status_url, language=UserSettings.language_of(leader)
    ).send()
