"""App configuration of the partners app."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners and outreach")

    def ready(self):
        # Each of these registers with kvu (panels, the guide, the audit trail) when imported.
        import partners.audit
        import partners.declaration.admin
        import partners.declaration.panels
        import partners.guide_evidence
        import partners.panels  # noqa: F401
