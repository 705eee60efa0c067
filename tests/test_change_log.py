"""The change log reads as sentences: names, translated labels, local times, links, filters."""

import datetime
import re

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from kvu.audit_display import lines
from kvu.models import Document
from partners import services
from partners.models import Participation, Stage
from tests.factories import (
    ContactMomentFactory,
    MeetingFactory,
    ParticipationFactory,
    PersonFactory,
)


def _text(html: str) -> str:
    """The page's text without tags, its white space collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace(" :", ":")


@pytest.fixture
def lotte(editor):
    editor.first_name, editor.last_name = "Lotte", "de Vries"
    editor.save()
    return editor


@pytest.fixture
def kroon(project):
    return ParticipationFactory(
        project=project, organisation__name="Café De Kroon", stage=Stage.APPROACHED
    )


def _log(client, leader, project, **params):
    """The leader's change log, in English (the language switch's cookie)."""
    client.force_login(leader)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.get(reverse("audit_log", args=[project.municipality_id]), params)


def _newest_line(**filters):
    with translation.override("en"):
        return lines(LogEntry.objects.filter(**filters).order_by("-pk")[:1])[0]


def test_a_colleagues_stage_change_reads_as_a_sentence(client, project, leader, lotte, kroon):
    client.force_login(lotte)
    response = client.post(
        reverse("participation_stage", args=[project.pk, kroon.pk]), {"stage": "interested"}
    )
    assert response.status_code == 302
    page = _log(client, leader, project)
    assert page.status_code == 200
    assert (
        "Lotte de Vries changed outreach stage of Café De Kroon – KVU Binnenstad: "
        "approached → interested" in _text(page.text)
    )
    assert f'href="{kroon.get_absolute_url()}"' in page.text


def test_the_sentence_is_dutch_by_default(client, project, leader, lotte, kroon):
    """Uses only texts already in the Dutch catalogue (stage labels); the verbs are new and
    read "wijzigde ... van" once the lead has compiled /work/notes/changelog.po."""
    with set_actor(lotte):
        services.move_stage(participation=kroon, to_stage=Stage.INTERESTED, user=lotte)
    client.force_login(leader)
    page = client.get(reverse("audit_log", args=[project.municipality_id]))
    assert page.status_code == 200
    assert "benaderd → geïnteresseerd" in page.text
    assert "benaderingsfase" in page.text


def test_foreign_keys_read_as_names_and_empty_values_in_words(project, lotte, kroon):
    person = PersonFactory(organisation=kroon.organisation, name="Henk Jansen", function="")
    with set_actor(lotte):
        kroon.main_contact = person
        kroon.save(update_fields=["main_contact"])
    line = _newest_line(object_pk=str(kroon.pk))
    assert "main contact person of Café De Kroon" in _text(line.sentence)
    assert "(empty) → Henk Jansen" in line.sentence
    assert str(person.pk) not in re.sub(r'href="[^"]*"', "", line.sentence)


def test_a_deleted_object_is_named_as_deleted_and_not_linked(project, lotte, kroon):
    person = PersonFactory(organisation=kroon.organisation, name="Henk Jansen", function="")
    with set_actor(lotte):
        kroon.main_contact = person
        kroon.save(update_fields=["main_contact"])
    entry_pk = LogEntry.objects.filter(object_pk=str(kroon.pk)).latest("pk").pk
    person_pk, kroon_pk = person.pk, kroon.pk
    with set_actor(lotte):
        person.delete()
        kroon.delete()
    line = _newest_line(pk=entry_pk)
    assert f"(empty) → (deleted, no. {person_pk})" in line.sentence
    assert "href" not in line.sentence
    deleted = _newest_line(object_pk=str(kroon_pk), action=LogEntry.Action.DELETE)
    assert deleted.sentence.startswith("Lotte de Vries deleted participation Café De Kroon")
    assert "href" not in deleted.sentence


def test_choices_booleans_dates_and_local_times_read_as_words(project, lotte, kroon):
    # 20 November 2026, 10:00 in Amsterdam is 09:00 UTC, which is what auditlog stores.
    amsterdam = timezone.get_default_timezone()
    with set_actor(lotte):
        moment = ContactMomentFactory(
            participation=kroon,
            occurred_at=datetime.datetime(2026, 11, 20, 10, 0, tzinfo=amsterdam),
            channel="visit",
            follow_up_on=datetime.date(2026, 12, 1),
        )
        moment.follow_up_done = True
        moment.occurred_at = datetime.datetime(2026, 11, 21, 23, 30, tzinfo=amsterdam)
        moment.save(update_fields=["follow_up_done", "occurred_at"])
    created = _newest_line(object_pk=str(moment.pk), action=LogEntry.Action.CREATE)
    assert created.sentence.startswith("Lotte de Vries created contact moment")
    shown = {change.field: change.text for change in created.changes}
    assert shown["channel"] == "visit"
    assert shown["date and time"] == "20 November 2026 10:00"
    assert shown["follow up on"] == "1 December 2026"
    assert shown["partner"] == "Café De Kroon – KVU Binnenstad"
    assert list(shown)[:3] == ["partner", "project", "date and time"]  # in the model's order
    partner = _newest_line(
        content_type=ContentType.objects.get_for_model(Participation),
        object_pk=str(kroon.pk),
        action=LogEntry.Action.CREATE,
    )
    # auditlog also lists the relations pointing at a new row ("signatures": "…None").
    assert [change.field for change in partner.changes] == [
        "project",
        "organisation",
        "outreach stage",
        "role in the KVU",
    ]
    assert "ID" not in shown
    changed = _newest_line(object_pk=str(moment.pk), action=LogEntry.Action.UPDATE)
    shown = {change.field: change.text for change in changed.changes}
    assert shown["follow-up done"] == "no → yes"
    assert shown["date and time"] == "20 November 2026 10:00 → 21 November 2026 23:30"


def test_a_child_row_links_to_the_page_it_is_shown_on(project, lotte, kroon):
    with set_actor(lotte):
        moment = ContactMomentFactory(participation=kroon)
    line = _newest_line(object_pk=str(moment.pk))
    assert f'href="{kroon.get_absolute_url()}"' in line.sentence


def test_people_added_to_a_contact_read_as_names(project, lotte, kroon):
    person = PersonFactory(organisation=kroon.organisation, name="Henk Jansen", function="")
    with set_actor(lotte):
        moment = ContactMomentFactory(participation=kroon)
        moment.persons.add(person)
    line = _newest_line(object_pk=str(moment.pk), action=LogEntry.Action.UPDATE)
    assert line.sentence.startswith("Lotte de Vries added Henk Jansen to spoke with of")


def test_long_texts_are_shortened(project, lotte, kroon):
    with set_actor(lotte):
        kroon.interests = "Langere openingstijden " * 20
        kroon.save(update_fields=["interests"])
    line = _newest_line(object_pk=str(kroon.pk))
    assert len(line.sentence) < 400
    assert "…" in line.sentence


def test_without_a_login_the_actor_is_named_in_words(project, kroon):
    with set_actor(None, remote_addr="192.0.2.9"):
        kroon.interests = "Via de link"
        kroon.save(update_fields=["interests"])
    assert _newest_line(object_pk=str(kroon.pk)).sentence.startswith(
        "Someone via a personal link changed"
    )
    kroon.interests = "Door een taak"
    kroon.save(update_fields=["interests"])
    assert _newest_line(object_pk=str(kroon.pk)).sentence.startswith("The system changed")


def test_a_model_or_field_that_no_longer_exists_still_renders(client, project, leader, kroon):
    gone = ContentType.objects.create(app_label="oldapp", model="oldthing")
    data = {"municipality_id": project.municipality_id}
    LogEntry.objects.create(
        content_type=gone,
        object_pk="7",
        object_id=7,
        object_repr="Oud ding",
        action=LogEntry.Action.UPDATE,
        changes={"colour": ["red", "blue"], "size": ["1", "2"]},
        additional_data=data,
    )
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Participation),
        object_pk=str(kroon.pk),
        object_id=kroon.pk,
        object_repr="Café De Kroon",
        action=LogEntry.Action.UPDATE,
        changes={"retired_field": ["a", "b"], "stage": "not a pair", "role": {"x": 1}},
        additional_data=data,
    )
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Participation),
        object_pk="not-a-number",
        object_repr="Raar",
        action=LogEntry.Action.UPDATE,
        changes={"main_contact": ["abc", "None"], "stage": ["gone_stage", "interested"]},
        additional_data=data,
    )
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Document),
        object_pk="8",
        object_repr="Notulen.pdf",
        action=LogEntry.Action.CREATE,
        changes={"target": ["None", "Café De Kroon"], "title": ["None", "Notulen"]},
        additional_data=data,
    )
    page = _log(client, leader, project)
    assert page.status_code == 200
    text = _text(page.text)
    assert "Target: Café De Kroon" in text  # a generic foreign key, shown as stored
    assert "Oud ding" in text
    assert "Colour: red → blue" in text
    assert "changed retired_field of Café De Kroon: a → b" in text
    assert "gone_stage → interested" in text


def test_the_log_is_filtered_by_kind_person_and_period(
    client, project, leader, lotte, kroon, municipality
):
    with set_actor(lotte):
        services.move_stage(participation=kroon, to_stage=Stage.INTERESTED, user=lotte)
    with set_actor(leader):
        meeting = MeetingFactory(project=project, title="Werkgroep in maart")
    old = LogEntry.objects.get_for_object(meeting).get(action=LogEntry.Action.CREATE)
    LogEntry.objects.filter(pk=old.pk).update(
        timestamp=timezone.now() - datetime.timedelta(days=40)
    )

    def shown(**params):
        page = _log(client, leader, project, **params)
        assert page.status_code == 200
        return page.text

    assert "Werkgroep in maart" in shown()
    assert "Werkgroep in maart" not in shown(type="partners.participation")
    assert "Café De Kroon" in shown(type="partners.participation")
    assert "Werkgroep in maart" not in shown(person=lotte.pk)
    assert "Café De Kroon" in shown(person=lotte.pk)
    assert "Werkgroep in maart" not in shown(period="30d")
    assert "Café De Kroon" in shown(period="today")
    since = (timezone.localdate() - datetime.timedelta(days=41)).isoformat()
    until = (timezone.localdate() - datetime.timedelta(days=39)).isoformat()
    only_old = shown(date_from=since, date_to=until)
    assert "Werkgroep in maart" in only_old
    assert "Café De Kroon" not in only_old


def test_the_person_filter_offers_only_the_municipalitys_members(client, project, leader, outsider):
    page = _log(client, leader, project, person=outsider.pk)
    assert page.status_code == 200
    assert 'role="alert"' in page.text
    assert f'value="{outsider.pk}"' not in page.text


@pytest.mark.parametrize(
    "params",
    [
        {"period": "forever"},
        {"person": "99999999999999999999999"},
        {"person": "abc"},
        {"type": "auth.user"},
        {"date_from": "0001-01-01"},
        {"date_to": "31-02-2026"},
        {"type": "partners.participation", "id": "99999999999999999999999"},
        {"id": "12"},
        {"page": "-1"},
    ],
)
def test_bad_filter_input_gives_a_page_not_an_error(client, project, leader, params):
    page = _log(client, leader, project, **params)
    assert page.status_code == 200


def test_an_invalid_filter_says_so(client, project, leader):
    page = _log(client, leader, project, period="forever")
    assert 'role="alert"' in page.text


def test_the_table_is_a_focusable_region_with_a_caption(client, project, leader):
    page = _log(client, leader, project).text
    assert re.search(r'class="table-responsive" tabindex="0" role="region" aria-labelledby=', page)
    assert "<caption" in page


def _activity(project, user, round_number):
    """One of each kind of change: a stage, a main contact, a contact with a person, a meeting."""
    participation = ParticipationFactory(project=project)
    person = PersonFactory(organisation=participation.organisation)
    with set_actor(user):
        services.move_stage(participation=participation, to_stage=Stage.APPROACHED, user=user)
        participation.main_contact = person
        participation.save(update_fields=["main_contact"])
        moment = ContactMomentFactory(participation=participation, recorded_by=user)
        moment.persons.add(person)
        MeetingFactory(project=project, title=f"Overleg {round_number}")
        person.delete()  # a name that no longer resolves


def test_change_log_query_count_does_not_grow_with_entries(client, project, leader, lotte):
    """Prevents an N+1 on the names behind ids, on the objects linked, and on their names."""
    client.force_login(leader)
    # Only the colleague's changes, so that both pages show the same kinds of change.
    url = reverse("audit_log", args=[project.municipality_id]) + f"?person={lotte.pk}"
    _activity(project, lotte, 0)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for round_number in range(1, 10):
        _activity(project, lotte, round_number)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(few) == len(many)


# The privacy page of a contact person: what is stored, as a reader knows it.


@pytest.fixture
def henk(project, leader, kroon):
    person = PersonFactory(organisation=kroon.organisation, name="Henk Jansen", function="")
    kroon.main_contact = person
    kroon.save()
    moment = ContactMomentFactory(
        participation=kroon,
        recorded_by=leader,
        channel="visit",
        occurred_at=datetime.datetime(2026, 11, 20, 9, 0, tzinfo=datetime.UTC),
    )
    moment.persons.add(person)
    return person


def _privacy(client, leader, project, person, language="nl"):
    client.force_login(leader)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("person_privacy", args=[project.pk, person.pk]))
    assert page.status_code == 200
    return _text(page.text)


def test_the_privacy_page_shows_names_labels_and_words_instead_of_ids(
    client, project, leader, henk, kroon
):
    text = _privacy(client, leader, project, henk, language="en")
    assert "Outreach stage: approached" in text
    assert "Main contact person: Henk Jansen" in text
    assert f"Organisation: {kroon.organisation.name}" in text
    assert "Channel: visit" in text
    assert "Spoke with: Henk Jansen" in text
    assert f"Recorded by: {leader.get_full_name()}" in text
    assert "Follow-up done: no" in text
    assert "Project: KVU Binnenstad" in text
    assert "ID " not in text
    assert "Date and time: 20 November 2026 10:00" in text  # local time


def test_the_privacy_page_gives_dates_in_dutch(client, project, leader, henk):
    text = _privacy(client, leader, project, henk)
    assert "Datum en tijd: 20 november 2026 10:00" in text
    assert "Kanaal: bezoek" in text
    assert "Benaderingsfase: benaderd" in text


def test_privacy_page_query_count_does_not_grow_with_what_is_stored(
    client, project, leader, henk, kroon
):
    """Prevents an N+1 on the names behind ids and on the persons of each contact moment."""
    url = reverse("person_privacy", args=[project.pk, henk.pk])
    client.force_login(leader)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(10):
        moment = ContactMomentFactory(participation=kroon, recorded_by=leader)
        moment.persons.add(henk)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many)
