"""The three users end to end in Chromium: a screenshot of every step, an audit of every page.

The administrator sets up a municipality and its project leader; the leader takes an empty
project to sent invitations; a partner signs on a phone; the leader sees it and downloads the PDF.
The personal signing link is read from the e-mail (locmem outbox), never from a page.
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect
from pypdf import PdfReader

from kvu.models import Membership, Project
from partners.models import Invitation, InvitationStatus, Signature
from tests.browser.conftest import ARTIFACTS, login

pytestmark = pytest.mark.browser

LINK_RE = re.compile(r"https?://[^\s]+(/ondertekenen/[A-Za-z0-9_\-]{20,}/)")
PASSWORD = "Zwolle-veilig-uitgaan-2026"
LEADER_EMAIL = "l.visser@zwolle.example"  # also the user name (issue 18)

# (organisation, kind, contact person, function, e-mail)
PARTNERS = [
    ("Politie basisteam Zwolle", "police", "Sanne Bakker", "teamchef", "s.bakker@politie.example"),
    ("KHN afdeling Zwolle", "khn", "Henk Mulder", "voorzitter", "voorzitter@khn-zwolle.example"),
    ("Café De Zwaan", "hospitality", "Ilse de Boer", "eigenaar", "ilse@dezwaan.example"),
]


def admin_creates_municipality_and_leader(page, screenshot):
    login(page, "beheer")
    page.goto("/admin/kvu/municipality/add/")
    page.locator("#id_name").fill("Zwolle")
    page.locator("#id_cbs_code").fill("GM0193")
    page.locator("#id_province").select_option("OV")
    screenshot(page, "01-admin-new-municipality")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("Zwolle")

    # Team (issue 18): the administrator asks name, e-mail, municipality and role, and never
    # passes on a password: the leader sets it through the e-mailed invitation link.
    page.goto("/admin/auth/user/add/")
    page.locator("#id_first_name").fill("Lotte")
    page.locator("#id_last_name").fill("Visser")
    page.locator("#id_email").fill(LEADER_EMAIL)
    page.locator("#id_municipality").select_option(label="Zwolle")
    page.locator("#id_role").select_option("leader")
    screenshot(page, "02-admin-new-user")
    mail.outbox.clear()
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text(LEADER_EMAIL)
    (message,) = mail.outbox
    link = re.search(r"https?://[^\s]+(/team/uitnodiging/[A-Za-z0-9_\-]{20,}/)", message.body)
    leader = page.context.browser.new_context(base_url=page.url.split("/admin/")[0]).new_page()
    leader.goto(link.group(1))
    leader.locator("#id_new_password1").fill(PASSWORD)
    leader.locator("#id_new_password2").fill(PASSWORD)
    screenshot(leader, "03-leader-sets-password")
    leader.locator("#accept-form button[type=submit]").click()
    leader.wait_for_url("**/")
    leader.context.close()
    membership = Membership.objects.get(user__username=LEADER_EMAIL)
    assert (membership.municipality.name, membership.role) == ("Zwolle", Membership.Role.LEADER)


def leader_prepares_until_invitations_are_sent(page, screenshot, audit):
    login(page, LEADER_EMAIL, PASSWORD)
    expect(page.get_by_role("heading", name="Mijn projecten")).to_be_visible()
    audit(page, "leader: empty dashboard")
    screenshot(page, "04-leader-empty-dashboard")

    page.get_by_role("link", name="Nieuw project").click()
    audit(page, "leader: new project")
    page.get_by_label("Naam").fill("KVU Binnenstad Zwolle")
    page.get_by_label("Uitgaansgebied").fill("Grote Markt en Melkmarkt")
    page.get_by_label("Startdatum").fill("2026-12-01")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", name="KVU Binnenstad Zwolle")).to_be_visible()
    audit(page, "leader: project")
    screenshot(page, "05-leader-project")
    project = Project.objects.get(name="KVU Binnenstad Zwolle")

    for organisation, kind, person, function, email in PARTNERS:
        page.goto(f"/projecten/{project.pk}/partners/toevoegen/")
        new = page.locator("section", has=page.get_by_role("heading", name="Nieuwe organisatie"))
        new.get_by_label("Naam").fill(organisation)
        new.get_by_label("Soort").select_option(kind)
        new.get_by_role("button", name="Aanmaken en toevoegen").click()
        expect(page.get_by_role("heading", name=organisation, level=1)).to_be_visible()
        page.get_by_role("link", name="Contactpersoon toevoegen").click()
        page.get_by_label("Naam").fill(person)
        page.get_by_label("Functie").fill(function)
        page.get_by_label("E-mailadres").fill(email)
        page.get_by_role("button", name="Opslaan").click()
        expect(page.get_by_text(person).first).to_be_visible()
    audit(page, "leader: add partner")  # the last partner's page, with a contact person

    # A contact with the bar, and its stage moved on.
    log = page.locator("section", has=page.get_by_role("heading", name="Contact vastleggen"))
    log.get_by_label("Kanaal").select_option("visit")
    log.get_by_label("Wat is besproken").fill("Kennismaking aan de bar; positief over de KVU.")
    log.get_by_role("button", name="Toevoegen aan het logboek").click()
    expect(page.get_by_text("Kennismaking aan de bar").first).to_be_visible()
    page.get_by_label("Nieuwe fase").select_option("interested")
    page.get_by_role("button", name="Fase wijzigen").click()
    expect(page.get_by_text("geïnteresseerd").first).to_be_visible()
    audit(page, "leader: participation after a contact")
    screenshot(page, "06-leader-partner-contact-and-stage")

    page.goto(f"/projecten/{project.pk}/partners/")
    audit(page, "leader: partner board")
    screenshot(page, "07-leader-partner-board")
    page.goto(f"/projecten/{project.pk}/logboek/")
    audit(page, "leader: contact log")

    page.goto(f"/projecten/{project.pk}/intentieverklaring/")
    audit(page, "leader: no declaration yet")
    page.get_by_role("button", name="Verklaring opstellen").click()
    expect(page.get_by_role("button", name="Opslaan")).to_be_visible()
    audit(page, "leader: edit declaration")
    screenshot(page, "08-leader-declaration-draft")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", name="Intentieverklaring", level=1)).to_be_visible()
    audit(page, "leader: declaration draft")

    page.get_by_role("link", name="Ondertekenaars uitnodigen").click()
    audit(page, "leader: invite signatories")
    mail.outbox.clear()
    for _organisation, _kind, person, _function, _email in PARTNERS:
        page.get_by_label(re.compile(person)).check()
    screenshot(page, "09-leader-invite")
    page.get_by_role("button", name=re.compile("uitnodig", re.I)).click()
    expect(page.get_by_text("3 uitnodigingen verstuurd").first).to_be_visible()
    audit(page, "leader: invitations sent")
    screenshot(page, "10-leader-invitations-sent")
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p[4] for p in PARTNERS)
    return project


def partner_signs_on_a_phone(page, screenshot, audit):
    (message,) = [m for m in mail.outbox if m.to == ["ilse@dezwaan.example"]]
    page.goto(LINK_RE.search(message.body).group(1))
    expect(page).to_have_url(re.compile(r"/ondertekenen/$"))
    expect(page.get_by_role("heading", name="Intentieverklaring", exact=True)).to_be_visible()
    audit(page, "partner: signing page")
    screenshot(page, "11-partner-signing-page")
    # No horizontal scrolling on a 375 px phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    sign = page.locator("form", has=page.get_by_role("button", name="Verklaring ondertekenen"))
    sign.get_by_label("Uw volledige naam").fill("Ilse de Boer")
    sign.get_by_label("Uw functie").fill("eigenaar")
    sign.get_by_label(re.compile("Café De Zwaan")).check()
    sign.get_by_role("button", name="Verklaring ondertekenen").click()
    # Signing renders the signed PDF for the confirmation e-mail (tasks run inline in tests).
    expect(page.get_by_role("heading", name="Bedankt, u hebt ondertekend")).to_be_visible(
        timeout=60_000
    )
    audit(page, "partner: signed")
    screenshot(page, "12-partner-signed")


def leader_sees_signature_and_downloads_pdf(page, project, screenshot, audit, folder):
    page.goto(f"/projecten/{project.pk}/intentieverklaring/")
    expect(page.get_by_text("Ilse de Boer, eigenaar")).to_be_visible()
    audit(page, "leader: declaration with a signature")
    screenshot(page, "13-leader-sees-signature")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF downloaden").click()
    download = download_info.value
    path = folder / "14-declaration.pdf"
    download.save_as(path)
    text = "\n".join(sheet.extract_text() for sheet in PdfReader(path).pages)
    assert "Café De Zwaan" in text
    assert "Ilse de Boer" in text


def test_administrator_leader_and_partner_from_new_municipality_to_signed_pdf(
    page_for, demo_data, screenshot, audit, request
):
    admin = page_for()
    admin_creates_municipality_and_leader(admin, screenshot)

    leader = page_for()
    project = leader_prepares_until_invitations_are_sent(leader, screenshot, audit)
    assert Invitation.objects.filter(declaration__project=project).count() == 3

    partner = page_for(width=375, height=800)
    partner_signs_on_a_phone(partner, screenshot, audit)
    signature = Signature.objects.get(invitation__declaration__project=project)
    assert signature.signer_name == "Ilse de Boer"
    assert signature.invitation.status == InvitationStatus.SIGNED

    folder = ARTIFACTS / request.node.name
    leader_sees_signature_and_downloads_pdf(leader, project, screenshot, audit, folder)
    audit.assert_clean()
