"""In Chromium: a colleague moves a partner on, and the leader reads it in the change log."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from kvu.models import Project
from partners.models import Participation, Stage
from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def _switch_language(page, to):
    button = {"en": "English", "nl": "Nederlands"}[to]
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state("load")
    expect(page.locator("html")).to_have_attribute("lang", to)


def test_the_change_log_names_a_colleagues_first_change_in_words(
    page_for, demo_data, audit, screenshot
):
    project = Project.objects.get(name="KVU Binnenstad Enschede")
    partner = (
        Participation.objects.filter(project=project, stage=Stage.APPROACHED)
        .select_related("organisation")
        .first()
    )
    assert partner is not None, "the demo needs an approached partner"

    # The colleague (an editor) moves the partner to "interested" on its page.
    colleague = page_for()
    login(colleague, "collega")
    colleague.goto(partner.get_absolute_url())
    stage_form = colleague.locator("form[action$='/fase/']")
    stage_form.get_by_label("Nieuwe fase").select_option(value=Stage.INTERESTED)
    stage_form.get_by_role("button", name="Fase wijzigen").click()
    expect(colleague.get_by_text("geïnteresseerd").first).to_be_visible()
    partner.refresh_from_db()
    assert partner.stage == Stage.INTERESTED

    # The leader opens the change log from the user menu and keeps only the colleague's changes.
    leader = page_for()
    login(leader, "projectleider")
    leader.goto(reverse("audit_log", args=[project.municipality_id]))
    audit(leader, "change log nl")
    screenshot(leader, "change-log-nl")
    # The stage labels are in the Dutch catalogue already; the verbs come with changelog.po.
    row = leader.locator("#change-log tbody tr").filter(has_text="Karim El Amrani").first
    expect(row).to_contain_text("benaderd → geïnteresseerd")
    expect(row).to_contain_text(partner.organisation.name)

    _switch_language(leader, "en")
    leader.get_by_label("Person").select_option(label="Karim El Amrani")
    leader.get_by_label("Period").select_option(label="today")
    leader.get_by_role("button", name="Filter").click()
    leader.wait_for_load_state("load")
    rows = leader.locator("#change-log tbody tr")
    expect(rows).to_have_count(1)
    sentence = (
        f"Karim El Amrani changed outreach stage of {partner.organisation.name} – {project.name}: "
        "approached → interested"
    )
    expect(rows.first).to_contain_text(sentence)
    link = rows.first.get_by_role("link", name=re.compile(re.escape(partner.organisation.name)))
    expect(link).to_have_attribute("href", partner.get_absolute_url())
    screenshot(leader, "change-log")
    audit(leader, "change log en, filtered")

    # The table scrolls on a phone, so it must be reachable with the keyboard.
    region = leader.get_by_role("region", name="Changes, newest first")
    region.focus()
    expect(region).to_be_focused()

    link.click()
    expect(leader).to_have_url(re.compile(re.escape(partner.get_absolute_url()) + "$"))
    audit.assert_clean()
