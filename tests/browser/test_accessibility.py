"""axe-core (WCAG 2.0/2.1 A and AA) and the Nu HTML Checker on every page, per role and language.

The Django admin is left out: its pages are Django's own (not our templates), and only the
platform administrator uses them.
"""

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from kvu.models import Project
from partners.declaration import services as declaration_services
from partners.models import Declaration, Participation, Person, Signature
from tests.browser.conftest import login
from tests.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    AttendeeFactory,
    DeclarationFactory,
    MeetingFactory,
    ParticipationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.browser

LINK_RE = re.compile(r"https?://[^\s]+(/ondertekenen/[A-Za-z0-9_\-]{20,}/)")


def switch_language(page, to):
    """Use the language form in the header, as a visitor would."""
    button = {"en": "English", "nl": "Nederlands"}[to]
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state("load")
    expect(page.locator("html")).to_have_attribute("lang", to)


def _sweep_objects():
    """The demo project with one of each kind of object, so that every page has content."""
    project = Project.objects.get(name="KVU Binnenstad Enschede")
    participation = (
        Participation.objects.filter(project=project).select_related("organisation").first()
    )
    person = Person.objects.filter(organisation=participation.organisation).first()
    meeting = MeetingFactory(project=project, title="Werkgroep veilig uitgaan")
    meeting.agenda_item = AgendaItemFactory(meeting=meeting, title="Cijfers politie")
    AttendeeFactory(meeting=meeting, person=person)
    ActionItemFactory(meeting=meeting, owner_user=project.project_leader)
    # The demo may hold a declaration already; a new partner is invited to its newest version.
    declaration = Declaration.objects.current_for(project) or DeclarationFactory(project=project)
    invitee = ParticipationFactory(
        project=project, organisation__kind="hospitality", organisation__name="Bar Sweep"
    )
    mail.outbox.clear()
    declaration_services.invite(
        declaration=declaration,
        participation=invitee,
        person=PersonFactory(organisation=invitee.organisation, email="sweep@bar.example"),
        user=project.project_leader,
    )
    signing_path = LINK_RE.search(mail.outbox[-1].body).group(1)
    project.verification_code = Declaration.objects.current_for(project).verification_code
    return project, participation, person, meeting, signing_path


def _project_pages(project, participation, person, meeting, *, write):
    p, m = project.pk, meeting.pk
    pages = [
        ("dashboard", reverse("dashboard")),
        ("projects overview", reverse("projects_overview")),
        ("project", reverse("project_detail", args=[p])),
        ("partner board", reverse("partner_board", args=[p])),
        ("partner list", reverse("partner_list", args=[p])),
        ("influence and interest", reverse("partner_grid", args=[p])),
        ("participation", reverse("participation_detail", args=[p, participation.pk])),
        ("contact log", reverse("contact_log", args=[p])),
        ("meetings", reverse("meeting_list", args=[p])),
        ("meeting", reverse("meeting_detail", args=[p, m])),
        ("phase guide", reverse("guide", args=[p])),
        ("timeline", reverse("timeline", args=[p])),
        ("status report", reverse("status_report", args=[p])),
        ("working group", reverse("working_group", args=[p])),
        ("declaration", reverse("declaration_detail", args=[p])),
        ("declaration preview", reverse("declaration_preview", args=[p])),
        ("verification", reverse("verification_detail", args=[project.verification_code])),
        ("privacy statement", reverse("privacy_statement")),
        ("change password", reverse("password_change")),
    ]
    if write:
        pages += [
            ("new project", reverse("project_create")),
            ("edit project", reverse("project_edit", args=[p])),
            ("add partner", reverse("participation_add", args=[p])),
            ("edit participation", reverse("participation_edit", args=[p, participation.pk])),
            ("phase gate", reverse("gate", args=[p])),
            ("edit organisation", reverse("organisation_edit", args=[p, participation.pk])),
            ("new person", reverse("person_create", args=[p, participation.pk])),
            ("edit person", reverse("person_edit", args=[p, participation.pk, person.pk])),
            ("import partners", reverse("partner_import", args=[p])),
            ("new meeting", reverse("meeting_create", args=[p])),
            ("edit meeting", reverse("meeting_edit", args=[p, m])),
            (
                "edit agenda item",
                reverse("meeting_agenda_item_edit", args=[p, m, meeting.agenda_item.pk]),
            ),
            ("calendar feed", reverse("meeting_feed_settings", args=[p])),
            ("edit declaration", reverse("declaration_edit", args=[p])),
            ("invite signatories", reverse("declaration_invite", args=[p])),
            ("audit log", reverse("audit_log", args=[project.municipality_id])),
            ("person privacy", reverse("person_privacy", args=[p, person.pk])),
        ]
    return pages


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(("username", "write"), [("projectleider", True), ("meelezer", False)])
def test_every_page_has_no_axe_violations_and_valid_html(
    page_for, demo_data, audit, screenshot, username, write, language
):
    project, participation, person, meeting, _ = _sweep_objects()
    page = page_for()
    page.goto(reverse("login"))
    audit(page, "login")
    login(page, username)
    if language != "nl":
        switch_language(page, language)
    for label, url in _project_pages(project, participation, person, meeting, write=write):
        response = page.goto(url)
        assert response.status == 200, f"{label}: {url} gave {response.status}"
        audit(page, f"{username} {language}: {label}")
    screenshot(page, f"last-page-{language}")
    audit.assert_clean()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_public_pages_have_no_axe_violations_and_valid_html(
    page_for, demo_data, audit, screenshot, language
):
    *_, signing_path = _sweep_objects()
    page = page_for(width=375, height=800)
    page.goto(reverse("login"))
    if language != "nl":
        switch_language(page, language)
    audit(page, f"login {language}")
    page.goto(reverse("password_reset"))
    audit(page, f"password reset {language}")
    page.goto(reverse("privacy_statement"))
    audit(page, f"privacy statement {language}")
    page.goto(reverse("verification_form"))
    audit(page, f"verification {language}")
    page.goto(signing_path)
    expect(page).to_have_url(re.compile(r"/ondertekenen/$"))
    audit(page, f"signing page {language}")
    screenshot(page, f"signing-{language}")
    # An empty submit shows the errors; they must be accessible too.
    page.get_by_label(re.compile("naam|name", re.I)).first.fill("")
    page.locator("button[name=action][value=sign]").click()
    page.wait_for_load_state("load")
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    audit(page, f"signing page with errors {language}", from_dom=True)
    audit.assert_clean()


def _focused(page):
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return e ? (e.name || e.id || e.tagName) + '|' + (e.value || '') : '' }"
    )


def _tab_to(page, name, limit=80):
    """Press Tab until the field called `name` has the focus; fails when it is unreachable."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if _focused(page).split("|", 1)[0] == name:
            return
    pytest.fail(f"{name} cannot be reached with the Tab key")


def test_the_signing_form_can_be_filled_and_sent_with_the_keyboard_alone(
    page_for, demo_data, screenshot
):
    *_, signing_path = _sweep_objects()
    page = page_for(width=375, height=800)
    page.goto(signing_path)
    expect(page).to_have_url(re.compile(r"/ondertekenen/$"))

    _tab_to(page, "signer_name")
    page.keyboard.press("Control+A")
    page.keyboard.type("Bas de Wit")
    page.keyboard.press("Tab")
    assert _focused(page).startswith("signer_function|")
    page.keyboard.press("Control+A")
    page.keyboard.type("eigenaar")
    page.keyboard.press("Tab")
    assert _focused(page).startswith("consent|")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert _focused(page) == "action|sign"
    screenshot(page, "keyboard-focus-on-submit")
    page.keyboard.press("Enter")

    # Signing renders the signed PDF for the confirmation e-mail (tasks run inline in tests).
    expect(page.get_by_role("heading", name="Bedankt, u hebt ondertekend")).to_be_visible(
        timeout=60_000
    )
    signature = Signature.objects.get(invitation__email="sweep@bar.example")
    assert (signature.signer_name, signature.signer_function) == ("Bas de Wit", "eigenaar")
    screenshot(page, "keyboard-signed")
