"""Background tasks of the surveys (Django's Tasks framework): the e-mail with a personal link.

Tasks receive only ids: the link's token is made inside the task and goes straight into the
e-mail, so it never sits in the task queue's table.
"""

import datetime
import logging

from django.db import transaction
from django.tasks import task, task_backends
from django.utils import timezone

from analysis.surveys import emails, links
from analysis.surveys.models import Response

logger = logging.getLogger("analysis.surveys")


MAX_ATTEMPTS = 5


@task
def send_survey_link(response_id: int, attempt: int = 1) -> None:
    """A fresh personal link to the partner's contact person; a failed send keeps no link.

    A failed send is tried again later (as the declaration's e-mails are), up to MAX_ATTEMPTS.
    """
    try:
        with transaction.atomic():
            response = (
                Response.objects.select_for_update(of=("self",))
                .select_related(
                    "survey__analysis__project__municipality",
                    "survey__analysis__project__project_leader",
                    "participation__organisation",
                    "person",
                )
                .filter(pk=response_id, channel="online", submitted_at__isnull=True)
                .first()
            )
            if response is None or response.person is None or not response.person.email:
                return
            token = links.issue_token(response)
            emails.link_message(response, link=links.answer_url(token)).send()
    except Exception as error:
        # The new link was rolled back with the failed attempt; the old one (if any) still works.
        logger.warning("survey e-mail failed (response %s): %s", response_id, error)
        _retry(send_survey_link, attempt, response_id)
        raise


def _retry(task_function, attempt, *args):
    backend = task_backends[task_function.backend]
    if attempt < MAX_ATTEMPTS and backend.supports_defer:
        delay = datetime.timedelta(minutes=2**attempt)
        task_function.using(run_after=timezone.now() + delay).enqueue(*args, attempt + 1)
