"""In Chromium, on a 375 px phone: the leader records a commitment, drafts the covenant from the
plan and sends it; two partners sign it on their phones and one declines; once the round is
complete a business joins during the term and signs the same text."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from analysis.services import start_analysis
from kvu.models import CcvStep, Municipality, Project
from partners.declaration.selectors import participants
from partners.models import (
    Declaration,
    DocumentKind,
    Invitation,
    KvuRole,
    Organisation,
    OrganisationKind,
    Participation,
    Person,
    Signature,
)
from plans.models import Commitment, Plan
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
    return Participation.objects.create(
        project=project,
        organisation=organisation,
        role=KvuRole.CORE,
        stage="committed",
        main_contact=person,
    )


def _project():
    """A project of Apeldoorn's leader in step 5, with its plan and three partners."""
    apeldoorn = Municipality.objects.get(cbs_code="GM0200")
    leader = Project.objects.get(name="KVU Centrum Apeldoorn").project_leader
    project = Project.objects.create(
        municipality=apeldoorn,
        name="KVU Stationsplein",
        nightlife_area="Stationsplein en Stationsstraat",
        project_leader=leader,
        ccv_step=CcvStep.COVENANT,
    )
    Plan.objects.create(
        project=project,
        analysis=start_analysis(project=project, user=leader),
        goal="Minder geweld rond sluitingstijd op het Stationsplein.",
    )
    partners = {
        "police": _partner(
            project, "Politie Stationsplein", OrganisationKind.POLICE, "Eva Smit", "eva@p.example"
        ),
        "cafe": _partner(
            project, "Café Het Station", OrganisationKind.HOSPITALITY, "Jan Jansen", "jan@c.example"
        ),
        "club": _partner(
            project, "Club Perron", OrganisationKind.HOSPITALITY, "Ali Demir", "ali@k.example"
        ),
    }
    return project, partners


def _link_to(address):
    for message in reversed(mail.outbox):
        if message.to == [address]:
            match = LINK_PATH.search(message.body)
            if match:
                return match.group(1)
    raise AssertionError(f"no signing link e-mailed to {address}")


def _fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _sign_on(phone, link, function="eigenaar"):
    phone.goto(link)
    _fits_the_phone(phone)
    form = phone.locator("form:has(button[name=action][value=sign])")
    form.locator("input[name=signer_function]").fill(function)
    form.locator("input[name=consent]").check()
    form.locator("button[name=action][value=sign]").click()
    phone.wait_for_load_state("load")
    expect(phone.locator(".alert-success")).to_be_visible()
    _fits_the_phone(phone)


def _invite_all(leader, project):
    leader.goto(f"/projecten/{project.pk}/convenant/uitnodigen/")
    boxes = leader.locator("input[name=persons]")
    for index in range(boxes.count()):
        boxes.nth(index).check()
    leader.locator("main form button[type=submit]").first.click()
    leader.wait_for_load_state("load")


def test_covenant_sent_signed_and_declined_on_phones_and_a_business_joins(
    page_for, demo_data, screenshot, audit
):
    project, partners = _project()

    # 1. The leader, on her phone, records what the café commits to.
    leader = page_for(**PHONE)
    login(leader, "projectleider2")
    leader.goto(f"/projecten/{project.pk}/convenant/toezeggingen/")
    _fits_the_phone(leader)
    audit(leader, "leader: commitments (phone)")
    leader.locator(f"a[href$='?partner={partners['cafe'].pk}']").click()
    leader.locator("textarea[name=text]").fill("Twee gecertificeerde portiers vanaf 23.00 uur.")
    leader.locator("main form button[type=submit]").first.click()
    leader.wait_for_load_state("load")
    commitment = Commitment.objects.get(plan__project=project)
    assert commitment.participation == partners["cafe"]
    expect(leader.locator(f"#commitment-{commitment.pk}")).to_be_visible()
    _fits_the_phone(leader)
    screenshot(leader, "1-commitments-phone")
    audit(leader, "leader: commitment saved (phone)")

    # 2. She drafts the covenant from the plan and sends it to the three partners.
    leader.locator("form[action$='/convenant/opstellen/'] button").click()
    leader.wait_for_url(f"**/projecten/{project.pk}/convenant/bewerken/")
    covenant = Declaration.objects.get(project=project, kind=DocumentKind.COVENANT)
    assert "Twee gecertificeerde portiers" in covenant.contributions
    assert covenant.valid_from
    assert covenant.valid_until
    mail.outbox.clear()
    _invite_all(leader, project)
    covenant.refresh_from_db()
    assert covenant.is_frozen
    assert Invitation.objects.filter(declaration=covenant).count() == 3
    screenshot(leader, "2-sent-phone")

    # 3. The police and the café sign on their phones; the club declines, with a reason.
    police_phone = page_for(**PHONE)
    _sign_on(police_phone, _link_to("eva@p.example"), function="teamchef")
    screenshot(police_phone, "3-police-signed-phone")
    audit(police_phone, "partner: covenant signed (phone)", from_dom=True)
    cafe_phone = page_for(**PHONE)
    _sign_on(cafe_phone, _link_to("jan@c.example"))
    club_phone = page_for(**PHONE)
    club_phone.goto(_link_to("ali@k.example"))
    _fits_the_phone(club_phone)
    audit(club_phone, "partner: covenant to sign (phone)")
    club_phone.locator("details summary").click()
    decline = club_phone.locator("form:has(button[name=action][value=decline])")
    decline.locator("textarea[name=decline-decline_reason]").fill(
        "Eerst de sluitingstijden bespreken."
    )
    decline.locator("button[name=action][value=decline]").click()
    club_phone.wait_for_load_state("load")
    expect(club_phone.locator(".alert-secondary")).to_be_visible()
    _fits_the_phone(club_phone)
    screenshot(club_phone, "4-club-declined-phone")
    covenant.refresh_from_db()
    decisions = dict(
        Signature.objects.filter(declaration=covenant).values_list(
            "participation__organisation__name", "decision"
        )
    )
    assert decisions == {
        "Politie Stationsplein": "signed",
        "Café Het Station": "signed",
        "Club Perron": "declined",
    }
    assert covenant.result_sent_at is not None  # everyone answered: the covenant is in force

    # 4. During the term a new bar joins: the leader invites it, it signs the same text.
    bar = _partner(
        project, "Bar Spoorzicht", OrganisationKind.HOSPITALITY, "Lotte Hoekstra", "lotte@b.example"
    )
    mail.outbox.clear()
    leader.goto(f"/projecten/{project.pk}/convenant/uitnodigen/")
    leader.locator(f"input[name=persons][value='{bar.main_contact_id}']").check()
    leader.locator("main form button[type=submit]").first.click()
    leader.wait_for_load_state("load")
    joining = Invitation.objects.get(participation=bar)
    assert joining.accession
    assert joining.declaration_id == covenant.pk
    bar_phone = page_for(**PHONE)
    _sign_on(bar_phone, _link_to("lotte@b.example"))
    screenshot(bar_phone, "5-bar-joined-phone")
    signature = Signature.objects.get(participation=bar)
    assert signature.text_sha256 == covenant.text_sha256
    rows = {row["organisation"].name: row for row in participants(covenant)}
    assert rows["Bar Spoorzicht"]["joined_later"]
    assert not rows["Café Het Station"]["joined_later"]
    assert "Club Perron" not in rows
    assert Declaration.objects.filter(project=project, kind=DocumentKind.COVENANT).count() == 1

    # 5. The covenant's status page lists all of it.
    leader.goto(f"/projecten/{project.pk}/convenant/")
    for name in ("Bar Spoorzicht", "Club Perron", "Café Het Station"):
        expect(leader.get_by_text(name).first).to_be_visible()
    screenshot(leader, "6-status-phone")
    audit.assert_clean()
