"""Ten requests at once on PostgreSQL: each is answered as if done once, never with a 500."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from meetings import services
from meetings.models import AgendaItem, CalendarFeed, hash_feed_secret
from partners.models import WorkingGroupMember
from tests.concurrency import race_split
from tests.factories import AgendaItemFactory, MeetingFactory
from tests.guide_builders import answer, core_partners, declaration

THREADS = 10
ROUNDS = 20
SECRET_RE = re.compile(r"/agenda/([A-Za-z0-9_\-]{20,})/overleggen\.ics")


def _skip_unless_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent transactions need PostgreSQL")


def _clients(user):
    clients = [Client() for _ in range(THREADS)]
    for client in clients:
        client.force_login(user)
    return clients


def _at_once(work):
    """Run `work(i)` in THREADS threads that start together; returns what each returned.

    Any exception (the test client re-raises a view's) fails the test with every error seen.
    """
    results, errors = race_split(THREADS, work)
    assert not errors, errors
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_feed_renewals_leave_one_working_secret(project, leader):
    _skip_unless_postgresql()
    url = reverse("meeting_feed_regenerate", args=[project.pk])

    clients = _clients(leader)

    responses = _at_once(lambda i: clients[i].post(url))

    assert [r.status_code for r in responses] == [200] * THREADS
    secrets = [SECRET_RE.search(r.content.decode()).group(1) for r in responses]
    feed = CalendarFeed.objects.get(project=project)
    assert feed.secret_hash in {hash_feed_secret(secret) for secret in secrets}


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_of_the_working_group_store_it_once(project, leader):
    _skip_unless_postgresql()
    core = core_partners(project)
    signed = declaration(project)
    for participation in core.values():
        answer(signed, participation)
    chosen = sorted(p.pk for p in list(core.values())[:3])
    url = reverse("working_group", kwargs={"project_pk": project.pk})

    clients = _clients(leader)

    responses = _at_once(lambda i: clients[i].post(url, {"members": chosen}))

    assert [r.status_code for r in responses] == [302] * THREADS
    members = WorkingGroupMember.objects.filter(participation__project=project)
    assert sorted(members.values_list("participation_id", flat=True)) == chosen


@pytest.mark.django_db(transaction=True)
def test_concurrent_agenda_moves_never_deadlock(project):
    """A move that changed the first item made the next ones lock the rows in another order.

    At the service, ROUNDS moves per thread: through the views too few overlap to deadlock.
    """
    _skip_unless_postgresql()
    meeting = MeetingFactory(project=project)
    items = [AgendaItemFactory(meeting=meeting, position=i) for i in range(4)]

    def moves(i):
        for round_ in range(ROUNDS):
            item = items[(i + round_) % len(items)]
            services.move_agenda_item(item=item, direction="up" if (i + round_) % 2 else "down")

    _at_once(moves)

    positions = AgendaItem.objects.filter(meeting=meeting).values_list("position", flat=True)
    # Positions count from 0 (create_meeting and add_agenda_item start there).
    assert sorted(positions) == list(range(len(items)))
