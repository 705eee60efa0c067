"""App configuration of the partners app."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners and outreach")

    def ready(self):
        import partners.audit
        import partners.declaration.admin  # noqa: F401  (admin.autodiscover finds partners.admin only)

    # What this app shows on kvu's pages (kvu/extensions.py).

    def guide_steps(self):
        from partners import guide

        return guide.STEPS

    def support_meter(self):
        from partners import guide

        return guide.SupportMeter

    def timeline_sources(self):
        from partners import guide

        return guide.TIMELINE_SOURCES

    def panels(self, slot):
        from partners import guide, panels
        from partners.declaration import panels as declaration_panels

        if slot == "status_report":
            return guide.REPORT_SECTIONS
        return [*panels.PANELS.get(slot, []), *declaration_panels.PANELS.get(slot, [])]

    def project_tabs(self, project, url_name):
        from partners import panels
        from partners.declaration import panels as declaration_panels
        from partners.workgroup import panels as workgroup_panels

        return [
            *panels.project_tabs(project, url_name),
            *declaration_panels.project_tabs(project, url_name),
            *workgroup_panels.project_tabs(project, url_name),
        ]

    def digest_sections(self, user, projects, today):
        from partners import digest

        return digest.digest_sections(user, projects, today)

    def search_sources(self):
        from partners import search

        return search.SOURCES

    def load_demo(self):
        from partners import demo

        return demo.load()
