"""App configuration of the plans app (CCV steps 4 to 7)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Plan of approach and covenant")

    def ready(self):
        from plans import audit  # noqa: F401  (registers the models with the audit trail)

    # What this app shows on the pages below it (kvu/extensions.py) is added here: step 4 (the
    # plan, plans/plan/) and step 5 (the covenant, plans/covenant/) each bring their own.

    def guide_steps(self):
        from plans.covenant import guide as covenant_guide
        from plans.plan import guide as plan_guide

        return [*plan_guide.STEPS, *covenant_guide.STEPS]

    def panels(self, slot):
        from plans.covenant import panels as covenant_panels
        from plans.plan import panels as plan_panels

        return [*plan_panels.PANELS.get(slot, []), *covenant_panels.PANELS.get(slot, [])]

    def project_tabs(self, project, url_name):
        from plans.covenant import panels as covenant_panels
        from plans.plan import panels as plan_panels

        return [
            *plan_panels.project_tabs(project, url_name),
            *covenant_panels.project_tabs(project, url_name),
        ]

    def load_demo(self):
        from plans import demo

        return demo.load()
