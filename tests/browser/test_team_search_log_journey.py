"""In Chromium, in Dutch, issue 18 end to end: the leader invites a colleague, the colleague sets a
password from the e-mailed link and works as an editor; the leader finds a partner by a word from
a contact summary and reads the colleague's first change in words in the change log."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from kvu.models import Membership, Project
from partners.models import ContactMoment, Participation, Stage
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

LINK_PATH = re.compile(r"https?://[^/\s]+(/team/uitnodiging/[A-Za-z0-9_\-]{40,}/)")
PASSWORD = "Terrasverwarmer-Oude-Markt-17"
EMAIL = "noor.visser@enschede.example"


def test_invited_colleague_works_and_the_leader_finds_and_reads_it(
    page_for, demo_data, audit, screenshot
):
    project = Project.objects.get(name="KVU Binnenstad Enschede")
    municipality = project.municipality
    partner = (
        Participation.objects.filter(project=project, stage=Stage.APPROACHED)
        .select_related("organisation")
        .first()
    )
    assert partner is not None, "the demo needs an approached partner"

    # The leader invites Noor Visser as an editor from the team page.
    leader = page_for()
    login(leader, "projectleider")
    leader.goto(reverse("team", args=[municipality.pk]))
    leader.locator("#id_name").fill("Noor Visser")
    leader.locator("#id_email").fill(EMAIL)
    leader.locator("#id_role").select_option("editor")
    mail.outbox.clear()
    leader.locator("#invite-form button[type=submit]").click()
    expect(leader.locator("#team-invitations")).to_contain_text(EMAIL)
    (message,) = mail.outbox
    assert message.to == [EMAIL]
    link = LINK_PATH.search(message.body).group(1)

    # The colleague chooses a password from the link and is logged in as an editor.
    colleague = page_for(width=375, height=800)
    colleague.goto(link)
    expect(colleague.locator("h1")).to_contain_text("Enschede")
    colleague.locator("#id_new_password1").fill(PASSWORD)
    colleague.locator("#id_new_password2").fill(PASSWORD)
    colleague.locator("#accept-form button[type=submit]").click()
    colleague.wait_for_url("**/")
    assert Membership.objects.get(user__email=EMAIL, municipality=municipality).role == "editor"

    # Their first change: the partner moves on to "interested".
    colleague.goto(partner.get_absolute_url())
    stage_form = colleague.locator("form[action$='/fase/']")
    stage_form.get_by_label("Nieuwe fase").select_option(value=Stage.INTERESTED)
    stage_form.get_by_role("button", name="Fase wijzigen").click()
    expect(colleague.get_by_text("geïnteresseerd").first).to_be_visible()
    partner.refresh_from_db()
    assert partner.stage == Stage.INTERESTED
    screenshot(colleague, "1-colleague-changed-stage")

    # The leader searches the header for a word from a contact summary and lands on the partner.
    contact = ContactMoment.objects.get(summary="Ledenavond horecavereniging: uitleg KVU.")
    leader.goto("/")
    header_search = leader.get_by_role("search", name="Zoeken")
    header_search.get_by_role("searchbox").fill("ledenavond")
    header_search.get_by_role("button").click()
    contacts = leader.locator("section#results-contacts")
    expect(contacts).to_contain_text(contact.participation.project.name)
    screenshot(leader, "2-search")
    audit(leader, "search results (nl)")
    contacts.get_by_role(
        "link", name=re.compile(re.escape(contact.participation.organisation.name))
    ).click()
    leader.wait_for_url(f"**{contact.participation.get_absolute_url()}#contact-{contact.pk}")
    expect(leader.locator("h1")).to_contain_text(contact.participation.organisation.name)

    # The change log names the colleague's first change in words.
    leader.goto(reverse("audit_log", args=[municipality.pk]))
    row = leader.locator("#change-log tbody tr").filter(has_text="Noor Visser").first
    expect(row).to_contain_text(f"Noor Visser wijzigde bij {partner.organisation.name}")
    expect(row).to_contain_text("‘benaderingsfase’: benaderd → geïnteresseerd")
    screenshot(leader, "3-change-log")
    audit(leader, "change log (nl)")
    audit.assert_clean()
