"""Derived figures of a project (the phase guide, the overview's panels), cached until it changes.

Every project has a `data_version`. Saving or deleting any row of its data (registered with
`track()` by each app) raises it in the same transaction, and so does every bulk write that
bypasses the model signals (`touch()`, called where that happens). A cached figure is stored
under the version it was computed from, so a change makes the next reading compute afresh: no
page ever shows figures older than the data it was read with.

The cache lives in the memory of each web process (CACHES["derived"]). Figures that also
depend on the clock (overdue follow-ups) carry today's date in their key; names of users, which
are not project data, may lag behind a rename by at most DERIVED_CACHE_SECONDS.
"""

import hashlib
import io
import pickle

from django.core.cache import caches
from django.db.models import F, signals
from django.utils import timezone
from django.utils.functional import Promise, SimpleLazyObject
from django.utils.translation import get_language

_tracked = {}


def touch(**lookup) -> None:
    """Mark the projects matching `lookup` (a Project filter) as changed."""
    from kvu.models import Project

    Project.objects.filter(**lookup).update(data_version=F("data_version") + 1)


def track(model, *, key: str, lookup: str = "pk", m2m_fields=()) -> None:
    """Treat rows of `model` as project data.

    `key` is the attribute of an instance that identifies its project(s) and `lookup` the
    Project filter that takes it, e.g. key="participation_id", lookup="participations".
    """
    _tracked[model] = (key, lookup)
    uid = f"kvu_derived_{model._meta.label_lower}"
    signals.post_save.connect(_changed, sender=model, dispatch_uid=uid)
    signals.post_delete.connect(_changed, sender=model, dispatch_uid=uid)
    for name in m2m_fields:
        through = model._meta.get_field(name).remote_field.through
        signals.m2m_changed.connect(_m2m_changed, sender=through, dispatch_uid=f"{uid}_{name}")


def _changed(sender, instance, **kwargs):
    key, lookup = _tracked[sender]
    value = getattr(instance, key)
    if value is not None:
        touch(**{lookup: value})


def _m2m_changed(sender, instance, action, **kwargs):
    if action.startswith("post_") and type(instance) in _tracked:
        _changed(type(instance), instance)


def _key(project, name: str, daily: bool) -> str:
    # The project's own last change is in the key too: its name and CCV step show in figures.
    parts = [
        "derived",
        name,
        project.pk,
        project.data_version,
        project.updated_at.timestamp(),
        get_language(),
    ]
    if daily:
        parts.append(timezone.localdate().isoformat())
    return ":".join(str(part) for part in parts)


class _Pickler(pickle.Pickler):
    """Stores lazy texts (gettext_lazy, choice labels) as the text they are now.

    The language is part of every key, so the text is the one any reader of the key needs. A
    pickled lazy text would come back as a new lazy class built on each reading, which took
    half the time of the projects overview (0.2 ms per text).
    """

    def reducer_override(self, obj):
        if isinstance(obj, Promise):
            func, args, kwargs, *_resultclasses = obj.__reduce__()[1]
            return _value, (func(*args, **kwargs),)  # keeps a SafeString safe
        return NotImplemented


def _value(value):
    return value


def _dumps(value) -> bytes:
    buffer = io.BytesIO()
    _Pickler(buffer, pickle.HIGHEST_PROTOCOL).dump(value)
    return buffer.getvalue()


def _loads(data):
    return None if data is None else pickle.loads(data)


def cached(project, name: str, compute, *, daily: bool = False):
    """`compute()`, or its result from the cache while the project is unchanged.

    Texts are translated when computed, so the language is part of the key; with `daily`, so
    is today's date.
    """
    key = _key(project, name, daily)
    cache = caches["derived"]
    value = _loads(cache.get(key))
    if value is None:
        value = compute()
        cache.set(key, _dumps(value))
    return value


def cached_many(projects, name: str, compute, *, daily: bool = False) -> dict:
    """{project.pk: value} for many projects; `compute(missing)` reads the others in one batch."""
    keys = {project.pk: _key(project, name, daily) for project in projects}
    cache = caches["derived"]
    found = cache.get_many(keys.values())
    result = {pk: _loads(found[key]) for pk, key in keys.items() if key in found}
    missing = [project for project in projects if project.pk not in result]
    if missing:
        fresh = compute(missing)
        cache.set_many({keys[pk]: _dumps(value) for pk, value in fresh.items()})
        result.update(fresh)
    return result


def fragment_key(projects, name: str, vary: str) -> str:
    """Key of a rendered part of a page ({% projectcache %}): its projects' keys, today, `vary`.

    `projects` is one project or a list of them (a part about all of a user's projects).
    """
    if not isinstance(projects, list | tuple):
        return f"{_key(projects, f'fragment-{name}', daily=True)}:{vary}"
    keys = "|".join(_key(project, "", daily=True) for project in projects)
    return f"derived:fragment-{name}:many:{hashlib.sha256(keys.encode()).hexdigest()}:{vary}"


def lazy(compute):
    """`compute()` on first use: a view's rows that a cached part of its page may not need."""
    return SimpleLazyObject(compute)


def first_rows(projects, name: str, rows_of, *, sort_key, limit: int, daily: bool = False):
    """The first `limit` rows by `sort_key` across `projects` (dashboard lists).

    `rows_of(projects)` gives {project.pk: that project's own first `limit` rows} in one
    query; each project's list is cached, so an unchanged project is not read again.
    """
    per_project = cached_many(projects, name, rows_of, daily=daily)
    rows = [row for project in projects for row in per_project.get(project.pk, [])]
    return sorted(rows, key=sort_key)[:limit]


def by_project(projects, rows, project_id) -> dict:
    """{project.pk: [its rows, in their order]}, an empty list for a project without rows."""
    grouped = {project.pk: [] for project in projects}
    for row in rows:
        grouped[project_id(row)].append(row)
    return grouped


def per_project_rank(partition: str, *order_by):
    """A row number within each project, for `rows_of` functions: filter it `<= limit`."""
    from django.db.models import Window
    from django.db.models.functions import RowNumber

    return Window(RowNumber(), partition_by=F(partition), order_by=list(order_by))
