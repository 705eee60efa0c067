"""Renewing the covenant: three months before its term ends the leaders are reminded, on the
dashboard and once by e-mail (`manage.py send_covenant_renewals`, daily).

A covenant counts when it is the project's newest sent version, at least one partner signed it
and its term has not ended yet. `renewal_reminded_at` on that version records the e-mail, so a
second run (or a second server) sends nothing twice.
"""

import datetime

from django.db.models import Exists, OuterRef
from django.utils import timezone

from partners.models import Decision, Declaration, DocumentKind, Signature
from plans.covenant.texts import add_months

NOTICE_MONTHS = 3


def notice_window(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """(today, the last day that is at most three months ahead)."""
    today = today or timezone.localdate()
    return today, add_months(today, NOTICE_MONTHS)


def ending_soon(*, projects=None, today: datetime.date | None = None):
    """The signed covenants in force whose term ends within three months, one per project."""
    first, last = notice_window(today)
    covenants = (
        Declaration.objects.filter(kind=DocumentKind.COVENANT)
        .newest_sent()
        .filter(valid_until__gte=first, valid_until__lte=last)
        .filter(
            Exists(Signature.objects.filter(declaration=OuterRef("pk"), decision=Decision.SIGNED))
        )
    )
    if projects is not None:
        covenants = covenants.filter(project_id__in=[p.pk for p in projects])
    return covenants.order_by("valid_until", "pk")


def due_reminders(*, today: datetime.date | None = None):
    """The covenants ending soon whose leaders have not been e-mailed yet."""
    return ending_soon(today=today).filter(renewal_reminded_at__isnull=True)


def queue_renewal_reminders(*, today: datetime.date | None = None) -> int:
    """Queue the e-mail of every covenant that is due; the task sends it at most once."""
    from plans.covenant import tasks

    queued = 0
    for document_id in due_reminders(today=today).values_list("pk", flat=True):
        tasks.send_renewal_reminder.enqueue(document_id)
        queued += 1
    return queued


def is_due(document, *, today: datetime.date | None = None) -> bool:
    return ending_soon(today=today).filter(pk=document.pk).exists()
