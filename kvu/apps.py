"""App configuration of the core app."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KvuConfig(AppConfig):
    name = "kvu"
    verbose_name = _("KVU projects")

    def ready(self):
        from django.contrib.auth import signals

        from kvu import audit, security
        from kvu.models import GateDecision, GuideStepRecord, Membership, Municipality, Project

        audit.track(Municipality, municipality="pk")
        audit.track(Membership, municipality="municipality_id")
        audit.track(Project, municipality="municipality_id")
        audit.track(GuideStepRecord, municipality="project.municipality_id")
        audit.track(GateDecision, municipality="project.municipality_id")

        signals.user_logged_in.connect(security.log_login, dispatch_uid="kvu_log_login")
        signals.user_logged_out.connect(security.log_logout, dispatch_uid="kvu_log_logout")
        signals.user_login_failed.connect(
            security.log_login_failed, dispatch_uid="kvu_log_login_failed"
        )
