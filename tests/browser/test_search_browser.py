"""In Chromium: the leader searches the header for a word from a contact's summary and lands on
that partner's page; on a phone the box is in the menu; another municipality finds nothing."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from partners.models import ContactMoment
from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def _english(page, live_server):
    """The language switch's cookie: the search's texts are in the Dutch catalogue only later."""
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )


def test_leader_finds_a_partner_by_a_word_from_a_contact_summary(
    page_for, live_server, demo_data, audit, screenshot
):
    contact = ContactMoment.objects.get(summary="Ledenavond horecavereniging: uitleg KVU.")
    partner = contact.participation
    page = page_for()
    login(page, "projectleider")
    _english(page, live_server)
    page.goto("/")
    header_search = page.get_by_role("search", name="Search")
    header_search.get_by_label("Search your projects").fill("ledenavond")
    header_search.get_by_role("button", name="Search").click()

    expect(page.get_by_role("heading", name="Search", level=1)).to_be_visible()
    contacts = page.locator("section#results-contacts")
    expect(contacts.get_by_role("heading", name=re.compile("Contact moments"))).to_be_visible()
    expect(contacts.get_by_text(partner.project.name)).to_be_visible()  # the project is named
    screenshot(page, "1-results")
    audit(page, "search results")

    contacts.get_by_role("link", name=re.compile(partner.organisation.name)).click()
    page.wait_for_url(f"**{partner.get_absolute_url()}#contact-{contact.pk}")
    expect(page.get_by_role("heading", name=partner.organisation.name, level=1)).to_be_visible()
    expect(page.locator(f"#contact-{contact.pk}")).to_contain_text("Ledenavond")
    screenshot(page, "2-partner")

    # Nothing found: the empty state, with the query echoed in the search page's own box.
    page.goto("/zoeken/?q=xyzzy")
    expect(page.locator("#search-summary")).to_contain_text("Nothing found for “xyzzy”")
    expect(page.get_by_label("Search your projects").last).to_have_value("xyzzy")
    audit(page, "search without results")

    # On a phone the search box sits in the menu and works the same.
    phone = page_for(width=375, height=800)
    login(phone, "projectleider")
    _english(phone, live_server)
    phone.goto("/")
    phone.get_by_role("button", name="Toggle navigation").click()
    box = phone.get_by_role("search", name="Search").get_by_label("Search your projects")
    box.fill("ledenavond")
    box.press("Enter")
    expect(phone.locator("section#results-contacts")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(phone, "3-phone")
    audit(phone, "search results on a phone")

    # Between phone and desktop the header still fits beside the menu (no sideways scrolling).
    tablet = page_for(width=800, height=900)
    login(tablet, "projectleider")
    tablet.goto(partner.get_absolute_url())
    expect(tablet.get_by_role("search", name="Zoeken")).to_be_visible()
    screenshot(tablet, "4-tablet")
    assert tablet.evaluate("document.documentElement.scrollWidth") <= 800

    # The leader of Apeldoorn finds nothing of Enschede.
    outsider = page_for()
    login(outsider, "projectleider2")
    _english(outsider, live_server)
    outsider.goto("/zoeken/?q=ledenavond")
    expect(outsider.locator("#search-summary")).to_contain_text("Nothing found")
    expect(outsider.locator(".search-result")).to_have_count(0)
    audit.assert_clean()
