"""The one extension point: what the apps above `kvu` show on kvu's pages.

The dependency order is one way (`kvu` <- `partners` <- `meetings`), so a page of a lower app
cannot import what a higher app knows. Instead an app defines one or more of these methods on its
AppConfig, and the lower app asks every installed app that has the method, in INSTALLED_APPS
order (which is the dependency order):

- `guide_steps()` -> [kvu.guide.Step]: steps of the phase guide, each with its evidence function
  beside it, in the app that knows the step's concepts;
- `support_meter()` -> an object with `support(projects)`, `course(project)` and `scale()`: the
  support meter (draagvlak) the guide shows (one app provides it);
- `timeline_sources()` -> {kind: (label, function)}: entries of the project's timeline;
- `panels(slot)` -> [(order, function)]: sections of a page (see kvu/panels.py);
- `project_tabs(project, url_name)` -> [kvu.panels.Tab]: tabs of the project's tab bar;
- `digest_sections(user, projects, today)` -> [kvu.digest.Section]: sections of a user's overview
  e-mail, bounded, from the given projects only (kvu/digest.py);
- `load_demo()`: the app's part of the demo data (`manage.py demo`);
- `search_sources()` -> [kvu.search.Source]: the kinds of result the header's search finds, each
  with one bounded query within the projects it is given (kvu/search/).

Reading apps/<app>/apps.py shows everything an app adds to the pages below it.
"""

from django.apps import apps


def collect(hook: str, *args, **kwargs) -> list:
    """The result of `hook(*args, **kwargs)` of every installed app that defines it."""
    return [
        getattr(config, hook)(*args, **kwargs)
        for config in apps.get_app_configs()
        if callable(getattr(config, hook, None))
    ]
