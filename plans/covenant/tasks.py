"""Background tasks of step 5 (Django's Tasks framework): the renewal reminder e-mail."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation

from kvu.mail import automatic_message, render_subject, render_text
from kvu.models import Membership, UserSettings
from partners.models import Declaration
from plans.covenant.renewal import is_due

logger = logging.getLogger("plans.covenant")


def recipients(project) -> list:
    """The project's leaders: its project leader and the leaders of its municipality."""
    users = list(
        get_user_model()
        .objects.filter(
            memberships__municipality_id=project.municipality_id,
            memberships__role=Membership.Role.LEADER,
            is_active=True,
        )
        .exclude(email="")
        .order_by("pk")
    )
    leader = project.project_leader
    if leader is not None and leader.email and leader.is_active:
        users = [leader, *(user for user in users if user.pk != leader.pk)]
    return users


def renewal_message(document, user):
    project = document.project
    language = UserSettings.language_of(user)
    context = {
        "project": project,
        "covenant": document,
        "user": user,
        "url": settings.SITE_URL + reverse("covenant_detail", args=[project.pk]),
        "commitments_url": settings.SITE_URL + reverse("commitment_list", args=[project.pk]),
        "site_url": settings.SITE_URL,
    }
    with translation.override(language):
        subject = render_subject("emails/covenant_renewal_subject.txt", context)
        body = render_text("emails/covenant_renewal.txt", context)
    return automatic_message(subject=subject, body=body, to=[user.email])


@task
def send_renewal_reminder(document_id: int) -> None:
    """E-mail the project's leaders that the covenant's term ends soon: once per version.

    The version's row is locked while the mails go out and `renewal_reminded_at` is saved in
    the same transaction, so a second job for it finds the time set and sends nothing. When no
    mail could be sent at all, nothing is recorded and the next daily run tries again.
    """
    with transaction.atomic():
        document = (
            # Only the version's row: the project leader is a nullable join PostgreSQL cannot lock.
            Declaration.objects.select_for_update(of=("self",))
            .select_related("project__municipality", "project__project_leader")
            .get(pk=document_id)
        )
        if document.renewal_reminded_at is not None or not is_due(document):
            return
        sent = failed = 0
        for user in recipients(document.project):
            try:
                renewal_message(document, user).send()
                sent += 1
            except Exception as error:
                failed += 1
                logger.warning("covenant renewal e-mail to user %s failed: %s", user.pk, error)
        if failed and not sent:
            return
        document.renewal_reminded_at = timezone.now()
        document.save(update_fields=["renewal_reminded_at"])
