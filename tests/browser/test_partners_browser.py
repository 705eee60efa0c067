"""In Chromium: a project leader adds a partner, logs a contact, moves it and follows up."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from partners.models import ContactMoment, Participation, Stage
from tests.browser.conftest import login

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 375])
def test_leader_adds_a_partner_logs_a_contact_moves_it_and_follows_up(
    page_for, demo_data, screenshot, width
):
    name = f"Café De Kroeg {width}"
    follow_up = timezone.localdate() + datetime.timedelta(days=3)
    page = page_for(width=width)
    login(page, "projectleider")

    page.get_by_role("link", name="KVU Binnenstad Enschede").first.click()
    page.get_by_role("link", name="Partners", exact=True).first.click()
    expect(page.get_by_role("heading", name="Partners", exact=True)).to_be_visible()
    screenshot(page, "1-board")

    page.get_by_role("link", name="Partner toevoegen").click()
    new = page.locator("section", has=page.get_by_role("heading", name="Nieuwe organisatie"))
    new.get_by_label("Naam").fill(name)
    new.get_by_label("Soort").select_option(label="horecaondernemer (café, club, restaurant)")
    new.get_by_label("Postcode").fill("7511 hn")
    screenshot(page, "2-add-partner")
    new.get_by_role("button", name="Aanmaken en toevoegen").click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    expect(page.get_by_text(f"{name} is toegevoegd aan de partners.")).to_be_visible()
    participation = Participation.objects.get(organisation__name=name)
    assert participation.role == "core"

    form = page.locator("form", has=page.get_by_role("button", name="Toevoegen aan het logboek"))
    form.get_by_label("Kanaal").select_option(label="bezoek")
    form.get_by_label("Wat is besproken").fill("Langs geweest en de KVU uitgelegd.")
    form.get_by_label("Opvolgen op").fill(follow_up.isoformat())
    form.get_by_role("button", name="Toevoegen aan het logboek").click()
    expect(page.get_by_text("Het contact is toegevoegd aan het logboek.")).to_be_visible()
    expect(page.get_by_text("Langs geweest en de KVU uitgelegd.")).to_be_visible()
    screenshot(page, "3-contact-logged")

    page.get_by_role("link", name="Partners", exact=True).first.click()
    card = page.locator(f"#partner-{participation.pk}")
    card.get_by_label(f"Nieuwe fase voor {name}").select_option(label="Geïnteresseerd")
    card.get_by_role("button", name="Verplaatsen").click()
    expect(page.get_by_text(f"{name} staat nu in de fase “geïnteresseerd”.")).to_be_visible()
    column = page.locator("section", has=page.get_by_role("heading", name="Geïnteresseerd"))
    expect(column.get_by_role("link", name=name)).to_be_visible()
    screenshot(page, "4-moved")
    participation.refresh_from_db()
    assert participation.stage == Stage.INTERESTED
    assert participation.stage_changes.count() == 2

    page.get_by_role("link", name="KVU-werkplaats").click()
    follow_ups = page.locator("section", has=page.get_by_role("heading", name="Opvolgingen"))
    expect(follow_ups.get_by_role("link", name=name)).to_be_visible()
    screenshot(page, "5-dashboard")
    follow_ups.get_by_role("button", name=f"Afgerond – {name}").click()
    expect(page.get_by_text(f"De opvolging bij {name} is afgerond.")).to_be_visible()
    expect(follow_ups.get_by_role("link", name=name)).to_have_count(0)
    screenshot(page, "6-done")
    assert ContactMoment.objects.get(participation=participation).follow_up_done

    # The overview and the influence/interest grid, for the screenshots.
    page.get_by_role("link", name="KVU Binnenstad Enschede").first.click()
    expect(
        page.get_by_role("heading", name="Kernpartners die nog niet hebben toegezegd")
    ).to_be_visible()
    screenshot(page, "7-overview")
    page.goto(f"/projecten/{participation.project_id}/partners/invloed-en-belang/")
    expect(page.get_by_role("heading", name="Nauw betrekken")).to_be_visible()
    screenshot(page, "8-grid")
