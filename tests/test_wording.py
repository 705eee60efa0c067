"""Wording and page details found by first-time users and outside tools: the password-reset
pages and e-mail, date formats, filter selects, singular and plural, empty states, the
accessibility statement, the favicon and no inline styles."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import pgettext

from kvu.models import Membership
from partners.concerns.filters import ConcernFilter
from partners.filters import ContactMomentFilter, ParticipationFilter
from partners.models import Concern, ContactMoment, Participation
from tests.factories import (
    ContactMomentFactory,
    MembershipFactory,
    MunicipalityFactory,
    ProjectFactory,
    UserFactory,
)

TEMPLATES = Path(settings.BASE_DIR) / "templates"


@pytest.fixture(autouse=True)
def english(client):
    """Pages in English (the language switch's cookie): new strings have no Dutch yet."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def dutch(client):
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    return client


# --- Password reset: our own headings and e-mail ----------------------------------------------


@pytest.mark.parametrize("language", ["nl", "en"])
def test_password_reset_pages_do_not_use_djangos_headings(client, db, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    pages = [
        client.get(reverse("password_reset")),
        client.get(reverse("password_reset_done")),
        client.get(reverse("password_reset_complete")),
        client.get(
            reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "x-y"}),
        ),
    ]
    for response in pages:
        assert response.status_code == 200
        for django_heading in (
            "Wachtwoord hersteld",
            "Wachtwoordherinitialisatie",
            "Password reset",
            "Enter new password",
        ):
            assert django_heading not in response.text


def test_password_reset_pages_have_our_headings_in_english(client, db):
    def heading(url):
        return re.search(r"<h1[^>]*>(.*?)</h1>", client.get(url).text, re.S).group(1)

    assert heading(reverse("password_reset")) == "Forgotten your password?"
    assert heading(reverse("password_reset_done")) == "Check your e-mail"
    assert heading(reverse("password_reset_complete")) == "New password set"
    invalid = reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "x-y"})
    assert heading(invalid) == "Link no longer valid"


def _reset_mail(client, user):
    mail.outbox.clear()
    client.post(reverse("password_reset"), {"email": user.email})
    assert len(mail.outbox) == 1
    return mail.outbox[0]


def test_reset_mail_greets_by_first_name_without_html_escaping(client, db):
    user = UserFactory(username="petra.j", first_name="Zoë O'Neill & co", email="z@example.org")
    message = _reset_mail(client, user)
    assert message.body.startswith("Hello Zoë O'Neill & co,")
    assert "petra.j" not in message.body
    assert "&amp;" not in message.body
    assert "&#x27;" not in message.body
    assert "\n" not in message.subject


def test_reset_mail_falls_back_to_the_user_name_without_a_first_name(client, db):
    user = UserFactory(username="beheer2", first_name="", email="b@example.org")
    assert _reset_mail(client, user).body.startswith("Hello beheer2,")


def test_reset_mail_is_in_dutch_with_je(client, db):
    user = UserFactory(first_name="Petra", email="p@example.org")
    mail.outbox.clear()
    dutch(client).post(reverse("password_reset"), {"email": user.email})
    body = mail.outbox[0].body
    assert body.startswith("Hallo Petra,") or body.startswith("Beste Petra,")
    assert " u " not in body
    assert " uw " not in body


# --- Dates -------------------------------------------------------------------------------------


def test_date_formats_are_defined_once_in_our_formats_module():
    assert settings.FORMAT_MODULE_PATH == ["kvu.formats"]
    for language in ("nl", "en"):
        with translation.override(language):
            assert formats.get_format("SHORT_DATE_FORMAT") == "j N Y"
            assert formats.get_format("SHORT_DATETIME_FORMAT") == "j N Y H:i"
            assert formats.get_format("MONTH_DAY_FORMAT") == "D j N"
            # Machines still read ISO dates from date inputs.
            assert "%Y-%m-%d" in formats.get_format("DATE_INPUT_FORMATS")


def test_english_dates_use_abbreviations_with_a_dot():
    with translation.override("en"):
        assert formats.date_format(datetime.date(2026, 12, 2), "SHORT_DATE_FORMAT") == (
            "2 Dec. 2026"
        )
        assert formats.date_format(datetime.date(2026, 12, 14), "MONTH_DAY_FORMAT") == (
            "Mon 14 Dec."
        )


def test_dutch_dates_use_abbreviations_with_a_dot():
    with translation.override("nl"):
        assert pgettext("abbrev. month", "Dec.") == "dec."
        assert formats.date_format(datetime.date(2026, 12, 2), "SHORT_DATE_FORMAT") == (
            "2 dec. 2026"
        )
        assert formats.date_format(datetime.date(2026, 5, 4), "SHORT_DATE_FORMAT") == ("4 mei 2026")
        assert formats.date_format(datetime.date(2026, 12, 14), "MONTH_DAY_FORMAT") == (
            "ma 14 dec."
        )


# No template spells out a date format with "M" (the capitalised "Dec" without a dot) or
# "j-n-Y": they name one of kvu/formats' formats.
STILL_SPELLED_OUT: set[str] = set()
SPELLED_OUT = re.compile(r"""\|date:["']([^"']*)["']""")


def test_templates_name_their_date_formats():
    offending = set()
    for path in TEMPLATES.rglob("*"):
        if not path.is_file():
            continue
        for spelled in SPELLED_OUT.findall(path.read_text(encoding="utf-8")):
            if spelled.endswith("_FORMAT"):
                continue
            if "M" in spelled or re.search(r"[jd]-[nm]-Y", spelled):
                offending.add(str(path.relative_to(TEMPLATES)))
    assert offending <= STILL_SPELLED_OUT, sorted(offending - STILL_SPELLED_OUT)


def test_contact_log_shows_dutch_style_short_dates(client_for, project, partner, leader):
    ContactMomentFactory(
        participation=partner,
        occurred_at=datetime.datetime(2026, 12, 2, 10, 30, tzinfo=datetime.UTC),
    )
    page = client_for(leader).get(reverse("contact_log", args=[project.pk])).text
    assert "2 Dec. 2026 11:30" in page
    assert "2 Dec 2026" not in page


# --- Filters: "all ..." and English sort labels -----------------------------------------------


def _choices(form, name):
    return [str(label) for _value, label in form.fields[name].choices]


def test_filter_selects_start_with_all_not_dashes(project):
    with translation.override("en"):
        partners = ParticipationFilter(queryset=Participation.objects.none()).form
        log = ContactMomentFilter(queryset=ContactMoment.objects.none(), project=project).form
        concerns = ConcernFilter(queryset=Concern.objects.none()).form
        assert _choices(partners, "stage")[0] == "all stages"
        assert _choices(partners, "kind")[0] == "all kinds"
        assert _choices(partners, "role")[0] == "all roles"
        assert _choices(log, "channel")[0] == "all channels"
        assert _choices(log, "recorded_by")[0] == "everyone"
        assert _choices(concerns, "status")[0] == "all statuses"
        assert _choices(concerns, "kind")[0] == "all kinds"


def test_sort_options_are_english_on_the_english_page(db):
    # Built in Dutch first (as at import under LANGUAGE_CODE="nl"), shown in English.
    with translation.override("nl"):
        filterset = ParticipationFilter(queryset=Participation.objects.none())
    with translation.override("en"):
        labels = _choices(filterset.form, "order")
    assert labels[0] == "default (by name)"
    assert "name (descending)" in labels
    assert "outreach stage (descending)" in labels
    assert not any("aflopend" in label or "naam" in label for label in labels)


@pytest.mark.parametrize("name", ["partner_list", "contact_log", "concern_list"])
def test_filter_pages_show_no_dashes(client_for, project, partner, leader, name):
    page = client_for(leader).get(reverse(name, args=[project.pk])).text
    assert "---------" not in page


# --- Singular and plural -----------------------------------------------------------------------

PLURAL_IN_BRACKETS = re.compile(r"\w\((?:s|en|n)\)")
PLURAL_IN_BRACKETS_ELSEWHERE: set[str] = set()


def test_no_template_writes_singular_and_plural_in_brackets():
    offending = {
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if PLURAL_IN_BRACKETS.search(path.read_text(encoding="utf-8"))
    }
    assert offending <= PLURAL_IN_BRACKETS_ELSEWHERE, sorted(offending)


# --- Empty states ------------------------------------------------------------------------------


def test_new_project_without_partners_does_not_say_every_core_partner_committed(
    client_for, project, leader
):
    page = client_for(leader).get(reverse("project_detail", args=[project.pk])).text
    assert "No partners on the list yet." in page
    assert "Every core partner on the list has committed." not in page


def test_project_whose_core_partners_all_signed_still_says_so(client_for, project, leader):
    from tests.factories import ParticipationFactory

    ParticipationFactory(project=project, role="core", stage="signed")
    page = client_for(leader).get(reverse("project_detail", args=[project.pk])).text
    assert "Every core partner on the list has committed." in page
    assert "No partners on the list yet." not in page


def test_add_partner_page_of_a_municipality_without_organisations(client, db):
    municipality = MunicipalityFactory(name="Ommen", cbs_code="GM0175")
    leader = MembershipFactory(municipality=municipality, role=Membership.Role.LEADER).user
    project = ProjectFactory(municipality=municipality, project_leader=leader)
    client.force_login(leader)
    page = client.get(reverse("participation_add", args=[project.pk])).text
    assert "No organisations of your municipality are recorded yet." in page
    assert "already a partner of this project" not in page


def test_add_partner_page_when_every_organisation_is_a_partner(
    client_for, project, partner, leader
):
    page = client_for(leader).get(reverse("participation_add", args=[project.pk])).text
    assert "Every active organisation of your municipality is already a partner" in page


def test_filtered_contact_log_without_result_says_nothing_matches(
    client_for, project, partner, leader
):
    ContactMomentFactory(participation=partner)
    client = client_for(leader)
    url = reverse("contact_log", args=[project.pk])
    filtered = client.get(url, {"partner": "geen-zo-een-partner"}).text
    assert "No contact matches these filters." in filtered
    assert "No contacts logged yet." not in filtered
    unfiltered = client.get(url).text
    assert "No contact matches these filters." not in unfiltered


def test_empty_contact_log_says_no_contacts_were_logged(client_for, project, leader):
    page = client_for(leader).get(reverse("contact_log", args=[project.pk])).text
    assert "No contacts logged yet." in page


# --- Accessibility statement, favicon, no inline styles ----------------------------------------


def test_accessibility_statement_is_public_and_linked_from_the_footer(client, db):
    login_page = client.get(reverse("login")).text
    assert f'href="{reverse("accessibility_statement")}"' in login_page
    response = client.get(reverse("accessibility_statement"))
    assert response.status_code == 200
    page = response.text
    assert "Accessibility statement" in page
    for subject in ("axe-core", "Nu HTML Checker", "keyboard", "tests/browser/"):
        assert subject in page
    assert "Known limitations" in page
    assert "Report a problem" in page


def test_accessibility_statement_is_dutch_by_default(client, db):
    page = dutch(client).get(reverse("accessibility_statement")).text
    assert '<html lang="nl">' in page


def test_every_page_links_a_favicon_from_our_own_static_files(client, db):
    page = client.get(reverse("login")).text
    icons = re.findall(r'<link rel="icon" href="([^"]+)"', page)
    assert icons
    for href in icons:
        assert href.startswith(settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/")
        name = href.split("/static/", 1)[-1]
        assert (Path(settings.BASE_DIR) / "static" / name).is_file(), name


def test_status_report_page_has_no_inline_style_attributes(client_for, project, partner, leader):
    from tests.factories import AgreementFactory, MeetingFactory

    AgreementFactory(project=project)
    MeetingFactory(project=project, date=datetime.date.today() - datetime.timedelta(days=7))
    page = client_for(leader).get(reverse("status_report", args=[project.pk])).text
    assert "<colgroup>" in page
    assert not re.search(r"<[^>]+\sstyle=", page)
    assert "<style" not in page
