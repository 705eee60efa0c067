"""App configuration of the partners app."""

from importlib import import_module

from django.apps import AppConfig
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _

# Modules that register panels, admin classes or task handlers when imported.
REGISTERING_MODULES = [
    "panels",
    "declaration_panels",
    "declaration_admin",
    "guide_evidence",
    "audit",
    "derived",
]


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners and outreach")

    def ready(self):
        for name in REGISTERING_MODULES:
            if module_has_submodule(self.module, name):
                import_module(f"{self.name}.{name}")
