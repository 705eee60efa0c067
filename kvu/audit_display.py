"""The change log as a leader reads it: its filters, and each log entry as a sentence.

auditlog stores every changed field as two strings, [old, new], as they were in Python: a
choice's code, a foreign key's id, "None", "True", a datetime in UTC without its zone. Here
they are read back through the model's current meta: translated field names, choice labels,
names instead of ids, ja/nee, local times in the project's date formats. A model or field that
no longer exists is shown by its stored name and values.

The names behind the ids and the objects that still exist are read for the whole page at once,
one query per model, so a page costs the same number of queries however long the log is.
"""

import datetime
from dataclasses import dataclass, field

import django_filters
from auditlog.models import LogEntry
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.html import format_html
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kvu.audit import tracked_content_types
from kvu.fields import date_bounds

PAGE_SIZE = 50
TEXT_LENGTH = 80  # characters of a changed text shown; the rest is in the admin
OBJECTS_SHOWN = 5  # names of the objects added to or removed from a list

# A changed row that has no page of its own links to the page it is shown on.
PARENT_PAGES = ("participation", "meeting", "project")


def _member_label(user) -> str:
    return user.get_full_name() or user.username


class Period(models.TextChoices):
    TODAY = "today", gettext_lazy("today")
    WEEK = "7d", gettext_lazy("the last 7 days")
    MONTH = "30d", gettext_lazy("the last 30 days")
    YEAR = "year", gettext_lazy("this year")


class ChangeLogFilter(django_filters.FilterSet):
    """Kind of object, person and period of the change log of one municipality."""

    type = django_filters.ChoiceFilter(
        label=gettext_lazy("Kind of object"),
        choices=[],
        empty_label=gettext_lazy("all kinds"),
        method="filter_type",
    )
    person = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Person"),
        field_name="actor",
        queryset=None,
        empty_label=gettext_lazy("everyone"),
    )
    period = django_filters.ChoiceFilter(
        label=gettext_lazy("Period"),
        choices=Period.choices,
        empty_label=gettext_lazy("all time"),
        method="filter_period",
    )
    date_from = django_filters.DateFilter(
        label=capfirst(gettext_lazy("from date")),
        field_name="timestamp",
        lookup_expr="date__gte",
        validators=[date_bounds],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        label=capfirst(gettext_lazy("up to and including")),
        field_name="timestamp",
        lookup_expr="date__lte",
        validators=[date_bounds],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    # One object's history, reached by link ("?type=partners.participation&id=12").
    id = django_filters.CharFilter(widget=forms.HiddenInput, method="filter_id")

    class Meta:
        model = LogEntry
        fields = []

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.content_types = {
            ct.app_label + "." + ct.model: ct
            for ct in tracked_content_types()
            # Only models tracked per municipality (kvu.audit.track) have entries here.
            if hasattr(ct.model_class(), "get_additional_data")
        }
        self.filters["type"].extra["choices"] = sorted(
            (
                (key, capfirst(ct.model_class()._meta.verbose_name))
                for key, ct in self.content_types.items()
            ),
            key=lambda choice: str(choice[1]),
        )
        self.filters["person"].queryset = (
            get_user_model()
            .objects.filter(memberships__municipality=municipality)
            .order_by("first_name", "last_name", "username")
        )
        self.form.fields["person"].label_from_instance = _member_label

    def filter_type(self, queryset, name, value):
        return queryset.filter(content_type=self.content_types[value])

    def filter_id(self, queryset, name, value):
        # Only together with a kind: an id alone names nothing.
        if not self.form.cleaned_data.get("type"):
            return queryset
        if value.isascii() and value.isdigit() and len(value) < 19:
            return queryset.filter(object_id=int(value))
        return queryset.none()

    def filter_period(self, queryset, name, value):
        today = timezone.localdate()
        first_day = {
            Period.TODAY: today,
            Period.WEEK: today - datetime.timedelta(days=6),
            Period.MONTH: today - datetime.timedelta(days=29),
            Period.YEAR: today.replace(month=1, day=1),
        }[value]
        return queryset.filter(timestamp__date__gte=first_day)


@dataclass
class Change:
    """One changed field: its name, the values before and after, and the two as one text."""

    field: str
    text: str
    old: str = ""
    new: str = ""
    added: str = ""  # for a list of objects (many-to-many): the names added or removed
    removed: str = ""


@dataclass
class Line:
    """One log entry as shown: when, the sentence, its changes and the address it came from."""

    entry: LogEntry
    sentence: str
    changes: list[Change] = field(default_factory=list)


EMPTY = "None"


def _empty():
    return _("(empty)")


def _model_field(model, name):
    """The model's own field of that name (not a relation pointing at the model), or None."""
    if model is None:
        return None
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    # Not a generic foreign key either: it has no column, and no single model it points at.
    if isinstance(model_field, models.Field) and (model_field.concrete or model_field.many_to_many):
        return model_field
    return None


def _required_relations(model, depth=2) -> list[str]:
    """The paths of the model's required foreign keys, two deep: what a name such as
    "organisation - project" reads, fetched with the row instead of once per row."""
    paths = []
    for model_field in model._meta.concrete_fields:
        if _is_relation(model_field) and not model_field.null:
            paths.append(model_field.name)
            if depth > 1:
                paths += [
                    f"{model_field.name}__{path}"
                    for path in _required_relations(model_field.related_model, depth - 1)
                ]
    return paths


def _changes(entry) -> dict:
    changes = entry.changes_dict
    return changes if isinstance(changes, dict) else {}


def _is_relation(model_field) -> bool:
    return model_field is not None and (model_field.many_to_one or model_field.one_to_one)


def names_of(wanted: dict[type, set]) -> dict:
    """(model, pk) -> name of each object asked for as {model: pks}, one query per model.

    People by their full name; everything else by its str(), with the rows that needs.
    """
    names = {}
    for model, pks in wanted.items():
        rows = model._base_manager.filter(pk__in=pks).order_by()
        paths = _required_relations(model)
        for row in rows.select_related(*paths) if paths else rows:
            names[model, row.pk] = (
                _member_label(row) if isinstance(row, get_user_model()) else str(row)
            )
    return names


class _Names:
    """The names of the objects the page's foreign keys point at, one query per model."""

    def __init__(self, entries):
        wanted: dict[type, set] = {}
        for entry in entries:
            model = entry.content_type.model_class()
            for name, values in _changes(entry).items():
                model_field = _model_field(model, name)
                if not _is_relation(model_field) or not isinstance(values, list):
                    continue
                related = model_field.related_model
                for value in values:
                    pk = _pk(related, value)
                    if pk is not None:
                        wanted.setdefault(related, set()).add(pk)
        self.names = names_of(wanted)

    def get(self, related, value) -> str:
        pk = _pk(related, value)
        if pk is None:
            return _empty()
        return self.names.get((related, pk), _("(deleted, no. %(id)s)") % {"id": value})


def _pk(model, value):
    if value in (None, "", EMPTY):
        return None
    try:
        return model._meta.pk.to_python(value)
    except ValidationError:  # an id the key no longer accepts names nothing
        return None


def _datetime(value: str) -> str:
    moment = datetime.datetime.fromisoformat(value)
    if timezone.is_naive(moment):
        # auditlog stores datetimes in UTC without their zone.
        moment = moment.replace(tzinfo=datetime.UTC)
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _value(model_field, value, names: _Names) -> str:
    """A stored value as a reader understands it."""
    if value is None or value in ("", EMPTY):
        return _empty()
    if model_field is None:
        return Truncator(str(value)).chars(TEXT_LENGTH)
    text = str(value)
    if _is_relation(model_field):
        return names.get(model_field.related_model, text)
    if model_field.flatchoices:
        labels = {str(code): label for code, label in model_field.flatchoices}
        return str(labels.get(text, text))
    try:
        if isinstance(model_field, models.BooleanField):
            return {"True": _("yes"), "False": _("no")}.get(text, text)
        if isinstance(model_field, models.DateTimeField):
            return _datetime(text)
        if isinstance(model_field, models.DateField):
            return date_format(datetime.date.fromisoformat(text), "DATE_FORMAT")
        if isinstance(model_field, models.TimeField):
            return time_format(datetime.time.fromisoformat(text), "TIME_FORMAT")
    except ValueError:
        pass  # a value stored in another form is shown as it was stored
    return Truncator(text).chars(TEXT_LENGTH)


def _field_label(model, model_field, name) -> str:
    if model_field is None:
        try:
            model_field = model._meta.get_field(name) if model else None
        except FieldDoesNotExist:
            return name
    return str(getattr(model_field, "verbose_name", None) or name)


def _m2m_names(values: dict) -> str:
    objects = [str(name) for name in values.get("objects", [])]
    shown = ", ".join(Truncator(name).chars(TEXT_LENGTH) for name in objects[:OBJECTS_SHOWN])
    if len(objects) > OBJECTS_SHOWN:
        shown += " " + _("and %(count)s more") % {"count": len(objects) - OBJECTS_SHOWN}
    return shown


def _is_reverse_relation(model, name) -> bool:
    """auditlog lists the relations pointing at a new row too ("contact_moments": None)."""
    if model is None:
        return False
    try:
        return not isinstance(model._meta.get_field(name), models.Field)
    except FieldDoesNotExist:
        return False


def _in_model_order(model, changes: dict) -> list:
    order = {f.name: i for i, f in enumerate(model._meta.get_fields())} if model else {}
    return sorted(changes.items(), key=lambda item: order.get(item[0], len(order)))


def _field_changes(entry, model, names: _Names) -> list[Change]:
    found = []
    for name, values in _in_model_order(model, _changes(entry)):
        if _is_reverse_relation(model, name):
            continue
        model_field = _model_field(model, name)
        label = _field_label(model, model_field, name)
        if isinstance(values, dict) and values.get("type") == "m2m":
            objects = _m2m_names(values)
            if values.get("operation") == "add":
                text = _("added %(objects)s") % {"objects": objects}
                found.append(Change(label, text, added=objects))
            else:
                text = _("removed %(objects)s") % {"objects": objects}
                found.append(Change(label, text, removed=objects))
            continue
        if not isinstance(values, list) or len(values) != 2:
            continue
        if model_field is not None and model_field.primary_key:
            continue
        old, new = (_value(model_field, value, names) for value in values)
        if entry.action == LogEntry.Action.CREATE:
            if new != _empty():  # a new row: only what was filled in
                found.append(Change(label, new, new=new))
        elif entry.action == LogEntry.Action.DELETE:
            if old != _empty():
                found.append(Change(label, old, old=old))
        else:
            found.append(Change(label, f"{old} → {new}", old=old, new=new))
    return found


def _actor(entry) -> str:
    if entry.actor is not None:
        return _member_label(entry.actor)
    if entry.actor_email:
        return _("a former user")
    if entry.remote_addr:
        # Written in a request without a login: the public pages (signing) are the only ones.
        return _("someone via a personal link")
    return _("the system")


def _sentence(entry, kind, obj, changes) -> str:
    actor = capfirst(_actor(entry))
    if entry.action == LogEntry.Action.CREATE:
        return format_html(_("{actor} created {kind} {object}"), actor=actor, kind=kind, object=obj)
    if entry.action == LogEntry.Action.DELETE:
        return format_html(_("{actor} deleted {kind} {object}"), actor=actor, kind=kind, object=obj)
    if entry.action == LogEntry.Action.ACCESS:
        return format_html(_("{actor} opened {kind} {object}"), actor=actor, kind=kind, object=obj)
    if len(changes) == 1:
        change = changes[0]
        if change.added:
            text = _("{actor} added {objects} to {field} of {object}")
            objects = change.added
        elif change.removed:
            text = _("{actor} removed {objects} from {field} of {object}")
            objects = change.removed
        else:
            return format_html(
                _("{actor} changed {field} of {object}: {old} → {new}"),
                actor=actor,
                field=change.field,
                object=obj,
                old=change.old,
                new=change.new,
            )
        return format_html(text, actor=actor, objects=objects, field=change.field, object=obj)
    return format_html(_("{actor} changed {kind} {object}"), actor=actor, kind=kind, object=obj)


def _page_via(model):
    """ "" when the model has a page of its own, the name of the relation whose page shows it
    (a contact moment: its participation), or None."""
    if hasattr(model, "get_absolute_url"):
        return ""
    for name in PARENT_PAGES:
        model_field = _model_field(model, name)
        if _is_relation(model_field) and hasattr(model_field.related_model, "get_absolute_url"):
            return name
    return None


def _pages(entries) -> dict:
    """(content type id, object pk) -> the page of each of the page's objects that still
    exists, one query per model."""
    wanted: dict = {}
    for entry in entries:
        wanted.setdefault(entry.content_type, set()).add(entry.object_pk)
    pages = {}
    for content_type, pks in wanted.items():
        model = content_type.model_class()
        via = _page_via(model) if model else None
        if via is None:
            continue
        rows = model._base_manager.filter(pk__in={_pk(model, pk) for pk in pks} - {None})
        rows = rows.select_related(via).order_by() if via else rows.order_by()
        for row in rows:
            target = getattr(row, via) if via else row
            if target is not None:
                pages[content_type.pk, str(row.pk)] = target.get_absolute_url()
    return pages


def lines(entries) -> list[Line]:
    """The page's log entries as sentences (entries with `actor` and `content_type` loaded)."""
    entries = list(entries)
    names = _Names(entries)
    pages = _pages(entries)
    shown = []
    for entry in entries:
        model = entry.content_type.model_class()
        kind = str(model._meta.verbose_name) if model else entry.content_type.model
        url = pages.get((entry.content_type_id, entry.object_pk))
        name = entry.object_repr
        obj = format_html('<a href="{}">{}</a>', url, name) if url else name
        changes = _field_changes(entry, model, names)
        sentence = _sentence(entry, kind, obj, changes)
        if entry.action == LogEntry.Action.UPDATE and len(changes) == 1:
            changes = []  # the sentence says it
        shown.append(Line(entry=entry, sentence=sentence, changes=changes))
    return shown
