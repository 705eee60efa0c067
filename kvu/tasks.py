"""Background task of the core app (Django's Tasks framework): one user's overview e-mail."""

import datetime
import logging

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.tasks import task

from kvu.digest import build_message
from kvu.models import DigestSent

logger = logging.getLogger("kvu.digest")


@task
def send_digest(user_id: int, day: str) -> None:
    """Send `user_id` the overview e-mail of `day` (ISO date), unless it went out already.

    The DigestSent row is inserted in the transaction that sends the e-mail: a concurrent run
    waits on its unique index until this one ends, then finds the row and sends nothing; if
    the send fails the row is rolled back, so the next `send_digests` that day tries again.
    """
    today = datetime.date.fromisoformat(day)
    user = get_user_model().objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if user is None or DigestSent.objects.filter(user=user, date=today).exists():
        return
    message = build_message(user, today)
    if message is None:
        return  # nothing to report: no e-mail, and nothing recorded
    with transaction.atomic():
        try:
            with transaction.atomic():
                DigestSent.objects.create(user=user, date=today)
        except IntegrityError:
            logger.info("digest of %s for user %s sent by another run", day, user_id)
            return
        message.send()
