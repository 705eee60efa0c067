"""The search page: what the user's projects hold about a word, grouped by kind."""

from dataclasses import dataclass

from django.shortcuts import render

from kvu.extensions import collect
from kvu.models import Project
from kvu.search import LIMIT, Result, Source
from kvu.search.forms import SearchForm


@dataclass(frozen=True)
class Group:
    source: Source
    results: list[Result]
    more: bool  # there are more than LIMIT results of this kind


def sources() -> list[Source]:
    """Every app's search sources (kvu/extensions.py), in the order of the page."""
    return sorted((s for found in collect("search_sources") for s in found), key=lambda s: s.order)


def search(request):
    """Members search the projects of their municipalities; staff, who administer every
    municipality and may open every project's pages, search all of them (`visible_to`)."""
    form = SearchForm(request.GET or None)
    text = form.cleaned_data["q"] if form.is_valid() else ""
    groups = []
    if text:
        projects = Project.objects.visible_to(request.user).values("pk")
        for source in sources():
            results = source.find(projects, text, LIMIT + 1)
            if results:
                groups.append(Group(source, results[:LIMIT], len(results) > LIMIT))
    return render(
        request,
        "kvu/search.html",
        {"form": form, "text": text, "groups": groups, "limit": LIMIT},
    )
