"""The working group's tab in the project's tab bar (kvu.panels, through PartnersConfig)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from kvu.panels import Tab

WORKING_GROUP_PAGES = {"working_group", "working_group_member"}


def project_tabs(project, url_name):
    url = reverse("working_group", args=[project.pk])
    return [Tab(55, _("Working group"), url, url_name in WORKING_GROUP_PAGES)]
