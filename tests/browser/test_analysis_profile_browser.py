"""In Chromium on a 375 px phone: the leader reads the area profile, describes an establishment,
adds a key figure and sees its chart, marks a source as not used (a reason is required) and
attaches a document to another; every page passes axe and the HTML check."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from analysis.models import Establishment, KeyFigure, Source
from kvu.demo import demo_pdf
from kvu.models import Document, Project
from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def _fits_the_phone(page):
    """Nothing wider than the 375 px screen (wide tables scroll inside their own box); the
    message names what sticks out."""
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')].filter(e => {
            for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
                if (getComputedStyle(p).overflowX !== 'visible') return false;
            }
            return e.getBoundingClientRect().right > 376;
        }).slice(0, 8).map(e => e.tagName + '.' + e.className + '#' + e.id + ' '
            + Math.round(e.getBoundingClientRect().right))"""
    )
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375, wide


def test_leader_keeps_the_area_profile_figures_and_sources_on_a_phone(
    demo_data, page_for, live_server, screenshot, audit, tmp_path
):
    project = Project.objects.get(name="KVU Binnenstad Enschede")
    page = page_for(width=375, height=800)
    login(page, "projectleider")
    # In English: the English interface is complete too (the labels below are English).
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/projecten/{project.pk}/analyse/gebied/")

    expect(page.locator("#establishment-table")).to_be_visible()
    _fits_the_phone(page)
    audit(page, "area profile")
    screenshot(page, "1-area")

    undescribed = page.locator("#establishment-table tbody tr", has_text="Vliegende Paard")
    undescribed.get_by_role("link", name=re.compile("Describe")).click()
    page.get_by_label("Kind of establishment").select_option("club")
    page.get_by_label("Capacity (visitors)").fill("400")
    page.get_by_label("Street").select_option(label="Stadsgravenstraat")
    audit(page, "establishment form")
    page.get_by_role("button", name=re.compile("Opslaan|Save")).click()
    expect(page.locator("#establishment-table")).to_contain_text("Stadsgravenstraat")
    assert Establishment.objects.filter(
        analysis__project=project, participation__organisation__name__contains="Vliegende"
    ).exists()

    page.goto(f"/projecten/{project.pk}/analyse/cijfers/")
    expect(page.locator("svg.figure-chart").first).to_be_visible()
    _fits_the_phone(page)
    audit(page, "key figures")
    screenshot(page, "2-figures")
    page.get_by_role("link", name="Add a key figure").click()
    page.locator("#id_kind").select_option("violence")
    page.get_by_label("Year").fill("2025")
    page.get_by_label("Value").fill("60")
    page.get_by_label("Source").fill("Politie")
    page.get_by_role("button", name=re.compile("Opslaan|Save")).click()
    expect(page.locator(".invalid-feedback, .text-danger").first).to_be_visible()  # 2025 exists
    audit(page, "figure form with an error")
    screenshot(page, "3-duplicate-year")
    page.get_by_label("Year").fill("2022")
    page.get_by_role("button", name=re.compile("Opslaan|Save")).click()
    expect(page.locator(".key-figure").nth(1)).to_contain_text("2022")
    assert KeyFigure.objects.filter(analysis__project=project, kind="violence").count() == 4

    page.goto(f"/projecten/{project.pk}/analyse/bronnen/")
    expect(page.locator("#indispensable-note")).to_be_visible()
    _fits_the_phone(page)
    audit(page, "sources")
    screenshot(page, "4-sources")
    page.locator("#source-observations").get_by_role("link", name=re.compile("Edit")).click()
    page.get_by_label("Status").select_option("not_used")
    page.get_by_role("button", name=re.compile("Opslaan|Save")).click()
    expect(page.locator("#id_reason_not_used.is-invalid")).to_be_visible()
    audit(page, "source form with an error")
    screenshot(page, "5-reason-required")
    page.get_by_label("Why it is not used").fill("Er is geen cameratoezicht in het gebied.")
    page.get_by_role("button", name=re.compile("Opslaan|Save")).click()
    expect(page.locator("#source-observations .source-reason")).to_contain_text("camera")
    assert Source.objects.get(analysis__project=project, kind="observations").status == "not_used"

    page.locator("#source-interviews").get_by_role("link", name=re.compile("Edit")).click()
    upload = tmp_path / "gesprekken.pdf"
    upload.write_bytes(demo_pdf("Gesprekken", ["Teamchef, 12 november"]))
    page.get_by_label("File").set_input_files(str(upload))
    page.get_by_label("Title").fill("Verslag gesprekken")
    page.get_by_role("button", name="Attach document").click()
    expect(page.locator("#documents")).to_contain_text("Verslag gesprekken")
    audit(page, "source with a document")
    screenshot(page, "6-source-document")
    assert Document.objects.filter(title="Verslag gesprekken", object_id__isnull=False).exists()
    audit.assert_clean()
