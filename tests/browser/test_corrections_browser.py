"""In Chromium: the project leader corrects a logged contact on the partner's page and deletes an
agreement through the confirmation page."""

import pytest
from playwright.sync_api import expect

from kvu.models import Project
from partners.models import Agreement, ContactMoment
from tests.browser.conftest import login
from tests.factories import AgreementFactory, ContactMomentFactory

pytestmark = pytest.mark.browser

WRONG = "Gebeld met de portier over de sluitingstijd van vrijdag."
RIGHT = "Gebeld met de bedrijfsleider over de sluitingstijd van zaterdag."
AGREEMENT = "Het café meldt incidenten voortaan binnen een dag bij de politie."


def _english(page):
    """The interface in English: the tests read English, the Dutch catalogue comes later."""
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state("load")
    expect(page.locator("html")).to_have_attribute("lang", "en")


@pytest.mark.parametrize("width", [1280, 375])
def test_leader_corrects_a_contact_and_deletes_an_agreement(
    page_for, demo_data, audit, screenshot, width
):
    project = Project.objects.get(name="KVU Binnenstad Enschede")
    participation = project.participations.select_related("organisation").order_by("pk").first()
    moment = ContactMomentFactory(participation=participation, summary=WRONG)
    agreement = AgreementFactory(project=project, text=AGREEMENT)
    agreement.participations.add(participation)

    page = page_for(width=width)
    login(page, "projectleider")
    _english(page)
    page.goto(participation.get_absolute_url())
    entry = page.locator(f"#contact-{moment.pk}")
    expect(entry).to_contain_text(WRONG)
    screenshot(page, "1-partner-page")

    # Correct the contact: its own page, back to the partner's page with a message.
    entry.get_by_role("link", name="Edit contact of").click()
    expect(page.get_by_role("heading", name="Edit contact")).to_be_visible()
    audit(page, "edit contact")
    page.get_by_label("What was discussed").fill(RIGHT)
    screenshot(page, "2-edit-contact")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The contact has been saved.")).to_be_visible()
    assert page.url.endswith(participation.get_absolute_url())
    expect(page.locator(f"#contact-{moment.pk}")).to_contain_text(RIGHT)
    moment.refresh_from_db()
    assert moment.summary == RIGHT
    screenshot(page, "3-contact-corrected")

    # Delete the agreement: the confirmation page first, then back where the leader came from.
    item = page.locator("li.agreement", has_text=AGREEMENT)
    item.get_by_role("link", name="Delete agreement of").click()
    expect(page.get_by_role("heading", name="Delete this agreement?")).to_be_visible()
    expect(page.get_by_text(AGREEMENT)).to_be_visible()
    audit(page, "confirm agreement delete")
    screenshot(page, "4-confirm-delete")
    assert Agreement.objects.filter(pk=agreement.pk).exists()  # asking deleted nothing
    page.get_by_role("button", name="Delete agreement").click()
    expect(page.get_by_text("The agreement has been deleted.")).to_be_visible()
    assert page.url.endswith(participation.get_absolute_url())
    expect(page.locator("li.agreement", has_text=AGREEMENT)).to_have_count(0)
    assert not Agreement.objects.filter(pk=agreement.pk).exists()
    assert ContactMoment.objects.filter(pk=moment.pk).exists()
    screenshot(page, "5-agreement-deleted")
    audit.assert_clean()
