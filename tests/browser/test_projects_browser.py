"""In Chromium: a project leader creates a project; a viewer sees it but cannot change it."""

import re

import pytest
from playwright.sync_api import expect

from kvu.models import Project
from tests.browser.conftest import login

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 375])
def test_leader_creates_a_project_and_viewer_cannot_edit_it(page_for, demo_data, screenshot, width):
    page = page_for(width=width)
    login(page, "projectleider")
    expect(page.get_by_role("heading", name="Mijn projecten")).to_be_visible()
    screenshot(page, "1-dashboard")

    page.get_by_role("link", name="Nieuw project").click()
    page.get_by_label("Naam").fill("KVU Stationskwartier")
    page.get_by_label("Uitgaansgebied").fill("Stationsplein en Deurningerstraat")
    page.get_by_label("Startdatum").fill("2026-12-01")
    screenshot(page, "2-new-project")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", name="KVU Stationskwartier")).to_be_visible()
    expect(page.get_by_text("Project ‘KVU Stationskwartier’ is aangemaakt.")).to_be_visible()
    screenshot(page, "3-project")

    page.get_by_role("link", name="Overzicht").first.click() if width > 600 else page.goto("/")
    expect(page.get_by_role("link", name="KVU Stationskwartier")).to_be_visible()

    project = Project.objects.get(name="KVU Stationskwartier")
    viewer = page_for(width=width)
    login(viewer, "meelezer")
    viewer.get_by_role("link", name="KVU Stationskwartier").click()
    expect(viewer.get_by_role("heading", name="KVU Stationskwartier")).to_be_visible()
    expect(viewer.get_by_role("link", name="Project bewerken")).to_have_count(0)
    screenshot(viewer, "4-viewer")
    response = viewer.goto(f"/projecten/{project.pk}/bewerken/")
    assert response.status == 403
    expect(viewer.get_by_role("heading", name=re.compile("Dit mag je niet doen"))).to_be_visible()
