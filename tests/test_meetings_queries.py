"""Query counts of the meetings pages and panels must not grow with the number of meetings."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.models import Attendance, MeetingStatus
from partners.models import Participation
from tests.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    AttendeeFactory,
    MeetingFactory,
    ParticipationFactory,
    PersonFactory,
)


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _add_meetings(project, user, n, participation):
    """n meetings, each with agenda items, invitees (persons and users), agreements, actions."""
    meetings = []
    for i in range(n):
        meeting = MeetingFactory(
            project=project,
            status=MeetingStatus.HELD if i % 2 else MeetingStatus.PLANNED,
            date=timezone.localdate() + datetime.timedelta(days=i - n // 2),
        )
        AgendaItemFactory.create_batch(2, meeting=meeting, minutes="Besproken.")
        person = PersonFactory(organisation=participation.organisation)
        AttendeeFactory(meeting=meeting, person=person, attendance=Attendance.PRESENT)
        AttendeeFactory(meeting=meeting, person=None, user=user)
        ActionItemFactory(meeting=meeting, owner_user=user)
        ActionItemFactory(meeting=meeting, owner_person=person, owner_user=None)
        agreement = meeting.agreements.create(
            project=project, date=meeting.date, text=f"Afspraak {i}"
        )
        agreement.participations.add(participation)
        meetings.append(meeting)
    return meetings


def test_meeting_list_query_count_is_the_same_for_5_and_100_meetings(client, project, leader):
    """Prevents an N+1 on each meeting's invitee, attendance and open-action counts."""
    client.force_login(leader)
    participation = ParticipationFactory(project=project)
    _add_meetings(project, leader, 5, participation)
    url = reverse("meeting_list", args=[project.pk])
    five = _count(client, url)
    _add_meetings(project, leader, 95, participation)
    assert _count(client, url) == five


def test_meeting_detail_query_count_is_the_same_for_5_and_100_meetings(client, project, leader):
    """Prevents N+1s on agenda items, invitees' persons and organisations, agreements' partners
    and action items' owners, and on the choices of the invite and action forms."""
    client.force_login(leader)
    participation = ParticipationFactory(project=project)
    first = _add_meetings(project, leader, 5, participation)[0]
    # The detail shows one meeting; give it as much as all the others together get.
    url = first.get_absolute_url()
    five = _count(client, url)
    _add_meetings(project, leader, 95, participation)
    for i in range(20):
        AgendaItemFactory(meeting=first)
        person = PersonFactory(organisation=ParticipationFactory(project=project).organisation)
        AttendeeFactory(meeting=first, person=person)
        ActionItemFactory(meeting=first, owner_person=person, owner_user=None)
        agreement = first.agreements.create(project=project, date=first.date, text=f"A{i}")
        agreement.participations.add(participation)
    assert _count(client, url) == five


def test_dashboard_and_project_overview_panels_do_not_grow(client, project, leader):
    """Prevents an N+1 on the action items' meetings, projects and owners in the panels."""
    client.force_login(leader)
    participation = ParticipationFactory(project=project)
    _add_meetings(project, leader, 5, participation)
    dashboard, overview = reverse("dashboard"), project.get_absolute_url()
    counts = (_count(client, dashboard), _count(client, overview))
    _add_meetings(project, leader, 95, participation)
    assert (_count(client, dashboard), _count(client, overview)) == counts


def test_participation_panel_does_not_grow(client, project, leader):
    """Prevents an N+1 on the attending persons of each meeting in the participation panel."""
    from meetings.panels import participation_panel

    participation = ParticipationFactory(project=project)
    _add_meetings(project, leader, 5, participation)

    def count():
        request = type("R", (), {"user": leader, "resolver_match": None})()
        # Loaded afresh, as each request does: its project's data version keys the cache.
        fresh = Participation.objects.select_related("project").get(pk=participation.pk)
        with CaptureQueriesContext(connection) as ctx:
            participation_panel(request, participation=fresh)
        return len(ctx.captured_queries)

    five = count()
    _add_meetings(project, leader, 95, participation)
    assert count() == five


def test_feed_query_count_does_not_grow(client, project, leader):
    """Prevents an N+1 on each meeting's project and organiser in the calendar feed."""
    from meetings import services

    participation = ParticipationFactory(project=project)
    _add_meetings(project, leader, 5, participation)
    secret = services.regenerate_feed(project=project, user=leader)
    url = reverse("meeting_feed", args=[secret])
    five = _count(client, url)
    _add_meetings(project, leader, 95, participation)
    assert _count(client, url) == five
