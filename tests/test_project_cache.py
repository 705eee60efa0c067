"""Parts of pages kept until their project's data changes ({% projectcache %}, kvu/derived.py).

A part is rendered once per project version, language, day and the values it varies on; every
request still gets its own CSRF token, and a change to the data shows on the next reading.
"""

import datetime
import re
from unittest import mock

import pytest
from django.core.cache import caches
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kvu import derived
from kvu.templatetags.project_cache import CSRF_PLACEHOLDER
from partners.models import Stage
from tests.declaration_support import invited
from tests.factories import ContactMomentFactory, MeetingFactory, ParticipationFactory

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')


def _tokens(html):
    return TOKEN.findall(html)


def _pages(project, partner, meeting):
    return {
        "board": reverse("partner_board", args=[project.pk]),
        "list": reverse("partner_list", args=[project.pk]),
        "log": reverse("contact_log", args=[project.pk]),
        "partner": reverse("participation_detail", args=[project.pk, partner.pk]),
        "meeting": reverse("meeting_detail", args=[project.pk, meeting.pk]),
        "declaration": reverse("declaration_detail", args=[project.pk]),
        "overview": reverse("project_detail", args=[project.pk]),
        "dashboard": reverse("dashboard"),
    }


@pytest.fixture
def meeting(project):
    return MeetingFactory(project=project, title="Kennismaking politie")


@pytest.fixture
def followed_up(partner):
    return ContactMomentFactory(
        participation=partner,
        follow_up_on=timezone.localdate() + datetime.timedelta(days=3),
        summary="Offerte nasturen.",
    )


def test_each_page_reads_its_parts_from_the_cache_the_second_time(
    client_for, leader, project, partner, meeting, followed_up
):
    invited(project, leader=leader, name="Hotel Wientjes")
    client = client_for(leader)
    for name, url in _pages(project, partner, meeting).items():
        caches["parts"].clear()
        with CaptureQueriesContext(connection) as first:
            first_page = client.get(url)
        with CaptureQueriesContext(connection) as second:
            second_page = client.get(url)
        assert first_page.status_code == second_page.status_code == 200, name
        assert len(second) < len(first), (name, len(first), len(second))
        # The same page, but for the token every form carries.
        assert TOKEN.sub("", second_page.text) == TOKEN.sub("", first_page.text), name
        assert CSRF_PLACEHOLDER not in second_page.text, name


def test_a_change_shows_on_the_next_reading_of_every_cached_part(
    client_for, leader, project, partner, meeting, followed_up
):
    client = client_for(leader)
    pages = _pages(project, partner, meeting)
    for url in pages.values():
        client.get(url)  # every part cached
    client.post(
        reverse("participation_stage", args=[project.pk, partner.pk]),
        {"stage": Stage.COMMITTED},
    )
    client.post(
        reverse("contact_create", args=[project.pk, partner.pk]),
        {
            "contact-occurred_at": timezone.localtime().strftime("%d-%m-%Y %H:%M"),
            "contact-channel": "phone",
            "contact-direction": "outgoing",
            "contact-summary": "Belt terug over de sluitingstijden.",
        },
    )
    assert partner.contact_moments.count() == 2
    assert "Belt terug over de sluitingstijden." in client.get(pages["log"]).text
    assert "Belt terug over de sluitingstijden." in client.get(pages["partner"]).text
    board = client.get(pages["board"]).text
    committed = board.split('id="stage-committed"')[1].split("</section>")[0]
    assert "Café De Pijp" in committed
    assert "Toegezegd" in client.get(pages["list"]).text


def test_every_request_gets_its_own_valid_token_from_a_cached_part(
    leader, editor, project, partner
):
    """Two users read the same cached board; each posts with the token of their own page."""
    board = reverse("partner_board", args=[project.pk])
    tokens = {}
    for user in (leader, editor):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        page = client.get(board).text
        card_tokens = _tokens(page.split('class="board"')[1])
        assert card_tokens, "the cards carry move forms"
        assert len(set(card_tokens)) == 1
        tokens[user.pk] = card_tokens[0]
        moved = client.post(
            reverse("participation_stage", args=[project.pk, partner.pk]),
            {"stage": Stage.APPROACHED, "csrfmiddlewaretoken": card_tokens[0]},
        )
        assert moved.status_code == 302, moved.status_code
    assert tokens[leader.pk] != tokens[editor.pk]


def test_a_token_written_by_a_template_rendered_on_its_own_is_not_kept(
    client_for, leader, project, partner
):
    """The overview's follow-up panel renders its own template (and token) inside the part."""
    ContactMomentFactory(
        participation=partner, follow_up_on=timezone.localdate(), summary="Offerte nasturen."
    )
    client = client_for(leader)
    page = client.get(reverse("project_detail", args=[project.pk])).text
    assert "Offerte nasturen." in page
    request_tokens = set(_tokens(page))
    cache = caches["parts"]
    stored = [value for key, value in cache._cache.items() if ":fragment-overview:" in key]
    assert len(stored) == 1, "the overview's part is cached"
    assert b"Offerte nasturen." in stored[0]
    assert CSRF_PLACEHOLDER.encode() in stored[0]
    for token in request_tokens:
        assert token.encode() not in stored[0]


def test_a_read_only_member_and_a_writer_get_their_own_board(
    client_for, leader, viewer, project, partner
):
    board = reverse("partner_board", args=[project.pk])
    assert 'name="stage"' in client_for(leader).get(board).text
    assert 'name="stage"' not in client_for(viewer).get(board).text
    assert 'name="stage"' in client_for(leader).get(board).text


def test_parts_are_kept_per_language(client_for, leader, project, partner):
    client = client_for(leader)
    board = reverse("partner_board", args=[project.pk])
    assert "Verplaatsen" in client.get(board).text
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(board).text
    assert "Move" in page
    assert "Verplaatsen" not in page


def test_a_new_day_renders_the_part_afresh(project):
    today = timezone.localdate()
    key = derived.fragment_key(project, "board", "x")
    with mock.patch.object(timezone, "localdate", return_value=today + datetime.timedelta(1)):
        assert derived.fragment_key(project, "board", "x") != key


def test_the_values_a_part_depends_on_are_in_its_key(rf, leader, project):
    template = Template(
        "{% load project_cache %}{% projectcache project 'test' colour %}{{ colour }}"
        "{% endprojectcache %}"
    )
    request = rf.get("/")
    request.user = leader
    token = "a" * 64

    def render(colour):
        return template.render(
            Context({"project": project, "colour": colour, "csrf_token": token, "request": request})
        )

    assert render("rood") == "rood"
    assert render("blauw") == "blauw"
    assert render("rood") == "rood"


def test_an_empty_list_of_projects_is_never_cached(client_for, outsider):
    """A user without projects: nothing to renew the part by, so it is rendered each time."""
    client = client_for(outsider)
    client.get(reverse("dashboard"))
    assert not [key for key in caches["parts"]._cache if "fragment-dashboard" in key]


def test_the_partner_pages_contact_form_shows_the_current_minute(
    client_for, leader, project, partner
):
    client = client_for(leader)
    url = reverse("participation_detail", args=[project.pk, partner.pk])
    first = timezone.localtime().replace(second=0, microsecond=0)
    assert first.strftime("%Y-%m-%dT%H:%M") in client.get(url).text
    later = first + datetime.timedelta(minutes=7)
    with mock.patch.object(timezone, "localtime", return_value=later):
        assert later.strftime("%Y-%m-%dT%H:%M") in client.get(url).text


def test_a_refused_contact_is_shown_with_its_data_not_the_cached_form(
    client_for, leader, project, partner
):
    client = client_for(leader)
    client.get(reverse("participation_detail", args=[project.pk, partner.pk]))
    refused = client.post(
        reverse("contact_create", args=[project.pk, partner.pk]),
        {
            "contact-occurred_at": "geen datum",
            "contact-channel": "phone",
            "contact-direction": "outgoing",
            "contact-summary": "Een samenvatting die blijft staan.",
        },
    )
    assert refused.status_code == 200
    assert "Een samenvatting die blijft staan." in refused.text
    assert "is-invalid" in refused.text


def test_another_partner_of_the_same_project_has_its_own_page(client_for, leader, project, partner):
    other = ParticipationFactory(project=project, organisation__name="Bar Centraal")
    client = client_for(leader)
    assert (
        "Café De Pijp"
        in client.get(reverse("participation_detail", args=[project.pk, partner.pk])).text
    )
    page = client.get(reverse("participation_detail", args=[project.pk, other.pk])).text
    assert "Bar Centraal" in page
    assert '<h1 class="h2 mb-1">Café De Pijp' not in page


def test_the_signing_page_is_kept_per_invitation_and_a_refused_answer_shows_what_was_typed(
    leader, project
):
    first, first_token = invited(project, leader=leader, name="Café Eén")
    second, second_token = invited(
        project, leader=leader, name="Bar Twee", declaration=first.declaration
    )
    signing = reverse("signing_page")
    pages = {}
    for invitation, token in ((first, first_token), (second, second_token)):
        client = Client(enforce_csrf_checks=True)
        client.get(reverse("signing_start", args=[token]))
        page = client.get(signing).text
        assert TOKEN.sub("", client.get(signing).text) == TOKEN.sub("", page)
        pages[invitation.pk] = page
        refused = client.post(
            signing,
            {
                "action": "sign",
                "signer_name": "Getypte Naam",
                "signer_function": "eigenaar",
                "consent": "",
                "text_sha256": invitation.declaration.text_sha256,
                "csrfmiddlewaretoken": _tokens(page)[0],
            },
        )
        assert refused.status_code == 200
        assert "Getypte Naam" in refused.text
        assert "Vink het vakje aan" in refused.text
        assert "Getypte Naam" not in client.get(signing).text
    assert "Café Eén" in pages[first.pk]
    assert "Bar Twee" in pages[second.pk]
    assert "Café Eén" not in pages[second.pk]
    assert [key for key in caches["parts"]._cache if ":fragment-signing:" in key]


def test_a_signature_shows_on_the_signers_next_reading(client, leader, project):
    invitation, token = invited(project, leader=leader)
    client.get(reverse("signing_start", args=[token]))
    signing = reverse("signing_page")
    assert "Verklaring ondertekenen" in client.get(signing).text
    answered = client.post(
        signing,
        {
            "action": "sign",
            "signer_name": "Jan de Boer",
            "signer_function": "eigenaar",
            "consent": "on",
            "text_sha256": invitation.declaration.text_sha256,
        },
    )
    assert answered.status_code == 302
    page = client.get(signing).text
    assert "Bedankt, u hebt ondertekend" in page
    assert "Verklaring ondertekenen" not in page
