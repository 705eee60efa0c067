"""App configuration of the core app."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KvuConfig(AppConfig):
    name = "kvu"
    verbose_name = _("KVU projects")
