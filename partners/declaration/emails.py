"""E-mails of the intentieverklaring; built here, sent from partners/declaration/tasks.py."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation


def _message(template: str, context: dict, *, to: str, language: str) -> EmailMessage:
    """Subject and body from templates/emails/<template>_subject.txt and <template>.txt."""
    with translation.override(language):
        context = {"site_url": settings.SITE_URL, **context}
        subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
        body = render_to_string(f"emails/{template}.txt", context)
    return EmailMessage(subject=" ".join(subject.split()), body=body, to=[to])


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
        },
        to=invitation.email,
        language=declaration.language,
    )


def withdrawal_message(invitation) -> EmailMessage:
    declaration = invitation.declaration
    return _message(
        "declaration_withdrawn",
        {"invitation": invitation, "declaration": declaration, "project": declaration.project},
        to=invitation.email,
        language=declaration.language,
    )


def confirmation_message(signature, *, pdf: bytes, verification_url: str) -> EmailMessage:
    declaration = signature.declaration
    message = _message(
        "declaration_confirmation",
        {
            "signature": signature,
            "declaration": declaration,
            "project": declaration.project,
            "verification_url": verification_url,
        },
        to=signature.invitation.email,
        language=declaration.language,
    )
    message.attach(f"intentieverklaring-v{declaration.version}.pdf", pdf, "application/pdf")
    return message


def leader_notice_message(signature, *, to: str, status_url: str) -> EmailMessage:
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
        language=settings.LANGUAGE_CODE,
    )
