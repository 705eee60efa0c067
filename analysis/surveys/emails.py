"""E-mails of the surveys; built here, sent from analysis/surveys/tasks.py."""

from django.conf import settings
from django.utils import translation

from kvu.mail import automatic_message, render_subject, render_text


def link_message(response, *, link: str):
    """The personal link goes only here: into the e-mail to the partner's contact person.

    In the site's language (Dutch): the partner has no account and no language setting.
    """
    survey = response.survey
    context = {
        "site_url": settings.SITE_URL,
        "response": response,
        "survey": survey,
        "project": survey.analysis.project,
        "organisation": response.participation.organisation.name,
        "link": link,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_subject("emails/survey_invitation_subject.txt", context)
        body = render_text("emails/survey_invitation.txt", context)
    return automatic_message(subject=subject, body=body, to=[response.person.email])
