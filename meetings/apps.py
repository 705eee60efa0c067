"""App configuration of the meetings app."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from meetings import (
            audit,  # noqa: F401  (registers the models with the audit trail)
            guide_evidence,  # noqa: F401  (registers with the phase guide)
            panels,  # noqa: F401  (registers the panels)
        )
