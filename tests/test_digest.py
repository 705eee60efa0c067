"""The overview e-mail (digest): who gets it when, what it holds, and that it goes once a day."""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from kvu.digest import build_message, queue_digests, recipients
from kvu.models import DigestSent, Membership, UserSettings
from kvu.tasks import send_digest
from partners.models import ContactMoment
from tests.concurrency import needs_postgres, race_split
from tests.factories import (
    ActionItemFactory,
    ContactMomentFactory,
    MeetingFactory,
    MembershipFactory,
    ParticipationFactory,
    ProjectFactory,
    UserFactory,
)

TODAY = timezone.localdate()
MONDAY = TODAY + datetime.timedelta(days=(7 - TODAY.weekday()) % 7)
TUESDAY = MONDAY + datetime.timedelta(days=1)


def _days(n, today=MONDAY):
    return today + datetime.timedelta(days=n)


def _fill(project, user, *, label, today=MONDAY, times=1):
    """Follow-ups the user recorded, action items they own and planned meetings, `times` over."""
    partner = ParticipationFactory(project=project)
    for i in range(times):
        ContactMomentFactory(
            participation=partner,
            recorded_by=user,
            summary=f"{label}: overdue call {i}",
            follow_up_on=_days(-3, today),
        )
        ContactMomentFactory(
            participation=partner,
            recorded_by=user,
            summary=f"{label}: upcoming call {i}",
            follow_up_on=_days(5, today),
        )
        meeting = MeetingFactory(
            project=project, title=f"{label}: meeting {i}", date=_days(3, today), status="planned"
        )
        ActionItemFactory(
            meeting=meeting, owner_user=user, description=f"{label}: action {i}", due_date=today
        )
    return partner


@pytest.fixture
def filled(project, leader, outsider, other_municipality):
    _fill(project, leader, label="Zwolle")
    other = ProjectFactory(municipality=other_municipality, project_leader=outsider)
    _fill(other, outsider, label="Deventer")
    return project


def _english(user):
    UserSettings.objects.create(user=user, language="en")


def test_digest_lists_the_users_follow_ups_actions_and_meetings_with_links(filled, leader):
    _english(leader)
    message = build_message(leader, MONDAY)
    body = message.body
    for text in (
        "Overdue follow-ups",
        "Zwolle: overdue call 0",
        "Follow-ups in the coming 14 days",
        "Zwolle: upcoming call 0",
        "Your open action items",
        "Zwolle: action 0",
        "Meetings in the coming 14 days",
        "Zwolle: meeting 0",
        "(overdue)",
    ):
        assert text in body, text
    assert message.to == [leader.email]
    moment = ContactMoment.objects.get(summary="Zwolle: overdue call 0")
    html = message.alternatives[0].content
    assert f"{moment.participation.get_absolute_url()}#contact-{moment.pk}" in html
    assert "Zwolle: action 0" in html


def test_links_are_absolute_from_site_url(filled, leader, settings):
    settings.SITE_URL = "https://kvu.gemeente.example"
    _english(leader)
    body = build_message(leader, MONDAY).body
    meeting = filled.meetings.get()
    assert f"https://kvu.gemeente.example{meeting.get_absolute_url()}#actions" in body
    assert f"https://kvu.gemeente.example{meeting.get_absolute_url()}\n" in body
    assert f"https://kvu.gemeente.example{reverse('my_settings')}" in body


def test_another_municipalitys_items_never_appear(filled, leader, outsider):
    _english(leader)
    _english(outsider)
    assert "Deventer" not in build_message(leader, MONDAY).body
    outsider_body = build_message(outsider, MONDAY).body
    assert "Deventer: action 0" in outsider_body
    assert "Zwolle" not in outsider_body


def test_items_of_a_municipality_the_user_left_are_left_out(filled, leader, municipality):
    Membership.objects.filter(user=leader, municipality=municipality).delete()
    assert build_message(leader, MONDAY) is None


def test_follow_ups_recorded_by_a_colleague_are_not_in_my_digest(project, leader, editor):
    _english(leader)
    partner = ParticipationFactory(project=project)
    ContactMomentFactory(
        participation=partner, recorded_by=editor, summary="Colleague's", follow_up_on=MONDAY
    )
    ContactMomentFactory(
        participation=partner, recorded_by=leader, summary="Mine", follow_up_on=MONDAY
    )
    body = build_message(leader, MONDAY).body
    assert "Mine" in body
    assert "Colleague's" not in body


def test_done_far_and_closed_items_are_left_out(project, leader):
    partner = ParticipationFactory(project=project)
    ContactMomentFactory(
        participation=partner, recorded_by=leader, follow_up_on=MONDAY, follow_up_done=True
    )
    ContactMomentFactory(participation=partner, recorded_by=leader, follow_up_on=_days(30))
    meeting = MeetingFactory(project=project, date=_days(-10), status="held")
    ActionItemFactory(meeting=meeting, owner_user=leader, status="done")
    MeetingFactory(project=project, date=_days(20), status="planned")
    MeetingFactory(project=project, date=_days(2), status="cancelled")
    assert build_message(leader, MONDAY) is None


def test_digest_is_dutch_by_default(filled, leader):
    with mock.patch("kvu.digest.translation.override", wraps=translation.override) as override:
        message = build_message(leader, MONDAY)
    override.assert_called_once_with("nl")
    assert "Zwolle: action 0" in message.body


def test_digest_uses_the_users_language(filled, leader):
    UserSettings.objects.create(user=leader, language="en")
    with mock.patch("kvu.digest.translation.override", wraps=translation.override) as override:
        message = build_message(leader, MONDAY)
    override.assert_called_once_with("en")
    assert "Your open action items" in message.body


def test_sections_are_bounded_and_say_how_many_more(project, leader):
    _english(leader)
    _fill(project, leader, label="Zwolle", times=13)
    body = build_message(leader, MONDAY).body
    assert "Zwolle: action 9" in body
    assert "… and 3 more." in body
    assert body.count("Zwolle: action") == 10


# --- who gets one, and when ---


def test_default_is_weekly_on_monday(filled, leader):
    assert not UserSettings.objects.filter(user=leader).exists()
    assert leader in recipients(MONDAY)
    assert leader not in recipients(TUESDAY)


def test_daily_gets_it_every_day_and_none_never(filled, leader, outsider):
    UserSettings.objects.create(user=leader, digest="daily")
    UserSettings.objects.create(user=outsider, digest="none")
    assert leader in recipients(TUESDAY)
    assert leader in recipients(MONDAY)
    assert outsider not in recipients(MONDAY)
    assert outsider not in recipients(TUESDAY)


def test_queueing_on_a_tuesday_sends_only_daily_digests(filled, leader, outsider):
    UserSettings.objects.create(user=leader, digest="daily")
    mail.outbox.clear()
    assert queue_digests(TUESDAY) == 1
    assert [m.to for m in mail.outbox] == [[leader.email]]


def test_empty_digest_is_not_sent_nor_recorded(project, leader):
    mail.outbox.clear()
    queue_digests(MONDAY)
    assert not mail.outbox
    assert not DigestSent.objects.exists()


def test_inactive_users_and_users_without_address_get_none(filled, leader, outsider):
    leader.is_active = False
    leader.save()
    outsider.email = ""
    outsider.save()
    assert list(recipients(MONDAY)) == []


def test_running_twice_on_one_day_sends_once(filled, leader, outsider):
    mail.outbox.clear()
    queue_digests(MONDAY)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([leader.email, outsider.email])
    queue_digests(MONDAY)
    send_digest.enqueue(user_id=leader.pk, day=MONDAY.isoformat())  # a task run twice
    assert len(mail.outbox) == 2
    assert DigestSent.objects.filter(date=MONDAY).count() == 2
    # The next week it goes out again.
    mail.outbox.clear()
    queue_digests(_days(7))
    assert len(mail.outbox) == 2


def test_a_run_that_finds_the_days_row_sends_nothing(filled, leader):
    """The row another run inserted (committed or not yet) stops this one at the insert."""
    mail.outbox.clear()
    with mock.patch("kvu.tasks.DigestSent.objects.filter") as already:
        already.return_value.exists.return_value = False  # the early check missed it
        DigestSent.objects.create(user=leader, date=MONDAY)
        send_digest.call(user_id=leader.pk, day=MONDAY.isoformat())
    assert not mail.outbox


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_send_one_email(project, leader):
    """Five workers given the same user and day at once: one sends, the others find its row."""
    _fill(project, leader, label="Zwolle")
    mail.outbox.clear()
    _results, errors = race_split(
        5, lambda i: send_digest.call(user_id=leader.pk, day=MONDAY.isoformat())
    )
    assert not errors, errors
    assert len(mail.outbox) == 1
    assert DigestSent.objects.filter(user=leader, date=MONDAY).count() == 1


def test_a_failed_send_leaves_no_record_so_the_next_run_sends(filled, leader):
    mail.outbox.clear()
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("no SMTP")):
        result = send_digest.enqueue(user_id=leader.pk, day=MONDAY.isoformat())
    assert result.status == "FAILED"
    assert not DigestSent.objects.filter(user=leader).exists()
    send_digest.enqueue(user_id=leader.pk, day=MONDAY.isoformat())
    assert len(mail.outbox) == 1


def test_command_queues_todays_digests(filled, leader):
    UserSettings.objects.create(user=leader, digest="daily")
    mail.outbox.clear()
    call_command("send_digests", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert leader.email in [m.to[0] for m in mail.outbox]
    assert DigestSent.objects.filter(user=leader, date=timezone.localdate()).exists()


# --- queries ---


def _queries_for_digest(user):
    with CaptureQueriesContext(connection) as queries:
        build_message(user, MONDAY)
    return len(queries)


def test_digest_query_count_does_not_grow_with_the_data(project, leader, municipality):
    """Each section is one query for its first items and one for its count, whatever the data:
    no query per follow-up, action item, meeting or project (select_related for the names)."""
    _fill(project, leader, label="Zwolle")
    few = _queries_for_digest(leader)
    for _ in range(3):
        more = ProjectFactory(municipality=municipality, project_leader=leader)
        _fill(more, leader, label="Zwolle", times=10)
    assert _queries_for_digest(leader) == few


def test_queueing_query_count_does_not_grow_with_the_users(filled, municipality):
    with CaptureQueriesContext(connection) as few:
        list(recipients(MONDAY))
    for _ in range(10):
        MembershipFactory(municipality=municipality, user=UserFactory())
    with CaptureQueriesContext(connection) as many:
        assert len(list(recipients(MONDAY))) == 12
    assert len(many) == len(few)


# --- the settings page ---


def test_settings_page_shows_the_default_and_saves_a_choice(client_for, leader):
    client = client_for(leader)
    url = reverse("my_settings")
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert page.context["form"]["digest"].value() == "weekly"
    assert not UserSettings.objects.filter(user=leader).exists()  # made on the first save
    response = client.post(url, {"digest": "daily", "language": "en"})
    assert response.status_code == 302
    settings_row = UserSettings.objects.get(user=leader)
    assert (settings_row.digest, settings_row.language) == ("daily", "en")
    response = client.post(
        url, {**client.get(url).context["form"].initial, "digest": "none", "language": "nl"}
    )
    settings_row.refresh_from_db()
    assert settings_row.digest == "none"


def test_settings_page_refuses_a_bad_choice_and_changes_nothing(client_for, leader):
    response = client_for(leader).post(
        reverse("my_settings"), {"digest": "hourly", "language": "fr"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not UserSettings.objects.filter(user=leader).exists()


def test_settings_page_edits_only_the_users_own_settings(client_for, leader, editor):
    UserSettings.objects.create(user=editor, digest="daily")
    client_for(leader).post(reverse("my_settings"), {"digest": "none", "language": "nl"})
    assert UserSettings.objects.get(user=editor).digest == "daily"
    assert UserSettings.objects.get(user=leader).digest == "none"


def test_user_menu_links_to_the_settings_page(client_for, leader):
    page = client_for(leader).get(reverse("dashboard"))
    assert f'href="{reverse("my_settings")}"' in page.text
