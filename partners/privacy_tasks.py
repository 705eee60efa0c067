"""Background task for the retention rule, for deployments that schedule through the task queue."""

from django.tasks import task

from partners.privacy import anonymise_past_retention


@task
def anonymise_expired_persons() -> int:
    return anonymise_past_retention()
