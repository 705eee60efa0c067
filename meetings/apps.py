"""App configuration of the meetings app."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from meetings import audit  # noqa: F401  (registers the models with the audit trail)

    # What this app shows on the pages of kvu and partners (kvu/extensions.py).

    def guide_steps(self):
        from meetings import guide

        return guide.STEPS

    def timeline_sources(self):
        from meetings import guide

        return guide.TIMELINE_SOURCES

    def panels(self, slot):
        from meetings import guide, panels

        if slot == "status_report":
            return guide.REPORT_SECTIONS
        return panels.PANELS.get(slot, [])

    def project_tabs(self, project, url_name):
        from meetings import panels

        return panels.project_tabs(project, url_name)

    def digest_sections(self, user, projects, today):
        from meetings import digest

        return digest.digest_sections(user, projects, today)

    def search_sources(self):
        from meetings import search

        return search.SOURCES

    def load_demo(self):
        from meetings import demo

        return demo.load()
