"""E-mails of the team; built here, sent from kvu/team/tasks.py."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from kvu.mail import automatic_message, render_subject, render_text
from kvu.models import UserSettings


def _message(template: str, context: dict, *, to: str, language: str):
    """Subject and body from templates/emails/<template>_subject.txt and <template>.txt."""
    with translation.override(language):
        context = {"site_url": settings.SITE_URL, **context}
        subject = render_subject(f"emails/{template}_subject.txt", context)
        body = render_text(f"emails/{template}.txt", context)
    return automatic_message(subject=subject, body=body, to=[to])


def invitation_message(invitation, *, link: str):
    """The link goes only here. In the inviter's language: the colleague has no settings yet."""
    inviter = invitation.invited_by
    language = UserSettings.language_of(inviter) if inviter else settings.LANGUAGE_CODE
    return _message(
        "team_invitation",
        {
            "invitation": invitation,
            "inviter_name": (inviter.get_full_name() or inviter.username) if inviter else "",
            "link": link,
        },
        to=invitation.email,
        language=language,
    )


def added_message(membership):
    user = membership.user
    return _message(
        "team_added",
        {
            "membership": membership,
            "login_url": settings.SITE_URL + reverse("login"),
        },
        to=user.email,
        language=UserSettings.language_of(user),
    )
