"""In Chromium: the guide on the project overview leads to the page where each step is done."""

import re

import pytest
from playwright.sync_api import expect

from kvu import guide
from kvu.models import CcvStep, GateDecision, Project
from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def _before_the_gate(project):
    """The demo's Enschede project as it was before it passed the gate to the analysis."""
    GateDecision.objects.filter(project=project).delete()
    project.ccv_step = CcvStep.INITIATIVE
    project.save(update_fields=["ccv_step"])


def test_guide_links_lead_to_the_page_where_each_step_is_done(page_for, demo_data, screenshot):
    project = Project.objects.get(name="KVU Binnenstad Enschede")
    _before_the_gate(project)
    page = page_for()
    login(page, "projectleider")
    page.get_by_role("link", name="KVU Binnenstad Enschede").first.click()
    expect(page.get_by_role("heading", name="Fasewijzer: initiatief")).to_be_visible()
    screenshot(page, "1-overview")

    links = page.locator(".guide-summary a.guide-link")
    targets = [
        (links.nth(i).get_attribute("data-step"), links.nth(i).get_attribute("href"))
        for i in range(links.count())
    ]
    # Every step offers at least one link to where it is done.
    assert {step for step, _href in targets} == {s.key for s in guide.steps()}
    overview = page.url
    for number, (step, href) in enumerate(targets, start=2):
        page.goto(overview)
        page.locator(f'.guide-summary a.guide-link[href="{href}"]').first.click()
        page.wait_for_load_state("load")
        assert page.url.endswith(href.split("#")[0]) or href.split("#")[0] in page.url, step
        expect(page.locator("h1")).to_be_visible()
        assert "404" not in page.title(), f"{step}: {href}"
        screenshot(page, f"{number}-{step}")
    assert project.pk


@pytest.mark.parametrize("width", [1280, 375])
def test_leader_passes_the_gate_by_recorded_decision(page_for, demo_data, screenshot, width):
    project = Project.objects.get(name="KVU Binnenstad Enschede")
    _before_the_gate(project)
    open_steps = guide.evaluate([project])[project.pk].required_open
    assert open_steps, "the demo project is nearly, not fully, ready for the gate"
    page = page_for(width=width)
    login(page, "projectleider")
    page.goto(project.get_absolute_url())
    expect(page.locator(".step-gate")).to_contain_text("fasepoort")
    page.get_by_role("link", name="Naar de fasepoort").first.click()
    expect(page.get_by_role("heading", name=re.compile("Fasepoort"))).to_be_visible()
    # Without naming what is missing the gate stays shut.
    page.get_by_role("button", name="Besluit vastleggen en door de poort").click()
    expect(page.get_by_text("Vink elke openstaande verplichte stap aan")).to_be_visible()
    screenshot(page, "1-gate-refused")
    for state in open_steps:
        page.get_by_label(str(state.step.title)).check()
    page.get_by_label("Reden om nu door de poort te gaan").fill(
        "De burgemeester wil de veiligheidsanalyse vóór de zomer starten."
    )
    page.get_by_role("button", name="Besluit vastleggen en door de poort").click()
    expect(page.get_by_text("je besluit is vastgelegd")).to_be_visible()
    # The project is in step 3 now; the step bar shows the gate that comes next, to step 4.
    expect(page.locator(".step-bar [aria-current=step]")).to_contain_text("Veiligheidsanalyse")
    expect(page.locator(".step-gate")).to_contain_text("fasepoort")
    screenshot(page, "2-gate-passed")
    project.refresh_from_db()
    assert project.ccv_step == CcvStep.SAFETY_ANALYSIS
    assert GateDecision.objects.get(project=project).missing_lines()


def test_guide_page_report_and_timeline_at_phone_width(page_for, demo_data, screenshot):
    project = Project.objects.get(name="KVU Binnenstad Enschede")
    page = page_for(width=375)
    login(page, "projectleider")
    page.goto(f"/projecten/{project.pk}/fasewijzer/")
    expect(page.get_by_role("heading", name="Draagvlakmeter", exact=True)).to_be_visible()
    expect(page.locator("svg[role=img]")).to_be_visible()
    screenshot(page, "1-guide")
    page.goto(f"/projecten/{project.pk}/tijdlijn/")
    expect(page.locator(".timeline-entry").first).to_be_visible()
    screenshot(page, "2-timeline")
    page.goto(f"/projecten/{project.pk}/rapportage/")
    expect(page.get_by_role("heading", name="Volgende stappen")).to_be_visible()
    screenshot(page, "3-report")
    page.goto("/projecten/overzicht/")
    expect(page.get_by_role("link", name="KVU Binnenstad Enschede")).to_be_visible()
    screenshot(page, "4-overview")
