"""Sections (panels) and tabs that apps above kvu add to pages of the apps below them.

Apps contribute through their AppConfig (kvu/extensions.py):

    def panels(self, slot):
        from partners import panels
        return panels.PANELS.get(slot, [])   # [(order, function)]

Slots in use: "dashboard" (kwargs: none), "project_overview" (project, reading),
"participation" (participation), "status_report" (project, pdf). A panel function takes the
request and the slot's kwargs and returns HTML, or "" to show nothing. Each panel must issue a
fixed number of queries, whatever the amount of data. `reading` is the phase guide's
kvu.guide.Projects of the page: a panel that needs rows the guide read takes them from it
(`guide.shared`) instead of reading them again.

The project's tab bar is written once, in templates/kvu/_project_nav.html; apps add tabs as data
(`Tab`) through `AppConfig.project_tabs(project, url_name)`.
"""

from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

from kvu.extensions import collect


@dataclass(frozen=True)
class Tab:
    order: int
    label: str
    url: str
    active: bool = False


def render(slot: str, request, **kwargs) -> SafeString:
    contributed = sorted(
        (entry for app_panels in collect("panels", slot) for entry in app_panels),
        key=lambda entry: entry[0],
    )
    parts = [str(func(request, **kwargs) or "") for _order, func in contributed]
    return mark_safe("\n".join(part for part in parts if part))


def project_tabs(project, url_name: str) -> list[Tab]:
    tabs = [tab for app_tabs in collect("project_tabs", project, url_name) for tab in app_tabs]
    return sorted(tabs, key=lambda tab: tab.order)
