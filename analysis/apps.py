"""App configuration of the analysis app (CCV step 3)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalysisConfig(AppConfig):
    name = "analysis"
    verbose_name = _("Safety analysis")

    def ready(self):
        from analysis import audit  # noqa: F401  (registers the models with the audit trail)

    # What this app shows on the pages below it (kvu/extensions.py) is added here.

    def guide_steps(self):
        from analysis import guide

        return guide.STEPS

    def panels(self, slot):
        from analysis import panels

        return panels.PANELS.get(slot, [])

    def project_tabs(self, project, url_name):
        from analysis import panels

        return panels.project_tabs(project, url_name)

    def load_demo(self):
        from analysis import demo

        return demo.load()
