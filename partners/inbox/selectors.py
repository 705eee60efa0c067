"""Reads of the inbox used by the contact log and the inbox page."""

from django.db.models import Count, OuterRef, Q, Subquery

from kvu.models import Document
from partners.inbox.models import InboundMessage, InboundStatus, LoggingAddress


def address_with_waiting(project) -> LoggingAddress | None:
    """The project's logging address, with `waiting`: its count of waiting e-mails; one query.

    Messages only arrive through an address, and an address is replaced, never deleted, so
    there are no waiting messages without one.
    """
    return (
        LoggingAddress.objects.filter(project=project)
        .annotate(
            waiting=Count(
                "project__inbound_messages",
                filter=Q(project__inbound_messages__status=InboundStatus.WAITING),
            )
        )
        .first()
    )


def waiting_messages(project):
    """The project's waiting e-mails, newest first, each with its number of attachments."""
    attachments = (
        Document.objects.filter(
            content_type__app_label="partners",
            content_type__model="inboundmessage",
            object_id=OuterRef("pk"),
        )
        .order_by()
        .values("object_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        InboundMessage.objects.filter(project=project, status=InboundStatus.WAITING)
        .select_related("sent_by")
        .annotate(attachment_count=Subquery(attachments))
        .order_by("-created_at", "-pk")
    )
