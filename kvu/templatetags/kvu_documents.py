"""The documents section that other apps' pages include (kvu/documents/_section.html)."""

from django import template
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from kvu.documents import DocumentForm, target_value
from kvu.models import Document

register = template.Library()

# A section lists at most this many documents; the project's documents page has the rest.
SECTION_LENGTH = 20


def _label(obj) -> str:
    """How an object is named in the section: a contact moment by its time (its own __str__
    reads the organisation, a query per moment)."""
    occurred_at = getattr(obj, "occurred_at", None)
    if occurred_at is not None:
        when = formats.date_format(timezone.localtime(occurred_at), "SHORT_DATETIME_FORMAT")
        return f"{capfirst(obj._meta.verbose_name)} {when}"
    return str(obj)


@register.simple_tag(takes_context=True)
def document_section(context, target, also=()):
    """Documents attached to `target` and to the objects `also` (e.g. the contact moments shown
    on a participation page), in one query, and what the upload form may attach to."""
    project = context["project"]
    objects = [target, *also]
    query = Q()
    by_key = {}
    for obj in objects:
        content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        by_key[(content_type.pk, obj.pk)] = obj
    for content_type_id, object_id in by_key:
        query |= Q(content_type_id=content_type_id, object_id=object_id)
    documents = list(
        Document.objects.filter(query, project=project).select_related("uploaded_by")[
            : SECTION_LENGTH + 1
        ]
    )
    rows = [
        {
            "document": document,
            "attached_to": (
                ""
                if by_key[(document.content_type_id, document.object_id)] is target
                else _label(by_key[(document.content_type_id, document.object_id)])
            ),
        }
        for document in documents[:SECTION_LENGTH]
    ]
    choices = [(target_value(target), _("This page"))]
    choices += [(target_value(obj), _label(obj)) for obj in also]
    return {
        "rows": rows,
        "more": len(documents) > SECTION_LENGTH,
        "choices": choices if len(choices) > 1 else [],
        "target": target_value(target),
        "form": DocumentForm() if project.user_can_write else None,
        "limit": settings.KVU_DOCUMENT_MAX_BYTES,
        "heading_id": f"documents-{target._meta.model_name}-{target.pk}",
    }
