"""In Chromium: the project leader plans the introductory talk and records what happened."""

import io
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from meetings.models import ActionItem, Attendance, Meeting, MeetingStatus
from partners.models import Participation
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

POLICE = "Politie Oost-Nederland, basisteam Enschede"
AGREEMENT = "De politie zet in de weekenden een extra koppel in rond de Oude Markt."
ACTION = "Overzicht van de inzet in het weekend aanleveren"


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_leader_plans_intro_talk_and_records_it(page_for, demo_data, screenshot):
    page = page_for()
    login(page, "projectleider")
    page.get_by_role("link", name="KVU Binnenstad Enschede").first.click()
    page.get_by_role("navigation", name="Onderdelen van het project").get_by_role(
        "link", name="Overleggen"
    ).click()
    expect(page.get_by_role("heading", name="Overleggen", exact=True)).to_be_visible()
    page.get_by_role("link", name="Overleg plannen").click()

    page.get_by_label("Soort overleg").select_option(
        label="kennismakingsgesprek met burgemeester of wethouder en politiechef"
    )
    page.get_by_label("Datum").fill("2027-03-28")  # the day summer time starts
    page.get_by_label("Begintijd").fill("10:00")
    page.get_by_label("Eindtijd").fill("11:30")
    page.get_by_label("Locatie").fill("Stadhuis Enschede")
    screenshot(page, "1-plan")
    page.get_by_role("button", name="Overleg plannen").click()

    expect(page.get_by_text("Het overleg is gepland.")).to_be_visible()
    heading = "Kennismakingsgesprek over de KVU met burgemeester en politie"
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.get_by_text("10:20 · Resultaten van KVU-projecten elders")).to_be_visible()
    expect(page.get_by_text("10:40 · De meerwaarde van een KVU voor deze gemeente")).to_be_visible()
    meeting = Meeting.objects.get(title=heading)

    # Invite two persons (on their own page) and send the invitations with their calendar files.
    page.get_by_role("link", name="Uitnodigen").click()
    invite = page.locator("form[action$='genodigden/toevoegen/']")
    invite.get_by_role("checkbox", name=re.compile("Martijn Kok")).check()
    invite.get_by_role("checkbox", name=re.compile("Anouk Smit")).check()
    invite.get_by_role("button", name="Uitnodigen").click()
    expect(page.get_by_text("2 genodigden toegevoegd.")).to_be_visible()
    page.get_by_role("button", name="Uitnodigingen versturen naar 2 genodigden").click()
    expect(page.get_by_text("Er zijn 2 uitnodigingen verstuurd.")).to_be_visible()
    invitations = [m for m in mail.outbox if m.subject.startswith(f"Uitnodiging: {heading}")]
    assert sorted(m.to[0] for m in invitations) == [
        "anouk.smit@example.org",
        "martijn.kok@example.org",
    ]
    screenshot(page, "2-invited")

    # After the meeting: held, attendance, minutes, an agreement with the police, an action.
    # The day has come: a meeting counts as held, and takes attendance, only once it took place.
    Meeting.objects.filter(pk=meeting.pk).update(date=timezone.localdate())
    page.reload()
    page.get_by_role("link", name="Overleg bewerken").click()
    page.get_by_label("Status").select_option(label="gehouden")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Het overleg is opgeslagen.")).to_be_visible()

    page.get_by_role("link", name="Aanwezigheid vastleggen").click()
    attendance = page.locator("form[action$='aanwezigheid/']")
    attendance.get_by_role("combobox", name=re.compile("Martijn Kok")).select_option(
        label="aanwezig"
    )
    attendance.get_by_role("combobox", name=re.compile("Anouk Smit")).select_option(
        label="aanwezig"
    )
    attendance.get_by_role("button", name="Aanwezigheid opslaan").click()
    expect(page.get_by_text("De aanwezigheid is opgeslagen.")).to_be_visible()

    page.get_by_role("link", name="Verslag Resultaten van KVU-projecten elders").click()
    page.get_by_label("Verslag").fill("Resultaten uit Eindhoven besproken: 30% minder geweld.")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("30% minder geweld.")).to_be_visible()

    page.get_by_role("link", name="Afspraak vastleggen").click()
    agreement = page.locator("form[action$='afspraken/toevoegen/']")
    agreement.get_by_label("Afspraak").fill(AGREEMENT)
    agreement.get_by_label(POLICE, exact=True).check()
    agreement.get_by_role("button", name="Afspraak vastleggen").click()
    expect(page.get_by_text("De afspraak is vastgelegd.")).to_be_visible()

    page.get_by_role("link", name="Actiepunt toevoegen").click()
    action = page.locator("form[action$='acties/toevoegen/']")
    action.get_by_label("Actie").fill(ACTION)
    action.get_by_label("Wie").select_option(label=f"Martijn Kok – {POLICE}")
    action.get_by_label("Uiterlijk op").fill("2027-04-15")
    action.get_by_role("button", name="Actiepunt toevoegen").click()
    expect(page.get_by_text("Het actiepunt is toegevoegd.")).to_be_visible()
    screenshot(page, "3-held")

    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert set(meeting.attendees.values_list("attendance", flat=True)) == {Attendance.PRESENT}
    assert ActionItem.objects.filter(meeting=meeting, description=ACTION).exists()

    # The agreement shows on the police partner's page.
    police = Participation.objects.get(project=meeting.project, organisation__name=POLICE)
    assert police.agreements.filter(text=AGREEMENT).exists()
    page.goto(police.get_absolute_url())
    expect(page.get_by_text(AGREEMENT)).to_be_visible()
    expect(page.get_by_role("link", name=meeting.title)).to_be_visible()  # meetings attended
    screenshot(page, "4-police-page")

    # The action item shows on the dashboard.
    page.goto("/")
    expect(page.get_by_role("link", name=ACTION)).to_be_visible()
    screenshot(page, "5-dashboard")

    # The PDF report names the attendees.
    response = page.request.get(f"{meeting.get_absolute_url()}verslag.pdf")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    text = _pdf_text(response.body())
    for expected in ("Martijn Kok", "Anouk Smit", POLICE, AGREEMENT, "30% minder geweld"):
        assert expected in " ".join(text.split()), expected

    # The phone view of the meeting.
    phone = page_for(width=375)
    login(phone, "projectleider")
    phone.goto(meeting.get_absolute_url())
    expect(phone.get_by_role("heading", name=heading)).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scroll
    screenshot(phone, "6-phone")
