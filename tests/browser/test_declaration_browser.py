"""In Chromium: the leader drafts and sends the declaration, a partner signs it on a phone."""

import io
import re

import pytest
from django.core import mail
from playwright.sync_api import expect
from pypdf import PdfReader

from kvu.models import Municipality, Project
from partners.models import Declaration, Organisation, OrganisationKind, Participation, Person
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

LINK_PATH = re.compile(r"(/ondertekenen/[A-Za-z0-9_\-]{40,}/)")


def _project_with_a_partner():
    enschede = Municipality.objects.get(cbs_code="GM0153")
    project = Project.objects.create(
        municipality=enschede,
        name="KVU Stationskwartier",
        nightlife_area="Stationsplein",
        project_leader=Project.objects.get(name="KVU Binnenstad Enschede").project_leader,
    )
    organisation = Organisation.objects.create(
        municipality=enschede, name="Café Het Spoor", kind=OrganisationKind.HOSPITALITY
    )
    person = Person.objects.create(
        organisation=organisation,
        name="Jan Jansen",
        function="eigenaar",
        email="jan@cafehetspoor.example",
    )
    Participation.objects.create(
        project=project, organisation=organisation, role="core", main_contact=person
    )
    return project


def test_leader_sends_partner_signs_on_a_phone_and_the_pdf_matches_verification(
    page_for, demo_data, screenshot
):
    project = _project_with_a_partner()
    leader = page_for()
    login(leader, "projectleider")
    leader.goto(f"/projecten/{project.pk}/")
    leader.get_by_role("link", name="Intentieverklaring").first.click()
    leader.get_by_role("button", name="Verklaring opstellen").click()
    expect(
        leader.get_by_role("heading", name="Tekst bewerken · Intentieverklaring")
    ).to_be_visible()
    expect(leader.get_by_label("Deelnemende partijen en hun vertegenwoordigers")).to_contain_text(
        "Café Het Spoor, vertegenwoordigd door Jan Jansen"
    )
    screenshot(leader, "1-draft")
    leader.get_by_role("button", name="Opslaan").click()
    leader.get_by_role("link", name="Ondertekenaars uitnodigen").click()
    leader.get_by_label(re.compile("Café Het Spoor: Jan Jansen")).check()
    mail.outbox.clear()
    leader.get_by_role("button", name="Uitnodigingen versturen").click()
    expect(leader.get_by_text("niet geopend")).to_be_visible()
    screenshot(leader, "2-sent")
    assert "/ondertekenen/" not in leader.content()

    # The link exists only in the e-mail to the partner.
    (message,) = mail.outbox
    assert message.to == ["jan@cafehetspoor.example"]
    link = LINK_PATH.search(message.body).group(1)

    phone = page_for(width=375, height=800)
    phone.goto(link)
    assert phone.url.endswith("/ondertekenen/")
    expect(phone.get_by_role("heading", name="Intentieverklaring", exact=True)).to_be_visible()
    expect(phone.get_by_text("Café Het Spoor").first).to_be_visible()
    # Nothing is wider than the phone: the text wraps, the buttons fit.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(phone, "3-signing-page-phone")
    sign = phone.get_by_role("region", name="Ondertekenen")
    expect(sign.get_by_label("Uw volledige naam")).to_have_value("Jan Jansen")
    sign.get_by_label("Uw functie").fill("eigenaar")
    sign.get_by_label("Ik onderteken de intentieverklaring namens Café Het Spoor.").check()
    sign.get_by_role("button", name="Verklaring ondertekenen").click()
    expect(phone.get_by_role("heading", name="Bedankt, u hebt ondertekend")).to_be_visible()
    screenshot(phone, "4-signed-phone")

    leader.reload()
    expect(leader.get_by_text("getekend", exact=True)).to_be_visible()
    expect(leader.get_by_text("Jan Jansen, eigenaar")).to_be_visible()
    screenshot(leader, "5-status-signed")
    with leader.expect_download() as download_info:
        leader.get_by_role("link", name="Pdf downloaden").click()
    pdf = open(download_info.value.path(), "rb").read()  # noqa: SIM115
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)

    declaration = Declaration.objects.get(project=project)
    verification = page_for(width=375)
    verification.goto(f"/verificatie/?code={declaration.verification_code.lower()}")
    shown_hash = verification.get_by_test_id("text-hash").inner_text().strip()
    expect(verification.get_by_text("Jan Jansen (eigenaar) namens Café Het Spoor")).to_be_visible()
    screenshot(verification, "6-verification")
    assert "Jan Jansen" in text
    assert "Café Het Spoor" in text
    assert shown_hash in "".join(text.split())
