"""Writes of the sources: a source's status and planning, and the documents belonging to it."""

import datetime

from django.db import transaction

from analysis.models import Source
from kvu.documents import add_document


@transaction.atomic
def update_source(
    *,
    source: Source,
    status: str,
    reason_not_used: str,
    responsible_user,
    responsible_partner,
    planned_on: datetime.date | None,
    done_on: datetime.date | None,
    notes: str,
) -> Source:
    source.status = status
    source.reason_not_used = reason_not_used
    source.responsible_user = responsible_user
    source.responsible_partner = responsible_partner
    source.planned_on = planned_on
    source.done_on = done_on
    source.notes = notes
    source.save()
    return source


def add_source_document(*, project, source: Source, title: str, name: str, data: bytes, user):
    """Attach a file to a source (checked by its content; ValidationError when refused)."""
    return add_document(
        project=project, target=source, title=title, name=name, data=data, user=user
    )
