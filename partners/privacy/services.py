"""Privacy (AVG): export everything stored about a contact person, anonymise them, retention.

Both the export and the anonymisation work from the database's own structure rather than from a
list of fields kept by hand: the export follows every relation that points at a person (so the
meetings app's attendance and action items are included without partners importing meetings),
and the anonymisation sweeps every text column of the application for the person's name, e-mail
address and phone number, so that a field added later cannot keep a trace by being forgotten.
"""

import datetime
import json
import logging
import re

from django.apps import apps
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from partners.models import Participation, Person

logger = logging.getLogger("partners.privacy")

REDACTED = "[geanonimiseerd]"
# Apps whose tables may hold a trace of a contact person.
SWEPT_APPS = ["kvu", "partners", "meetings", "auditlog", "django_tasks_db"]
# Evidence that must stay as it is for the declaration's verification. A frozen declaration
# text that names the person is redacted too: its stored SHA-256 keeps proving what was signed.
KEPT_FIELDS = {
    ("partners", "signature"): {"text_sha256", "organisation_name"},
    ("partners", "declaration"): {"text_sha256", "verification_code"},
    ("partners", "signingtoken"): {"token_hash"},
    ("partners", "issuedpdf"): {"sha256"},
}


def _row(instance) -> dict:
    """The stored values of one row; relations as ids, as in the database."""
    data = {
        field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields
    }
    for field in instance._meta.many_to_many:
        data[field.name] = list(getattr(instance, field.name).values_list("pk", flat=True))
    return data


def export_person(person: Person) -> dict:
    """Everything stored about `person`: their record and every row that refers to them."""
    related = {}
    for relation in Person._meta.related_objects:
        model = relation.related_model
        rows = model._base_manager.filter(**{relation.field.name: person})
        label = str(model._meta.verbose_name_plural)
        items = [_row(row) for row in rows]
        if items:
            related[label] = items
    return {
        "person": _row(person),
        "organisation": {
            "id": person.organisation_id,
            "name": person.organisation.name,
            "municipality": person.organisation.municipality.name,
        },
        "related": related,
        "exported_at": timezone.now(),
    }


def export_person_json(person: Person) -> str:
    return json.dumps(export_person(person), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


def _needles(person: Person) -> list[str]:
    values = [person.name, person.email, person.phone]
    # Very short values ("Jo") would wipe unrelated words; names are long enough in practice.
    return sorted({v.strip() for v in values if v and len(v.strip()) >= 4}, key=len, reverse=True)


def _redact(text: str, patterns) -> str:
    for pattern in patterns:
        text = pattern.sub(REDACTED, text)
    return text


def _sweep(needles: list[str]) -> int:
    """Replace every occurrence of the needles in every text column of the swept apps."""
    patterns = [re.compile(re.escape(needle), re.IGNORECASE) for needle in needles]
    changed = 0
    for app_label in SWEPT_APPS:
        try:
            config = apps.get_app_config(app_label)
        except LookupError:
            continue
        for model in config.get_models():
            kept = KEPT_FIELDS.get((model._meta.app_label, model._meta.model_name), set())
            text_fields = [
                field
                for field in model._meta.concrete_fields
                if isinstance(field, models.CharField | models.TextField | models.JSONField)
                and field.name not in kept
            ]
            for field in text_fields:
                query = Q()
                for needle in needles:
                    query |= Q(**{f"{field.attname}__icontains": needle})
                for row in model._base_manager.filter(query).only("pk", field.attname):
                    value = getattr(row, field.attname)
                    if isinstance(field, models.JSONField):
                        new = json.loads(_redact(json.dumps(value, ensure_ascii=False), patterns))
                    else:
                        new = _redact(value, patterns)
                    if new != value:
                        model._base_manager.filter(pk=row.pk).update(**{field.attname: new})
                        changed += 1
    return changed


def anonymise_person(*, person: Person) -> Person:
    """Remove the person's name, e-mail address and phone number everywhere.

    The person's row stays (so that contact moments and attendance still count), and a
    signature keeps its organisation and the SHA-256 of the signed text, so that the
    declaration can still be verified.
    """
    if person.anonymised_at:
        return person
    needles = _needles(person)
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        Person.objects.filter(pk=person.pk).update(
            name=f"{REDACTED} #{person.pk}",
            function="",
            email="",
            phone="",
            notes="",
            anonymised_at=timezone.now(),
        )
        _clear_signer_evidence(person)
        changed = _sweep(needles) if needles else 0
    logger.info("person %s anonymised (%s other values redacted)", person.pk, changed)
    person.refresh_from_db()
    return person


def _clear_signer_evidence(person: Person) -> None:
    """Addresses and browsers of the person's signing sessions are personal data too."""
    try:
        Invitation = apps.get_model("partners", "Invitation")
        Signature = apps.get_model("partners", "Signature")
        InvitationEvent = apps.get_model("partners", "InvitationEvent")
    except LookupError:
        return
    invitations = Invitation.objects.filter(person=person)
    InvitationEvent.objects.filter(invitation__in=invitations).update(
        ip_address=None, user_agent=""
    )
    # A signature must keep a function (database constraint), so it is redacted, not emptied.
    Signature.objects.filter(invitation__in=invitations).update(
        signer_name=REDACTED, signer_function=REDACTED, ip_address=None, user_agent=""
    )
    invitations.update(email="")


def persons_past_retention(today: datetime.date | None = None):
    """Contact persons whose organisation takes part only in projects closed long enough ago."""
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=settings.PERSON_RETENTION_DAYS)
    open_or_recent = Participation.objects.filter(organisation=OuterRef("organisation")).filter(
        Q(project__closed_on__isnull=True) | Q(project__closed_on__gt=cutoff)
    )
    any_participation = Participation.objects.filter(organisation=OuterRef("organisation"))
    return Person.objects.filter(anonymised_at__isnull=True).filter(
        Exists(any_participation), ~Exists(open_or_recent)
    )


def anonymise_past_retention(today: datetime.date | None = None) -> int:
    count = 0
    for person in persons_past_retention(today):
        anonymise_person(person=person)
        count += 1
    return count
