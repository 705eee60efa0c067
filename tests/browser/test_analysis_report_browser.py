"""In Chromium: the leader goes from the analysis' home to the conclusions, makes a knelpunt of a
conclusion on a 375 px phone, and reads the analysis report; every page passes axe and the HTML
check."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from analysis.models import Knelpunt
from kvu.models import Project
from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_leader_makes_a_knelpunt_of_a_conclusion_and_reads_the_report(
    demo_data, page_for, live_server, screenshot, audit
):
    project = Project.objects.get(name="KVU Binnenstad Enschede")
    page = page_for(width=375, height=800)
    login(page, "projectleider")
    # The new texts reach the Dutch catalogue only when the lead merges them.
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )
    page.goto(f"/projecten/{project.pk}/analyse/")
    expect(page.locator("#analysis-checklist")).to_be_visible()
    audit(page, "home")
    screenshot(page, "1-home")

    page.get_by_role("link", name="Conclusions and recommendations").first.click()
    expect(page.locator("#kind-conclusion")).to_be_visible()
    audit(page, "conclusions")
    screenshot(page, "2-conclusions")

    before = Knelpunt.objects.filter(analysis__project=project).count()
    page.get_by_role("link", name="Make a knelpunt of it").first.click()
    expect(page.get_by_label("Theme")).to_be_visible()
    audit(page, "knelpunt form")
    screenshot(page, "3-knelpunt-form")
    page.get_by_label("Theme").select_option("safety")
    page.get_by_role("button", name=re.compile("Opslaan|Save")).click()
    expect(page.locator("table")).to_be_visible()
    assert Knelpunt.objects.filter(analysis__project=project).count() == before + 1
    audit(page, "knelpunten")
    screenshot(page, "4-knelpunten")

    page.goto(f"/projecten/{project.pk}/analyse/rapport/")
    expect(page.locator("#r-knelpunten")).to_be_visible()
    audit(page, "report")
    screenshot(page, "5-report")
    audit.assert_clean()
