"""The header's search: within the user's municipalities, grouped by kind, every link opens.

These tests hold on SQLite (contains-search) and on PostgreSQL (Dutch full-text search);
tests/test_search_pg.py adds what only PostgreSQL does (stemming, ranking, the GIN indexes).
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kvu.demo import demo_pdf
from kvu.documents import add_document
from kvu.search.forms import MAX_LENGTH
from tests.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    AgreementFactory,
    ConcernFactory,
    ContactMomentFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipationFactory,
    PersonFactory,
    ProjectFactory,
)

WORD = "Kroegentocht"  # one word in a field of every kind, the same on SQLite and PostgreSQL
KINDS = {"partners", "persons", "contacts", "agreements", "concerns", "meetings", "actions"}
RESULT_LINK = re.compile(r'<li class="mb-2 search-result">\s*<a href="([^"]+)"')
GROUP = re.compile(r'<section class="mb-4 search-group" id="results-([a-z]+)"')


def _one_of_each(project, word=WORD, n=0):
    """One object of every kind in `project`, each with `word` in a searched field."""
    participation = ParticipationFactory(
        project=project, organisation__name=f"Café {word} {n}", organisation__city="Zwolle"
    )
    PersonFactory(organisation=participation.organisation, function=f"coördinator {word}")
    ContactMomentFactory(participation=participation, summary=f"Gesprek over de {word}.")
    agreement = AgreementFactory(project=project, text=f"Afspraak over de {word}.")
    agreement.participations.add(participation)
    AgreementFactory(project=project, text=f"Afspraak zonder partner over de {word}.")
    ConcernFactory(participation=participation, partner_text=f"Zorgen over de {word}.")
    meeting = MeetingFactory(project=project, title=f"Overleg {n}")
    AgendaItemFactory(meeting=meeting, minutes=f"Verslag: de {word} gaat door.")
    MeetingFactory(project=project, title=f"{word} evaluatie {n}")
    ActionItemFactory(meeting=meeting, description=f"{word} voorbereiden {n}")
    add_document(
        project=project,
        target=meeting,
        title=f"Route {word} {n}",
        name="route.pdf",
        data=demo_pdf("Route", ["Oude Markt"]),
    )
    return participation


def _search(client, text):
    response = client.get(reverse("search"), {"q": text})
    assert response.status_code == 200
    html = response.content.decode()
    return set(GROUP.findall(html)), RESULT_LINK.findall(html), response


@pytest.fixture
def project(municipality, leader):
    return ProjectFactory(municipality=municipality, project_leader=leader, name="KVU Binnenstad")


def test_leader_finds_every_kind_and_every_link_opens(client, project, leader):
    _one_of_each(project)
    client.force_login(leader)
    kinds, links, response = _search(client, WORD.lower())
    assert kinds == KINDS | {"documents"}
    assert len(links) == 10  # a partner, a person, a contact, 2 agreements, a concern,
    # 2 meetings (by title, by minutes), an action item, a document
    assert "KVU Binnenstad" in response.content.decode()  # each result names its project
    for link in links:
        assert client.get(link.replace("&amp;", "&")).status_code == 200, link


def test_viewer_may_open_every_result(client, project, viewer):
    _one_of_each(project)
    client.force_login(viewer)
    _kinds, links, _response = _search(client, WORD)
    assert len(links) == 10
    for link in links:
        assert client.get(link.replace("&amp;", "&")).status_code == 200, link


def test_a_leader_of_another_municipality_never_finds_this_municipalitys_data(
    client, project, outsider
):
    participation = _one_of_each(project)
    client.force_login(outsider)
    for text in (WORD, participation.organisation.name, "Zwolle", "eigenaar", "Verslag"):
        kinds, links, response = _search(client, text)
        assert (kinds, links) == (set(), []), text
        assert 'id="search-summary"' in response.content.decode()  # the empty state
    # The outsider's own municipality's data is found, and only that.
    own = ProjectFactory(municipality=outsider.memberships.get().municipality, name="KVU Centrum")
    _one_of_each(own, n=1)
    kinds, links, _response = _search(client, WORD)
    assert kinds == KINDS | {"documents"}
    assert all(f"/projecten/{own.pk}/" in link for link in links)


def test_staff_search_every_municipality(client, project, staff):
    _one_of_each(project)
    client.force_login(staff)
    kinds, links, _response = _search(client, WORD)
    assert kinds == KINDS | {"documents"}
    for link in links:
        assert client.get(link.replace("&amp;", "&")).status_code == 200, link


def test_partners_are_found_by_city_and_kvk_number_and_persons_by_email(client, project, leader):
    organisation = OrganisationFactory(
        municipality=project.municipality,
        name="Snackbar Het Hoekje",
        city="Hattem",
        kvk_number="12345678",
    )
    participation = ParticipationFactory(project=project, organisation=organisation)
    PersonFactory(organisation=organisation, name="Fatima El Amrani", email="fatima@hoekje.example")
    client.force_login(leader)
    for text in ("Hattem", "12345678"):
        kinds, links, _response = _search(client, text)
        assert kinds == {"partners"}, text
        assert links == [participation.get_absolute_url()]
    kinds, links, _response = _search(client, "fatima@hoekje.example")
    assert "persons" in kinds
    assert links[0] == participation.get_absolute_url() + "#persons-heading"


def test_a_kind_shows_its_best_ten_and_says_there_are_more(client, project, leader):
    for n in range(12):
        ParticipationFactory(project=project, organisation__name=f"Café {WORD} {n}")
    client.force_login(leader)
    kinds, links, response = _search(client, WORD)
    assert kinds == {"partners"}
    assert len(links) == 10
    assert ">10+</span>" in response.content.decode()


def test_query_count_does_not_grow_with_the_data(client, project, leader, municipality):
    """One query per kind however much matches: no N+1 on projects, organisations, meetings."""
    _one_of_each(project)
    client.force_login(leader)
    url = reverse("search") + f"?q={WORD}"
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in range(1, 11):
        _one_of_each(ProjectFactory(municipality=municipality, project_leader=leader), n=n)
    with CaptureQueriesContext(connection) as ten:
        assert client.get(url).status_code == 200
    assert len(one.captured_queries) == len(ten.captured_queries)


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        '"',
        "'",
        '"unterminated phrase',
        "-",
        "a & b | !c",
        "(:*)",
        "ÿ́ ĳsselmeer 🍺",
        "%_\\",
        "or",
        "de het een",
        "<script>alert(1)</script>",
    ],
)
def test_any_input_gives_a_page(client, project, leader, text):
    _one_of_each(project)
    client.force_login(leader)
    assert client.get(reverse("search"), {"q": text}).status_code == 200


def test_a_too_long_or_nul_query_is_refused_with_a_message(client, leader):
    client.force_login(leader)
    response = client.get(reverse("search"), {"q": "x" * 10_000})
    assert response.status_code == 200
    assert response.context["text"] == ""
    # In the user's language: Dutch by default.
    assert f"hoogstens {MAX_LENGTH} tekens" in str(response.context["form"].errors["q"])
    response = client.get(reverse("search"), {"q": "kroeg\x00tocht"})
    assert response.status_code == 200
    assert response.context["form"].errors["q"]
    assert 'aria-invalid="true"' in response.content.decode()


def test_the_header_has_a_labelled_search_box_for_logged_in_users_only(client, leader):
    assert 'role="search"' not in client.get(reverse("login")).content.decode()
    client.force_login(leader)
    html = client.get(reverse("dashboard")).content.decode()
    form = re.search(r'<form class="header-search[^>]*>.*?</form>', html, re.S).group(0)
    assert 'role="search"' in form
    assert 'method="get"' in form
    assert f'action="{reverse("search")}"' in form
    assert '<label class="visually-hidden" for="header-search-q">' in form
    assert 'name="q"' in form


def test_the_query_is_echoed(client, project, leader):
    _one_of_each(project)
    client.force_login(leader)
    html = client.get(reverse("search"), {"q": WORD}).content.decode()
    assert f'value="{WORD}"' in html
    assert f"‘{WORD}’" in html  # Dutch quotes
