"""Lost-update protection for edit forms: the version a form was opened on, checked on save."""

import datetime
import hashlib
from contextlib import contextmanager

from auditlog.models import LogEntry
from django import forms
from django.db import transaction
from django.db.models import Model
from django.forms.models import model_to_dict
from django.utils import formats, timezone
from django.utils.translation import gettext as _

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
MICROSECOND = datetime.timedelta(microseconds=1)


def version_of(instance, fields) -> str:
    """The stored row's version: `updated_at` in whole microseconds.

    A model without `updated_at` (the agenda item) gets a digest of the edited fields instead,
    so a change made there by someone else is still noticed.
    """
    if hasattr(instance, "updated_at"):
        return str((instance.updated_at - EPOCH) // MICROSECOND)
    values = sorted(model_to_dict(instance, fields=fields).items())
    return hashlib.sha256(repr(values).encode()).hexdigest()[:20]


def _moment(version: str) -> datetime.datetime | None:
    """The time an `updated_at` version stands for; None for a digest or a forged value."""
    try:
        return EPOCH + int(version) * MICROSECOND
    except (ValueError, OverflowError):
        return None


def last_change(instance, *, after=None, default_user=None) -> tuple[str, datetime.datetime | None]:
    """Who changed `instance` last and when, from the audit trail; "Iemand" if it does not say
    (or `default_user`, when the caller knows who made the row).

    Only entries after `after` count: a save that changed nothing tracked leaves no entry, and
    the one before it would name the wrong person.
    """
    entries = LogEntry.objects.get_for_object(instance).select_related("actor")
    if after is not None:
        entries = entries.filter(timestamp__gt=after)
    entry = entries.order_by("-timestamp", "-pk").first()
    when = getattr(instance, "updated_at", None) or (entry and entry.timestamp)
    user = (entry and entry.actor) or default_user
    if user is None:
        return _("Someone"), when
    return user.get_full_name() or user.get_username(), when


def _shown(field, value) -> str:
    """A value as the user reads it: choice labels, local dates, "(leeg)" for nothing."""
    values = value if isinstance(value, list | tuple) else [value]
    labels = {}
    if getattr(field, "choices", None) and not isinstance(field, forms.ModelChoiceField):
        labels = {str(key): label for key, label in field.choices}
    shown = []
    for v in values:
        if isinstance(v, Model) and isinstance(field, forms.ModelChoiceField):
            shown.append(str(field.label_from_instance(v)))
        elif v is not None and v != "":
            shown.append(str(labels.get(str(v), formats.localize(v))))
    return ", ".join(shown) or _("(empty)")


class VersionedFormMixin:
    """For a ModelForm that edits a row: refuses to save over a version newer than it opened.

    The refused form keeps the user's input, shows the saved value at every field where the
    two differ, and now carries the current version, so saving again overwrites on purpose.
    Validate it inside `locked(instance)` so that no other save slips in between.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Not required: a client that sends no version (an old page, a script) is not checked.
            self.fields["version"] = forms.CharField(
                widget=forms.HiddenInput,
                required=False,
                initial=version_of(self.instance, self._meta.fields),
            )

    def clean(self):
        cleaned = super().clean()
        opened = cleaned.get("version")
        if opened:
            stored = type(self.instance)._default_manager.get(pk=self.instance.pk)
            current = version_of(stored, self._meta.fields)
            if current != opened:
                self._refuse_stale(stored, opened, current)
        return cleaned

    def _refuse_stale(self, stored, opened, current):
        after = _moment(opened) if hasattr(stored, "updated_at") else None
        who, when = last_change(stored, after=after)
        self.add_error(
            None,
            _(
                "%(who)s has changed this in the meantime (%(when)s). Your changes have not "
                "been saved; below are the saved values next to your input."
            )
            % {
                "who": who,
                "when": formats.date_format(timezone.localtime(when), "SHORT_DATETIME_FORMAT")
                if when
                else "?",
            },
        )
        for name, field in self.fields.items():
            if name == "version" or field.disabled:
                continue
            initial = model_to_dict(stored, fields=[name]).get(name)
            if field.has_changed(initial, self[name].data):
                yours = self.cleaned_data.get(name, self[name].data)
                saved = getattr(stored, name, initial)
                self.add_error(
                    name,
                    _("Saved: %(saved)s — your input: %(yours)s")
                    % {"saved": _shown(field, saved), "yours": _shown(field, yours)},
                )
        # Rendered again, the form carries the version just read.
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = current


@contextmanager
def locked(instance):
    """Hold the row of `instance` until the block ends: the check and the save see one version."""
    with transaction.atomic():
        type(instance)._default_manager.select_for_update().filter(pk=instance.pk).first()
        yield


def save_locked(form) -> bool:
    """Validate and save an edit form while its row is locked: True when it was saved.

    The version check (VersionedFormMixin.clean) and the save then see the same row, so no other
    save slips in between.
    """
    with locked(form.instance):
        if not form.is_valid():
            return False
        form.save()
        return True
