"""Search across a user's projects: the result rows, the text match and the index behind it.

Each app lists what it can find through the `search_sources()` hook of its AppConfig
(kvu/extensions.py), returning `Source`s; the search page (kvu/search/views.py) asks every one
and shows the results grouped by kind. A source does one bounded query, within the projects it is
given, and builds each row's link to a page of that project (so the user may open it).

On PostgreSQL `matching` is full-text search with the Dutch configuration (stemming), ranked;
`full_text_index` in a migration adds the GIN index on exactly the expression it filters on, so
the database keeps the index current. On SQLite (the first-run default) it is a plain
contains-search.
"""

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import reduce

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections, migrations
from django.db.models import FloatField, Q, QuerySet, Value

CONFIG = "dutch"  # PostgreSQL's text search configuration: Dutch stemming and stop words
LIMIT = 10  # results per kind; a source returns one more to tell that there are more
# A word found in thousands of rows (a municipality's whole contact log; every municipality, for
# staff) is ranked within the first this many matches only: see `matching`.
RANK_WITHIN = 200


@dataclass(frozen=True)
class Result:
    title: str
    snippet: str
    project: str  # the project's name
    url: str


@dataclass(frozen=True)
class Source:
    """One kind of result: `find(projects, text, limit)` returns at most `limit` Results, best
    first, from the projects of the queryset `projects` only."""

    order: int
    kind: str  # a stable slug, used as the group's id on the page
    label: str  # plural, translated lazily
    find: Callable[[QuerySet, str, int], list[Result]]


def matching(
    queryset: QuerySet, fields: Sequence[str], text: str, *, within: int | None = None
) -> QuerySet:
    """`queryset` narrowed to the rows whose `fields` match `text`, with a `search_rank`; order
    by `-search_rank` for the best first.

    With `within`, only the first `within` matches the database finds are ranked, so that a word
    found in thousands of rows (a municipality's whole contact log) costs no more than that:
    PostgreSQL computes each row's text vector again to rank it (the index holds no vectors). The
    result is then a plain `pk__in` filter: add joins and annotations after it.

    On PostgreSQL the filter is the expression that `full_text_index` indexes; change both
    together.
    """
    if not text.split():
        return queryset.none()
    if connections[queryset.db].vendor == "postgresql":
        query = SearchQuery(text, search_type="websearch", config=CONFIG)
        found = queryset.alias(search_vector=SearchVector(*fields, config=CONFIG)).filter(
            search_vector=query
        )
    else:
        # Every word in at least one of the fields, ignoring case (SQLite: ASCII letters only).
        condition = Q()
        for word in text.split():
            condition &= reduce(
                operator.or_, (Q(**{f"{field}__icontains": word}) for field in fields)
            )
        found = queryset.filter(condition)
    if within is not None:
        found = queryset.model._default_manager.filter(
            pk__in=found.order_by().values("pk")[:within]
        )
    return ranked(found, fields, text)


def ranked(queryset: QuerySet, fields: Sequence[str], text: str) -> QuerySet:
    """`queryset` with a `search_rank`: how well `fields` match `text` (PostgreSQL only)."""
    if connections[queryset.db].vendor == "postgresql":
        vector = SearchVector(*fields, config=CONFIG)
        query = SearchQuery(text, search_type="websearch", config=CONFIG)
        return queryset.annotate(search_rank=SearchRank(vector, query))
    return queryset.annotate(search_rank=Value(0.0, output_field=FloatField()))


def full_text_index(model_name: str, fields: Sequence[str], name: str) -> migrations.RunPython:
    """A migration operation: the GIN index that `matching(..., fields, ...)` uses, on
    PostgreSQL only (SQLite has neither the index type nor the expression)."""
    index = GinIndex(SearchVector(*fields, config=CONFIG), name=name)

    def add(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.add_index(apps.get_model(model_name), index)

    def remove(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.remove_index(apps.get_model(model_name), index)

    return migrations.RunPython(add, remove, elidable=False)
