"""In Chromium: the project leader records a partner's concern, settles it with an agreement,
finds it in the project's list of concerns and deletes one through the confirmation page."""

import pytest
from playwright.sync_api import expect

from kvu.models import Project
from partners.models import Concern, ConcernStatus
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

SAID = "Wij zijn bang dat portiers extra geld gaan kosten."
DONE = "De gemeente betaalt de eerste training van de portiers."


def _english(page):
    """The interface in English: the tests read English, the Dutch catalogue comes later."""
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state("load")
    expect(page.locator("html")).to_have_attribute("lang", "en")


@pytest.mark.parametrize("width", [1280, 375])
def test_leader_records_settles_finds_and_deletes_a_concern(
    page_for, demo_data, audit, screenshot, width
):
    project = Project.objects.get(name="KVU Binnenstad Enschede")
    participation = project.participations.get(organisation__name="Horecavereniging Oude Markt")
    agreement = participation.agreements.order_by("-date").first()

    page = page_for(width=width)
    login(page, "projectleider")
    _english(page)
    page.goto(participation.get_absolute_url())
    screenshot(page, "1-partner-page")

    # Add: its own page, back to the partner's page with a message.
    page.get_by_role("link", name="Add a concern").click()
    expect(page.get_by_role("heading", name="Add a concern")).to_be_visible()
    audit(page, "add concern")
    page.get_by_label("Kind of concern").select_option("extra_costs")
    page.get_by_label("What the partner said").fill(SAID)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The concern has been added.")).to_be_visible()
    assert page.url.endswith(participation.get_absolute_url())
    concern = Concern.objects.get(partner_text=SAID)
    assert concern.status == ConcernStatus.OPEN
    item = page.locator("li.concern", has_text=SAID)
    expect(item).to_contain_text("open")
    screenshot(page, "2-concern-added")

    # Settle it with the agreement made with this partner.
    item.get_by_role("link", name="edit").click()
    expect(page.get_by_role("heading", name="Edit concern")).to_be_visible()
    page.get_by_label("What the municipality does about it").fill(DONE)
    page.get_by_label("Status").select_option("resolved")
    page.get_by_label("Settled by agreement").select_option(str(agreement.pk))
    audit(page, "edit concern")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The concern has been saved.")).to_be_visible()
    concern.refresh_from_db()
    assert (concern.status, concern.agreement_id, concern.response) == (
        ConcernStatus.RESOLVED,
        agreement.pk,
        DONE,
    )
    expect(page.locator("li.concern", has_text=SAID)).to_contain_text("settled by the agreement")

    # The project's list: the tab, filtered by status and kind.
    page.goto(f"/projecten/{project.pk}/zorgen/")
    expect(page.get_by_role("heading", name="Concerns of the partners")).to_be_visible()
    audit(page, "concern list")
    page.get_by_label("Status").select_option("resolved")
    page.get_by_label("Kind of concern").select_option("extra_costs")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state("load")
    rows = page.locator("tr.concern")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(SAID)
    screenshot(page, "3-concern-list")

    # Delete: the question first, then back to the list the leader came from.
    rows.first.get_by_role("link", name="delete").click()
    expect(page.get_by_role("heading", name="Delete this concern?")).to_be_visible()
    expect(page.get_by_text(SAID)).to_be_visible()
    audit(page, "confirm concern delete")
    assert Concern.objects.filter(pk=concern.pk).exists()  # asking deleted nothing
    page.get_by_role("button", name="Delete concern").click()
    expect(page.get_by_text("The concern has been deleted.")).to_be_visible()
    assert "/zorgen/" in page.url
    assert "status=resolved" in page.url
    assert not Concern.objects.filter(pk=concern.pk).exists()
    screenshot(page, "4-concern-deleted")
    audit.assert_clean()
