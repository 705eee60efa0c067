"""E-mails of the signed-document engine (every kind: the words come from the document's kind);
built here, sent from partners/declaration/tasks.py."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation

from kvu.mail import automatic_message, render_subject, render_text
from partners.models import Decision, Invitation, InvitationStatus, Signature


def _message(template: str, context: dict, *, to: str, language: str) -> EmailMessage:
    """Subject and body from templates/emails/<template>_subject.txt and <template>.txt."""
    with translation.override(language):
        context = {
            "site_url": settings.SITE_URL,
            "kind": context["declaration"].kind_spec,
            **context,
        }
        subject = render_subject(f"emails/{template}_subject.txt", context)
        body = render_text(f"emails/{template}.txt", context)
    return automatic_message(subject=subject, body=body, to=[to])


def invitation_history(invitation) -> dict:
    """What an invitation mail says about the past: a decline of this version, earlier versions.

    `declined_before`: this partner declined this same version and is invited again.
    `earlier_version`: the newest earlier version this partner was invited for, and
    `signed_earlier` whether it signed that one (that signature does not count for this text).
    """
    declaration = invitation.declaration
    same_partner = Invitation.objects.filter(participation_id=invitation.participation_id)
    declined_before = same_partner.filter(
        declaration_id=declaration.pk, status=InvitationStatus.DECLINED, pk__lt=invitation.pk
    ).exists()
    earlier = (
        same_partner.filter(
            declaration__project_id=declaration.project_id,
            declaration__kind=declaration.kind,
            declaration__version__lt=declaration.version,
        )
        .select_related("declaration")
        .order_by("-declaration__version", "-pk")
        .first()
    )
    signed_earlier = earlier is not None and (
        Signature.objects.filter(
            declaration_id=earlier.declaration_id,
            participation_id=invitation.participation_id,
            decision=Decision.SIGNED,
        ).exists()
    )
    return {
        "declined_before": declined_before,
        "earlier_version": earlier.declaration.version if earlier else None,
        "signed_earlier": signed_earlier,
    }


# The personal link with this query opens the comparison of versions (views.signing_start).
COMPARE_QUERY = "?toon=wijzigingen"


def invitation_message(invitation, *, link: str, kind: str) -> EmailMessage:
    """The personal link goes only here: into the e-mail to the signatory, nowhere else."""
    declaration = invitation.declaration
    return _message(
        f"declaration_{kind}",
        {
            "invitation": invitation,
            "declaration": declaration,
            "project": declaration.project,
            "link": link,
            "compare_link": link + COMPARE_QUERY,
            **invitation_history(invitation),
        },
        to=invitation.email,
        language=declaration.language,
    )


def withdrawal_message(invitation, *, reason: str = "new_version") -> EmailMessage:
    declaration = invitation.declaration
    return _message(
        "declaration_withdrawn",
        {
            "invitation": invitation,
            "declaration": declaration,
            "project": declaration.project,
            "reason": reason,
        },
        to=invitation.email,
        language=declaration.language,
    )


def round_result_message(
    declaration, *, signed, declined, to: str, status_url: str, language: str | None = None
):
    return _message(
        "declaration_result",
        {
            "declaration": declaration,
            "project": declaration.project,
            "signed": signed,
            "declined": declined,
            "signed_count": len(signed),
            "answer_count": len(signed) + len(declined),
            "status_url": status_url,
        },
        to=to,
        language=language or settings.LANGUAGE_CODE,
    )


def _signed_copy_message(template, signature, *, pdf, verification_url, filename):
    """A mail to the signatory with the partner's copy of the PDF attached."""
    declaration = signature.declaration
    message = _message(
        template,
        {
            "signature": signature,
            "declaration": declaration,
            "project": declaration.project,
            "verification_url": verification_url,
        },
        to=signature.invitation.email,
        language=declaration.language,
    )
    message.attach(filename, pdf, "application/pdf")
    return message


def final_pdf_message(signature, *, pdf: bytes, verification_url: str) -> EmailMessage:
    """The round is over: the final PDF, to every signatory."""
    version = signature.declaration.version
    return _signed_copy_message(
        "declaration_final",
        signature,
        pdf=pdf,
        verification_url=verification_url,
        filename=f"{signature.declaration.kind_spec.file_slug}-v{version}-definitief.pdf",
    )


def confirmation_message(signature, *, pdf: bytes, verification_url: str) -> EmailMessage:
    """The signer's receipt, with the PDF as signed so far."""
    version = signature.declaration.version
    return _signed_copy_message(
        "declaration_confirmation",
        signature,
        pdf=pdf,
        verification_url=verification_url,
        filename=f"{signature.declaration.kind_spec.file_slug}-v{version}.pdf",
    )


def leader_notice_message(
    signature, *, to: str, status_url: str, language: str | None = None
) -> EmailMessage:
    declaration = signature.declaration
    return _message(
        "declaration_leader_notice",
        {
            "signature": signature,
            "declaration": declaration,
            "project": declaration.project,
            "status_url": status_url,
        },
        to=to,
        language=language or settings.LANGUAGE_CODE,
    )
