"""In Chromium: a partner declines on a phone, the leader settles the concern and invites again,
the partner signs on the phone, and once the last partner answered the result is e-mailed."""

import io
import re

import pytest
from django.core import mail
from playwright.sync_api import expect
from pypdf import PdfReader

from kvu.models import Municipality, Project
from partners.declaration import services
from partners.models import (
    Concern,
    Declaration,
    Invitation,
    Organisation,
    OrganisationKind,
    Participation,
    Person,
)
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

LINK_PATH = re.compile(r"(/ondertekenen/[A-Za-z0-9_\-]{40,}/)")
PHONE = {"width": 375, "height": 800}


def _partner(project, name, kind, person_name, email):
    organisation = Organisation.objects.create(
        municipality=project.municipality, name=name, kind=kind
    )
    person = Person.objects.create(
        organisation=organisation, name=person_name, function="eigenaar", email=email
    )
    participation = Participation.objects.create(
        project=project, organisation=organisation, role="core", main_contact=person
    )
    return participation, person


def _sent_round():
    """A project whose declaration was sent to two partners; their links from the e-mails."""
    enschede = Municipality.objects.get(cbs_code="GM0153")
    leader = Project.objects.get(name="KVU Binnenstad Enschede").project_leader
    project = Project.objects.create(
        municipality=enschede,
        name="KVU Stationskwartier",
        nightlife_area="Stationsplein",
        project_leader=leader,
    )
    cafe = _partner(
        project, "Café Het Spoor", OrganisationKind.HOSPITALITY, "Jan Jansen", "jan@spoor.example"
    )
    police = _partner(
        project, "Politie Twente", OrganisationKind.POLICE, "Eva Smit", "eva@politie.example"
    )
    declaration = services.create_declaration(project=project, user=leader)
    mail.outbox.clear()
    for participation, person in (cafe, police):
        services.invite(
            declaration=declaration, participation=participation, person=person, user=leader
        )
    return project, leader, _link_to("jan@spoor.example"), _link_to("eva@politie.example")


def _link_to(address):
    for message in reversed(mail.outbox):
        if message.to == [address]:
            match = LINK_PATH.search(message.body)
            if match:
                return match.group(1)
    raise AssertionError(f"no signing link e-mailed to {address}")


def _fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _sign_on(phone, link, organisation):
    phone.goto(link)
    sign = phone.get_by_role("region", name="Ondertekenen")
    sign.get_by_label("Uw functie").fill("eigenaar")
    sign.get_by_label(f"Ik onderteken de intentieverklaring namens {organisation}.").check()
    sign.get_by_role("button", name="Verklaring ondertekenen").click()
    expect(phone.get_by_role("heading", name="Bedankt, u hebt ondertekend")).to_be_visible()


def test_decline_on_a_phone_invite_again_sign_and_the_result_is_mailed(
    page_for, demo_data, screenshot, audit
):
    project, leader_user, jan_link, eva_link = _sent_round()

    # 1. Jan declines on his phone, with a reason.
    phone = page_for(**PHONE)
    phone.goto(jan_link)
    _fits_the_phone(phone)
    phone.get_by_text("Wilt u niet ondertekenen? Zie af met opgave van redenen").click()
    decline = phone.get_by_role("region", name="Afzien", exact=True)
    decline.get_by_label("Waarom ziet uw organisatie af van ondertekening?").fill(
        "De extra kosten voor portiers zijn voor ons te hoog."
    )
    decline.get_by_role("button", name="Afzien van ondertekening").click()
    expect(phone.get_by_role("heading", name="U hebt afgezien van ondertekening")).to_be_visible()
    _fits_the_phone(phone)
    screenshot(phone, "1-declined-phone")
    audit(phone, "partner: declined (phone)")

    # 2. The decline is an open concern of Café Het Spoor; the leader settles it with an
    #    agreement made with the café, then invites it again.
    cafe = Participation.objects.get(project=project, organisation__name="Café Het Spoor")
    concern = Concern.objects.get(participation=cafe)
    assert concern.status == "open"
    assert "extra kosten voor portiers" in concern.partner_text
    leader = page_for()
    login(leader, "projectleider")
    leader.goto(f"/projecten/{project.pk}/partners/{cafe.pk}/")
    reason = "De extra kosten voor portiers zijn voor ons te hoog."
    expect(leader.get_by_text(reason)).to_be_visible()
    leader.get_by_role("link", name="Afspraak vastleggen").click()
    leader.locator("textarea[name=agreement-text]").fill(
        "De gemeente betaalt het eerste jaar de helft van de portierskosten."
    )
    leader.locator("main form button[type=submit]").first.click()
    leader.wait_for_load_state("load")
    agreement = cafe.agreements.get()
    leader.goto(f"/projecten/{project.pk}/partners/{cafe.pk}/zorgen/{concern.pk}/bewerken/")
    leader.locator("select[name=status]").select_option("resolved")
    leader.locator("select[name=agreement]").select_option(str(agreement.pk))
    leader.locator("main form button[type=submit]").first.click()
    leader.wait_for_load_state("load")
    settled = Concern.objects.get(pk=concern.pk)
    assert (settled.status, settled.agreement_id) == ("resolved", agreement.pk)
    leader.goto(f"/projecten/{project.pk}/intentieverklaring/")
    reinvite = leader.locator("form[action$='/opnieuw-uitnodigen/'] button")
    expect(reinvite).to_have_count(1)
    screenshot(leader, "2-status-declined")
    audit(leader, "leader: status with a decline")
    mail.outbox.clear()
    reinvite.click()
    leader.wait_for_load_state("load")
    expect(leader.locator("form[action$='/opnieuw-uitnodigen/']")).to_have_count(0)
    screenshot(leader, "3-invited-again")
    again_link = _link_to("jan@spoor.example")
    assert again_link != jan_link
    assert Declaration.objects.filter(project=project).count() == 1

    # 3. Jan signs the same version on his phone; Eva is still open, so no result yet.
    _sign_on(phone, again_link, "Café Het Spoor")
    _fits_the_phone(phone)
    screenshot(phone, "4-signed-phone")
    assert Declaration.objects.get(project=project).result_sent_at is None
    assert not any("definitief" in name for m in mail.outbox for name, *_r in m.attachments)

    # 4. Eva answers last: the leader's result and both signatories' final PDFs go out.
    mail.outbox.clear()
    eva_phone = page_for(**PHONE)
    _sign_on(eva_phone, eva_link, "Politie Twente")
    finals = [m for m in mail.outbox if any("definitief" in name for name, *_r in m.attachments)]
    assert sorted(m.to[0] for m in finals) == ["eva@politie.example", "jan@spoor.example"]
    text = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(finals[0].attachments[0][1])).pages
    )
    assert "Jan Jansen" in text
    assert "Eva Smit" in text
    assert "eva@politie.example" not in text  # the partner's copy: no one's evidence
    leader_mails = [m for m in mail.outbox if m.to == [leader_user.email]]
    results = [m for m in leader_mails if "KVU Stationskwartier" in m.subject and "2" in m.subject]
    assert len(results) == 1
    assert "Café Het Spoor" in results[0].body
    assert "Politie Twente" in results[0].body
    assert Declaration.objects.get(project=project).result_sent_at is not None

    # 5. Jan opens his (used) link again: his answer and his copy of the PDF.
    phone.goto(again_link)
    expect(phone.get_by_text("Jan Jansen").first).to_be_visible()
    expect(phone.locator("a[href$='mijn-exemplaar.pdf']")).to_be_visible()
    _fits_the_phone(phone)
    screenshot(phone, "5-answer-reopened-phone")
    audit(phone, "partner: used link reopened (phone)")
    # The link of the declined invitation now points to the newest e-mail.
    phone.goto(jan_link)
    expect(phone.get_by_role("heading", name="Deze link kan niet worden gebruikt")).to_be_visible()
    assert Invitation.objects.filter(participation=cafe).count() == 2
    audit.assert_clean()


def test_a_new_version_shows_the_partner_and_the_leader_what_changed(
    page_for, demo_data, screenshot, audit
):
    project, leader_user, jan_link, _eva_link = _sent_round()
    declaration = Declaration.objects.get(project=project)
    texts = {field: getattr(declaration, field) for field in declaration.text_fields}
    texts["duration"] = texts["duration"].replace("twee jaar", "drie jaar")
    assert texts["duration"] != declaration.duration
    new = services.save_declaration_text(declaration=declaration, texts=texts, user=leader_user)
    cafe = Participation.objects.get(project=project, organisation__name="Café Het Spoor")
    mail.outbox.clear()
    services.invite(declaration=new, participation=cafe, person=cafe.main_contact, user=leader_user)
    (message,) = mail.outbox
    compare_link = re.search(
        r"(/ondertekenen/[A-Za-z0-9_\-]{40,}/\?toon=wijzigingen)", message.body
    )

    phone = page_for(**PHONE)
    phone.goto(compare_link.group(1))
    assert phone.url.endswith("/ondertekenen/wijzigingen/")
    expect(phone.locator("article ins", has_text="drie")).to_be_visible()
    expect(phone.locator("article del", has_text="twee")).to_be_visible()
    _fits_the_phone(phone)
    screenshot(phone, "1-what-changed-phone")
    audit(phone, "partner: what changed (phone)")
    # The old link explains that the text changed since it was sent.
    phone.goto(jan_link)
    expect(phone.get_by_role("heading", name="Deze link kan niet worden gebruikt")).to_be_visible()

    leader = page_for()
    login(leader, "projectleider")
    leader.goto(f"/projecten/{project.pk}/intentieverklaring/")
    leader.locator(f"a[href$='/versie/{new.version}/vergelijken/']").click()
    expect(leader.locator("article ins", has_text="drie")).to_be_visible()
    screenshot(leader, "2-what-changed-leader")
    audit(leader, "leader: what changed")
    audit.assert_clean()
