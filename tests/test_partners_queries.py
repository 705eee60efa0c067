"""Query counts of the partner pages: the same with 10 and with 100 partners and 1,000 contacts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partners.models import (
    Agreement,
    Channel,
    Concern,
    ConcernKind,
    ContactMoment,
    Organisation,
    OrganisationKind,
    Participation,
    Person,
    Stage,
    StageChange,
    default_role_for,
)

KINDS = list(OrganisationKind.values)
STAGES = list(Stage.values)


def _populate(project, user, *, partners, contacts, start=0):
    """Partners with a person each, a stage change, an agreement and `contacts` contact moments."""
    today = timezone.localdate()
    orgs = Organisation.objects.bulk_create(
        Organisation(
            municipality=project.municipality,
            name=f"Organisatie {start + i:04d}",
            kind=KINDS[i % len(KINDS)],
        )
        for i in range(partners)
    )
    persons = Person.objects.bulk_create(
        Person(organisation=org, name=f"Persoon {org.name}") for org in orgs
    )
    participations = Participation.objects.bulk_create(
        Participation(
            project=project,
            organisation=org,
            role=default_role_for(org.kind),
            stage=STAGES[i % len(STAGES)],
            main_contact=persons[i],
            influence=1 + i % 5,
            interest_level=1 + (i * 3) % 5,
        )
        for i, org in enumerate(orgs)
    )
    StageChange.objects.bulk_create(
        StageChange(participation=p, to_stage=p.stage, changed_by=user) for p in participations
    )
    Concern.objects.bulk_create(
        Concern(participation=p, kind=ConcernKind.EXTRA_COSTS, partner_text=f"Zorg {p.pk}")
        for p in participations
    )
    for p in participations[:partners]:
        agreement = Agreement.objects.create(
            project=project, date=today, text=f"Afspraak {p.pk}", recorded_by=user
        )
        agreement.participations.add(p)
    moments = ContactMoment.objects.bulk_create(
        ContactMoment(
            participation=participations[i % partners],
            project=project,
            occurred_at=timezone.now() - datetime.timedelta(hours=i),
            channel=Channel.PHONE,
            summary=f"Contact {i}",
            recorded_by=user,
            follow_up_on=today + datetime.timedelta(days=(i % 20) - 10),
        )
        for i in range(contacts)
    )
    through = ContactMoment.persons.through
    through.objects.bulk_create(
        through(
            contactmoment_id=m.pk,
            person_id=persons[i % partners].pk,
        )
        for i, m in enumerate(moments)
    )
    return participations


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


PROJECT_PAGES = [
    ("partner_board", {}),
    ("partner_list", {}),
    ("partner_list", {"q": "Organisatie", "order": "-stage"}),
    ("partner_grid", {}),
    ("participation_add", {}),
    ("partner_export", {}),
    ("partner_import", {}),
    ("contact_log", {}),
    ("contact_log", {"channel": "phone", "page": "2"}),
    ("contact_log_export", {}),
]


@pytest.mark.parametrize(("name", "params"), PROJECT_PAGES)
def test_project_partner_pages_do_not_grow_with_partners_and_contacts(
    client_for, leader, project, name, params
):
    """Prevents N+1s on each partner's organisation, main contact, follow-up counts and last
    contact (board, list), on each contact moment's partner, author and persons spoken to (log,
    exports), and on the organisation choices (add page)."""
    client = client_for(leader)
    url = reverse(name, args=[project.pk])
    query = "&".join(f"{key}={value}" for key, value in params.items())
    url = f"{url}?{query}" if query else url
    _populate(project, leader, partners=10, contacts=100)
    small = _count(client, url)
    _populate(project, leader, partners=90, contacts=900, start=10)
    assert _count(client, url) == small


@pytest.mark.parametrize(
    "name", ["participation_detail", "participation_edit", "person_create", "organisation_edit"]
)
def test_participation_pages_do_not_grow_with_persons_contacts_and_agreements(
    client_for, leader, project, name
):
    """Prevents N+1s on the timeline's authors and persons, the history's users and the
    agreements' authors of one partner, and on the other partners of the project."""
    client = client_for(leader)
    participations = _populate(project, leader, partners=10, contacts=100)
    target = participations[0]
    url = reverse(name, args=[project.pk, target.pk])
    small = _count(client, url)
    _populate(project, leader, partners=90, contacts=1000, start=10)
    # More of everything for this one partner as well: persons, contacts, agreements, history.
    extra_persons = Person.objects.bulk_create(
        Person(organisation=target.organisation, name=f"Extra {i}") for i in range(9)
    )
    for i in range(30):
        moment = ContactMoment.objects.create(
            participation=target, occurred_at=timezone.now(), channel="email", summary=f"x{i}"
        )
        moment.persons.set(extra_persons[: 1 + i % 3])
    for i in range(9):
        Agreement.objects.create(
            project=project, date=timezone.localdate(), text=f"extra {i}", recorded_by=leader
        ).participations.add(target)
        StageChange.objects.create(participation=target, to_stage="approached", changed_by=leader)
    assert _count(client, url) == small


def test_person_edit_page_does_not_grow(client_for, leader, project):
    """Prevents an N+1 on the person's organisation."""
    client = client_for(leader)
    participations = _populate(project, leader, partners=10, contacts=100)
    person = participations[0].main_contact
    url = reverse("person_edit", args=[project.pk, participations[0].pk, person.pk])
    small = _count(client, url)
    _populate(project, leader, partners=90, contacts=900, start=10)
    assert _count(client, url) == small


@pytest.mark.parametrize("page", ["dashboard", "project_detail"])
def test_follow_up_panels_do_not_grow(client_for, leader, project, page):
    """Prevents N+1s on each follow-up's partner and project in the dashboard and overview
    panels, and on the per-stage counts and core partners of the overview."""
    client = client_for(leader)
    url = reverse(page) if page == "dashboard" else reverse(page, args=[project.pk])
    _populate(project, leader, partners=10, contacts=100)
    small = _count(client, url)
    _populate(project, leader, partners=90, contacts=900, start=10)
    assert _count(client, url) == small
