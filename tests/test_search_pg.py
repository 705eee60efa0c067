"""What only PostgreSQL's search does: Dutch stemming, ranking, and the GIN indexes it uses.

CI runs on PostgreSQL; on SQLite (contains-search, tests/test_search.py) these are skipped.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kvu.models import Document, Project
from kvu.search import matching
from meetings import search as meetings_search
from meetings.models import ActionItem, AgendaItem, Meeting
from partners import search as partners_search
from partners.models import Agreement, Concern, ContactMoment, Organisation, Person
from tests.factories import ContactMomentFactory, ParticipationFactory, ProjectFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search is PostgreSQL's"
)

# Every searched model with the fields its source searches and the index the migration made.
INDEXED = [
    (Document, ["title"], "kvu_document_search"),
    (Organisation, partners_search.ORGANISATION_FIELDS, "partners_org_search"),
    (Person, partners_search.PERSON_FIELDS, "partners_person_search"),
    (ContactMoment, partners_search.CONTACT_FIELDS, "partners_contact_search"),
    (Agreement, partners_search.AGREEMENT_FIELDS, "partners_agreement_search"),
    (Concern, partners_search.CONCERN_FIELDS, "partners_concern_search"),
    (Meeting, meetings_search.MEETING_FIELDS, "meetings_meeting_search"),
    (AgendaItem, meetings_search.AGENDA_FIELDS, "meetings_agenda_search"),
    (ActionItem, meetings_search.ACTION_FIELDS, "meetings_action_search"),
]


@pytest.fixture
def project(municipality, leader):
    return ProjectFactory(municipality=municipality, project_leader=leader)


def _plan(sql):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(("model", "fields", "index"), INDEXED, ids=[i[2] for i in INDEXED])
def test_the_search_expression_is_the_indexed_one(db, model, fields, index):
    """The migration's GIN index is on exactly the expression `matching` filters on: with
    sequential scans off the planner reads it (a different expression could not use it)."""
    with CaptureQueriesContext(connection) as queries:
        list(matching(model.objects.all(), fields, "horecaondernemers"))
    plan = _plan(queries.captured_queries[-1]["sql"])
    assert f"Bitmap Index Scan on {index}" in plan, plan


def test_the_partner_search_reads_the_organisation_index(db, staff):
    """Partners are found through a join (participation -> organisation): the organisation's
    expression is still the indexed one."""
    with CaptureQueriesContext(connection) as queries:
        partners_search.find_partners(Project.objects.values("pk"), "kroeg", 11)
    assert "Bitmap Index Scan on partners_org_search" in _plan(queries.captured_queries[-1]["sql"])


def test_a_dutch_word_form_finds_its_stem(client, project, leader):
    participation = ParticipationFactory(project=project, organisation__name="Café De Kroon")
    ContactMomentFactory(
        participation=participation, summary="Langs geweest bij de horecaondernemer."
    )
    client.force_login(leader)
    html = client.get(reverse("search"), {"q": "horecaondernemers"}).content.decode()
    assert 'id="results-contacts"' in html
    assert f"{participation.get_absolute_url()}#contact-" in html


def test_results_are_ranked_best_first(client, project, leader):
    once = ParticipationFactory(project=project, organisation__name="Bar Centraal")
    twice = ParticipationFactory(project=project, organisation__name="Club Noord")
    ContactMomentFactory(participation=once, summary="Over de portiers en de kosten.")
    ContactMomentFactory(
        participation=twice, summary="Portiers, portiers en nog eens portiers bij de deur."
    )
    client.force_login(leader)
    html = client.get(reverse("search"), {"q": "portier"}).content.decode()
    assert html.index("Club Noord") < html.index("Bar Centraal")


def test_web_search_syntax_phrases_and_exclusions(client, project, leader):
    participation = ParticipationFactory(project=project, organisation__name="Café De Kroon")
    ContactMomentFactory(participation=participation, summary="Cameratoezicht op het plein.")
    client.force_login(leader)
    found = client.get(reverse("search"), {"q": '"toezicht op het plein"'}).content.decode()
    assert 'id="results-contacts"' not in found  # the compound word is one word
    found = client.get(reverse("search"), {"q": "cameratoezicht -plein"}).content.decode()
    assert 'id="results-contacts"' not in found
    found = client.get(reverse("search"), {"q": "cameratoezicht or fietsen"}).content.decode()
    assert 'id="results-contacts"' in found


def test_a_word_in_many_contacts_is_ranked_within_a_window(client, project, leader, monkeypatch):
    """A common word costs no more than the window: still ten results and a note of more."""
    monkeypatch.setattr(partners_search, "RANK_WITHIN", 12)
    participation = ParticipationFactory(project=project)
    for n in range(30):
        ContactMomentFactory(participation=participation, summary=f"Nabellen over de KVU ({n}).")
    client.force_login(leader)
    response = client.get(reverse("search"), {"q": "nabellen"})
    (group,) = [g for g in response.context["groups"] if g.source.kind == "contacts"]
    assert len(group.results) == 10
    assert group.more
