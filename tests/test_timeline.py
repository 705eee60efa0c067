"""The project timeline: all sources merged newest first, filterable, paged by cursor."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kvu import guide
from meetings.models import MeetingKind
from partners.models import ContactMoment, StageChange
from tests.factories import AgreementFactory, ContactMomentFactory
from tests.guide_builders import K, answer, core_partners, declaration, meeting, partner


def _all(project, **kwargs):
    entries, cursor, seen = [], None, 0
    while True:
        page, cursor = guide.timeline(project, cursor=cursor, limit=3, **kwargs)
        entries += page
        seen += 1
        if not cursor or seen > 50:
            return entries


def _fill(project, leader):
    core = core_partners(project)
    now = timezone.now()
    for days in range(5):
        ContactMomentFactory(
            participation=core[K.POLICE], occurred_at=now - datetime.timedelta(days=days)
        )
    StageChange.objects.create(
        participation=core[K.KHN], from_stage="approached", to_stage="interested"
    )
    AgreementFactory(project=project, date=timezone.localdate() - datetime.timedelta(days=2))
    AgreementFactory(project=project, date=timezone.localdate() - datetime.timedelta(days=2))
    meeting(project, MeetingKind.INTRO_TALK, users=[leader])
    d = declaration(project)
    answer(d, core[K.MUNICIPALITY])
    return core


def test_timeline_merges_every_source_newest_first_without_gaps_or_repeats(project, leader):
    _fill(project, leader)
    entries = _all(project)
    keys = [(e.kind, e.pk) for e in entries]
    assert len(keys) == len(set(keys)) == 5 + 1 + 2 + 1 + 1
    assert [e.sort_key() for e in entries] == sorted((e.sort_key() for e in entries), reverse=True)
    assert {e.kind for e in entries} == {"contact", "stage", "agreement", "meeting", "signature"}


def test_timeline_filters_by_kind_and_period(project, leader):
    _fill(project, leader)
    contacts = _all(project, kinds=["contact"])
    assert {e.kind for e in contacts} == {"contact"}
    assert len(contacts) == 5
    today = timezone.localdate()
    recent = _all(project, since=today - datetime.timedelta(days=1), until=today)
    assert all(
        timezone.localtime(e.at).date() >= today - datetime.timedelta(days=1) for e in recent
    )
    assert 0 < len(recent) < 10


def test_bad_cursor_and_bad_dates_show_the_first_page(client_for, project, leader):
    _fill(project, leader)
    client = client_for(leader)
    url = reverse("timeline", args=[project.pk])
    assert client.get(url, {"na": "garbage"}).status_code == 200
    assert client.get(url, {"since": "31-31-2026", "kinds": "nonsense"}).status_code == 200


def test_timeline_page_keeps_its_query_count_with_more_data(client_for, project, leader):
    """Prevents one query per entry for the partner's organisation (select_related)."""
    core = _fill(project, leader)
    client = client_for(leader)
    url = reverse("timeline", args=[project.pk])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for _i in range(60):
        ContactMomentFactory(participation=partner(project, K.HOSPITALITY))
    assert ContactMoment.objects.count() > 60
    assert count() == small
    assert core


def test_a_date_outside_the_calendar_gives_a_message_not_an_error(client_for, project, leader):
    """0001-01-01 overflowed turning the day into the start of a day in Amsterdam."""
    url = reverse("timeline", args=[project.pk])
    for day in ("0001-01-01", "9999-12-31"):
        response = client_for(leader).get(url, {"since": day, "until": day})
        assert response.status_code == 200
        assert not response.context["form"].is_valid()
