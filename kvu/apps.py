"""App configuration of the core app."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

GUIDE_PAGES = {"guide", "gate"}
DOCUMENT_PAGES = {"document_list", "document_delete"}


class KvuConfig(AppConfig):
    name = "kvu"
    verbose_name = _("KVU projects")

    def ready(self):
        from django.contrib.auth import signals

        from kvu import audit, checks, security  # noqa: F401 (checks registers itself)
        from kvu.models import (
            Document,
            GateDecision,
            GuideStepRecord,
            Membership,
            Municipality,
            Project,
            TeamInvitation,
        )

        audit.track(Municipality, municipality="pk")
        audit.track(Membership, municipality="municipality_id")
        audit.track(Project, municipality="municipality_id")
        audit.track(GuideStepRecord, municipality="project.municipality_id")
        audit.track(GateDecision, municipality="project.municipality_id")
        audit.track(Document, municipality="project.municipality_id")
        audit.track(TeamInvitation, municipality="municipality_id", exclude_fields=["token_hash"])
        from django.db.models.signals import post_delete

        from kvu.documents import remove_file_after_delete

        post_delete.connect(remove_file_after_delete, sender=Document, dispatch_uid="kvu_doc_file")
        # A user's own settings belong to no municipality, so no leader's change log shows
        # them; the audit trail in the admin does.
        from auditlog.registry import auditlog

        from kvu.models import UserSettings

        auditlog.register(UserSettings, exclude_fields=audit.ALWAYS_EXCLUDED)

        signals.user_logged_in.connect(security.log_login, dispatch_uid="kvu_log_login")
        signals.user_logged_out.connect(security.log_logout, dispatch_uid="kvu_log_logout")
        signals.user_login_failed.connect(
            security.log_login_failed, dispatch_uid="kvu_log_login_failed"
        )

    # What this app shows on its own pages through the extension point (kvu/extensions.py).

    def search_sources(self):
        from kvu.search import sources

        return sources.SOURCES

    def project_tabs(self, project, url_name):
        from django.urls import reverse

        from kvu.panels import Tab

        return [
            Tab(1, _("Overview"), project.get_absolute_url(), url_name == "project_detail"),
            Tab(2, _("Phase guide"), reverse("guide", args=[project.pk]), url_name in GUIDE_PAGES),
            Tab(3, _("Timeline"), reverse("timeline", args=[project.pk]), url_name == "timeline"),
            Tab(
                4,
                _("Report"),
                reverse("status_report", args=[project.pk]),
                url_name == "status_report",
            ),
            Tab(
                90,
                _("Documents"),
                reverse("document_list", args=[project.pk]),
                url_name in DOCUMENT_PAGES,
            ),
        ]
