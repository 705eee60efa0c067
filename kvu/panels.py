"""Extension points: apps contribute sections (panels) to pages of apps they depend on.

`kvu` never imports `partners` or `meetings`; instead those apps register panels here in their
AppConfig.ready(), and the pages render whatever is registered for a slot:

    @panels.register("project_overview", order=20)
    def partner_counts(request, *, project):
        return render_to_string("partners/_panel_counts.html", {...}, request=request)

Slots in use: "dashboard" (kwargs: none), "project_overview" (project), "participation"
(participation), "project_nav" (project; each panel returns one or more
`<li class="nav-item"><a class="nav-link ..." href=...>` tabs for kvu/_project_nav.html, which
every project-scoped page includes; mark the active tab with `active` and aria-current).
A panel returns HTML, or "" to show nothing. Each panel must issue a fixed number of queries,
whatever the amount of data.
"""

from collections import defaultdict

from django.utils.safestring import SafeString, mark_safe

_registry: dict[str, list[tuple[int, str, object]]] = defaultdict(list)


def register(slot: str, *, order: int = 100):
    def decorator(func):
        key = f"{func.__module__}.{func.__qualname__}"
        entries = [entry for entry in _registry[slot] if entry[1] != key]
        entries.append((order, key, func))
        _registry[slot] = sorted(entries, key=lambda entry: (entry[0], entry[1]))
        return func

    return decorator


def render(slot: str, request, **kwargs) -> SafeString:
    parts = [str(func(request, **kwargs) or "") for _order, _key, func in _registry[slot]]
    return mark_safe("\n".join(part for part in parts if part))
