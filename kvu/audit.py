"""Audit trail of project data, recorded by django-auditlog and read per municipality.

Each app registers its own models with `track()` (kvu here, partners and meetings in their
audit.py), naming the attribute path to the municipality, so that a leader sees exactly the
changes of their own municipality and staff see everything.
"""

from auditlog.middleware import AuditlogMiddleware
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType

from kvu.security import client_ip

# Timestamps are in the log entry itself.
ALWAYS_EXCLUDED = ["created_at", "updated_at"]


def track(model, *, municipality: str, exclude_fields=(), m2m_fields=()):
    """Record every create, change and delete of `model`.

    `municipality` is the dotted attribute path from an instance to its municipality's id,
    e.g. "participation.project.municipality_id". auditlog looks up `get_additional_data` on
    the instance, so the path is attached to the model class here.
    """
    auditlog.register(
        model,
        exclude_fields=[*ALWAYS_EXCLUDED, *exclude_fields],
        m2m_fields=set(m2m_fields),
    )
    path = municipality.split(".")

    def get_additional_data(instance):
        value = instance
        for part in path:
            value = getattr(value, part, None)
            if value is None:
                break
        return {"municipality_id": value}

    model.get_additional_data = get_additional_data


def tracked_content_types():
    models = auditlog.get_models()
    return ContentType.objects.get_for_models(*models).values()


def entries_for_municipality(municipality_id):
    return (
        LogEntry.objects.filter(additional_data__municipality_id=municipality_id)
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")
    )


class AuditMiddleware(AuditlogMiddleware):
    """auditlog's middleware, with the client address taken the way the rest of the app does.

    auditlog trusts the first X-Forwarded-For entry, which any client can set; its public
    `get_extra_data()` hook is where the address is replaced.
    """

    def get_extra_data(self, request):
        return {
            **super().get_extra_data(request),
            "remote_addr": client_ip(request) or None,
            "remote_port": None,
        }
