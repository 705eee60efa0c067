"""Privacy (AVG): export everything stored about a contact person, anonymise them, retention.

Anonymising works from what the models declare, not from a search through the whole database:

- `personal_data_fields` names a model's fields that hold a person's data, `personal_data_of`
  the lookup from a row to the person it belongs to ("self" for the person itself). Those rows,
  found by foreign key, are blanked through `save()`, so the change log records the erasure.
- `personal_text_fields` names free texts written *about* people (contact notes, minutes,
  agreements), `municipality_lookup` the way to the row's municipality. They are never rewritten
  blindly: `mentions()` lists those of the person's own municipality that name the person as a
  whole word, and the leader chooses which of them to redact.
- Documents (kvu.Document) attached to a contact moment the person took part in, or named
  after them, are listed among the mentions too; a file cannot be redacted, so a ticked one is
  deleted, its row and its file.
- Frozen, signed texts declare neither, so they are never touched and keep verifying.
- The change-log entries of exactly the rows changed here lose the erased values too.
"""

import datetime
import json
import logging
import re
from dataclasses import dataclass

from auditlog.models import LogEntry
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from kvu.audit_display import names_of
from kvu.documents import delete_document
from kvu.models import Document
from partners.inbox.models import InboundMessage
from partners.inbox.services import forget_address
from partners.models import Participation, Person

logger = logging.getLogger("partners.privacy")

REDACTED = "[geanonimiseerd]"


def _row(instance) -> dict:
    """The stored values of one row; relations as ids, as in the database."""
    data = {
        field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields
    }
    for field in instance._meta.many_to_many:
        data[field.name] = [related.pk for related in getattr(instance, field.name).all()]
    return data


def _related_rows(person: Person) -> list[tuple[type, list[dict]]]:
    """(model, rows) of every relation that points at the person, rows as stored."""
    related = []
    for relation in Person._meta.related_objects:
        model = relation.related_model
        found = model._base_manager.filter(**{relation.field.name: person})
        many = [field.name for field in model._meta.many_to_many]
        rows = [_row(row) for row in (found.prefetch_related(*many) if many else found)]
        if rows:
            related.append((model, rows))
    return related


def export_person(person: Person) -> dict:
    """Everything stored about `person`: their record and every row that refers to them."""
    return {
        "person": _row(person),
        "organisation": {
            "id": person.organisation_id,
            "name": person.organisation.name,
            "municipality": person.organisation.municipality.name,
        },
        "related": {
            str(model._meta.verbose_name_plural): rows for model, rows in _related_rows(person)
        },
        "exported_at": timezone.now(),
    }


def _references(model, row: dict):
    """(model, pk) of each object a stored row refers to by foreign key or many-to-many."""
    for field in model._meta.concrete_fields:
        if field.is_relation and field.related_model and row.get(field.attname) is not None:
            yield field.related_model, row[field.attname]
    for field in model._meta.many_to_many:
        for pk in row.get(field.name, ()):
            yield field.related_model, pk


def _shown(field, value, names: dict):
    """A stored value as a reader knows it: names for ids, labels for codes, yes/no.

    Dates and times stay as they are, so that the template shows them in local time and the
    reader's date format.
    """
    if field.many_to_many:
        return ", ".join(names.get((field.related_model, pk), f"#{pk}") for pk in value)
    if value is None or value == "":
        return ""
    if field.is_relation and field.related_model:
        return names.get((field.related_model, value), f"#{value}")
    if field.flatchoices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value


def _labelled(model, row: dict, names: dict) -> list[tuple[str, object]]:
    """A stored row with the field names and values a reader understands (the export keeps
    column names and ids)."""
    labelled = []
    for field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
        key = field.name if field.many_to_many else field.attname
        if not field.primary_key and key in row:
            labelled.append((capfirst(str(field.verbose_name)), _shown(field, row[key], names)))
    return labelled


def readable_person(person: Person) -> dict:
    """What `export_person` holds, labelled for the privacy page."""
    own = _row(person)
    related = _related_rows(person)
    wanted: dict = {}
    for model, rows in [(Person, [own]), *related]:
        for row in rows:
            for target, pk in _references(model, row):
                wanted.setdefault(target, set()).add(pk)
    names = names_of(wanted)
    return {
        "person": _labelled(Person, own, names),
        "related": [
            (
                capfirst(str(model._meta.verbose_name_plural)),
                [_labelled(model, row, names) for row in rows],
            )
            for model, rows in related
        ],
    }


def export_person_json(person: Person) -> str:
    return json.dumps(export_person(person), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


def _needles(person: Person) -> list[str]:
    values = [person.name, person.email, person.phone]
    return sorted({v.strip() for v in values if v and v.strip()}, key=len, reverse=True)


def _pattern(needles: list[str]) -> re.Pattern | None:
    """Whole words only: "Bart" finds "Bart de Vries", never "Bartholomeus"."""
    if not needles:
        return None
    alternatives = "|".join(re.escape(needle) for needle in needles)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class Mention:
    """A free text of the person's municipality that names them."""

    key: str  # "<app_label>.<model_name>:<pk>:<field>", the value of the review form's checkbox
    model: str
    object: str
    field: str
    excerpt: str
    url: str


def _models_with(attribute: str):
    return [model for model in apps.get_models() if getattr(model, attribute, None)]


def _page_of(row) -> str:
    for candidate in (row, *(getattr(row, name, None) for name in ("participation", "meeting"))):
        if candidate is not None and hasattr(candidate, "get_absolute_url"):
            return candidate.get_absolute_url()
    project = getattr(row, "project", None)
    return project.get_absolute_url() if project is not None else ""


def _excerpt(text: str, match: re.Match, width: int = 60) -> str:
    start, end = max(match.start() - width, 0), min(match.end() + width, len(text))
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def mentions(person: Person) -> list[Mention]:
    """Free texts of the person's municipality that name them (name, e-mail or phone)."""
    pattern = _pattern(_needles(person))
    if pattern is None:
        return _document_mentions(person, None)
    municipality_id = person.organisation.municipality_id
    found = []
    for model in _models_with("personal_text_fields"):
        fields = model.personal_text_fields
        query = Q()
        for field in fields:
            for needle in _needles(person):
                query |= Q(**{f"{field}__icontains": needle})
        rows = model._base_manager.filter(
            query, **{f"{model.municipality_lookup}_id": municipality_id}
        ).order_by("pk")
        for row in rows:
            for field in fields:
                text = getattr(row, field) or ""
                match = pattern.search(text)
                if match:
                    found.append(
                        Mention(
                            key=f"{model._meta.label_lower}:{row.pk}:{field}",
                            model=str(model._meta.verbose_name),
                            object=str(row),
                            field=str(model._meta.get_field(field).verbose_name),
                            excerpt=_excerpt(text, match),
                            url=_page_of(row),
                        )
                    )
    return found + _document_mentions(person, pattern)


def _document_mentions(person: Person, pattern) -> list[Mention]:
    """Documents that may show the person: attached to a contact moment they took part in, or
    named after them. A file cannot be redacted, so a ticked one is deleted (row and file)."""
    municipality_id = person.organisation.municipality_id
    moments = ContentType.objects.get_for_model(apps.get_model("partners", "ContactMoment"))
    query = Q(content_type=moments, object_id__in=person.contact_moments.values("pk"))
    for needle in _needles(person) if pattern else ():
        query |= Q(title__icontains=needle) | Q(original_name__icontains=needle)
    rows = Document.objects.filter(query, project__municipality_id=municipality_id).order_by("pk")
    found = []
    for document in rows:
        named = pattern and (
            pattern.search(document.title) or pattern.search(document.original_name)
        )
        if document.content_type_id != moments.pk and not named:
            continue
        found.append(
            Mention(
                key=f"{Document._meta.label_lower}:{document.pk}:file",
                model=str(Document._meta.verbose_name),
                object=document.title,
                field=_("the whole file (deleted when ticked)"),
                excerpt=_excerpt(named.string, named)
                if named
                else _("attached to a contact moment with this person"),
                url=reverse("document_list", args=[document.project_id]),
            )
        )
    return found


def _blank_value(model, field):
    """None or "" where the field allows it; otherwise (or where a constraint needs a value,
    `personal_data_kept_filled`) the redaction mark."""
    if field.name in getattr(model, "personal_data_kept_filled", ()):
        return REDACTED
    if field.null:
        return None
    return "" if field.blank else REDACTED


def _redact_value(value, pattern):
    if isinstance(value, str):
        return pattern.sub(REDACTED, value)
    if isinstance(value, list):
        return [_redact_value(item, pattern) for item in value]
    if isinstance(value, dict):
        return {key: _redact_value(item, pattern) for key, item in value.items()}
    return value


def _redact_log_entries(changed: dict, pattern, personal: dict) -> None:
    """Remove the erased values from the change-log entries of exactly the rows changed.

    `changed` maps a model to the pks of its changed rows; `personal` maps a model to the fields
    whose every old value is personal data (blanked whatever it was).
    """
    for model, pks in changed.items():
        if not pks:
            continue
        content_type = ContentType.objects.get_for_model(model)
        entries = LogEntry.objects.filter(
            content_type=content_type, object_pk__in=[str(pk) for pk in pks]
        )
        for entry in entries:
            changes = entry.changes or {}
            for field in personal.get(model, ()):
                if field in changes:
                    changes[field] = [REDACTED if value else value for value in changes[field]]
            changes = _redact_value(changes, pattern)
            # The change log itself is not audited: redacting its entries is housekeeping.
            LogEntry.objects.filter(pk=entry.pk).update(
                changes=changes,
                changes_text=pattern.sub(REDACTED, entry.changes_text or ""),
                object_repr=pattern.sub(REDACTED, entry.object_repr or ""),
                serialized_data=_redact_value(entry.serialized_data, pattern),
                # Entries written from the public signing page carry the signer's address.
                remote_addr=entry.remote_addr if entry.actor_id else None,
            )


def _person_rows(person: Person):
    """(model, rows) of every row holding the person's own data, found by foreign key."""
    for model in _models_with("personal_data_fields"):
        lookup = model.personal_data_of
        if lookup == "self":
            rows = model._base_manager.filter(pk=person.pk)
        else:
            rows = model._base_manager.filter(**{lookup: person})
        yield model, rows.order_by("pk")


def _redact_mentions(keys, pattern, person: Person, changed: dict) -> int:
    """Redact the texts the leader chose, among those `mentions()` lists for this person."""
    allowed = {mention.key for mention in mentions(person)}
    count = 0
    for key in sorted(set(keys) & allowed):
        label, pk, field = key.split(":")
        model = apps.get_model(label)
        row = model._base_manager.select_for_update().get(pk=pk)
        if model is Document:
            delete_document(document=row)
            changed.setdefault(model, set()).add(int(pk))
            count += 1
            continue
        setattr(row, field, pattern.sub(REDACTED, getattr(row, field)))
        row.save(update_fields=[field])
        changed.setdefault(model, set()).add(row.pk)
        count += 1
    return count


def anonymise_person(*, person: Person, redact=()) -> Person:
    """Erase the person's own data, and the names in the free texts the leader chose to redact.

    `redact` holds keys of `mentions(person)`; any other key is ignored. Rows that only refer to
    the person (attendance, contact moments, working-group membership) stay, so that they still
    count; a signature keeps its organisation and the SHA-256 of the signed text.
    """
    if person.anonymised_at:
        return person
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        pattern = _pattern(_needles(person))
        changed: dict = {}
        # The person's address among the addresses of e-mails received at a logging address.
        changed[InboundMessage] = forget_address(
            municipality_id=person.organisation.municipality_id, address=person.email
        )
        redacted_texts = _redact_mentions(redact, pattern, person, changed) if pattern else 0
        personal = {}
        for model, rows in _person_rows(person):
            fields = list(model.personal_data_fields)
            personal[model] = fields
            for row in rows.select_for_update():
                for field in fields:
                    setattr(row, field, _blank_value(model, model._meta.get_field(field)))
                if model is Person:
                    row.anonymised_at = timezone.now()
                    row.name = f"{REDACTED} #{row.pk}"
                    row.save(update_fields=[*fields, "anonymised_at"])
                else:
                    row.save(update_fields=fields)
                changed.setdefault(model, set()).add(row.pk)
        # Rows that name the person in their change log without holding their data: the
        # contact moments they spoke in (m2m) and the partners they were main contact of.
        changed.setdefault(apps.get_model("partners", "ContactMoment"), set()).update(
            person.contact_moments.values_list("pk", flat=True)
        )
        changed.setdefault(Participation, set()).update(
            person.main_contact_for.values_list("pk", flat=True)
        )
        if pattern:
            _redact_log_entries(changed, pattern, personal)
    logger.info("person %s anonymised (%s free texts redacted)", person.pk, redacted_texts)
    person.refresh_from_db()
    return person


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
