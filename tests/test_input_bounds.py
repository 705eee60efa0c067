"""Input bounds (kvu/fields.py): no line break in a single-line field, dates between 2000 and
2100, and ids no database column can hold answered as an invalid choice instead of a 500."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from kvu.fields import DateBoundsValidator, no_line_breaks
from meetings.models import ActionItem, Attendee, Meeting
from partners.models import Agreement, ContactMoment, Organisation, Person, WorkingGroupMember
from tests.factories import MeetingFactory, PersonFactory
from tests.guide_builders import answer, core_partners, declaration

TOO_LARGE = str(2**63)
BAD_IDS = [TOO_LARGE, str(-(2**63) - 1), "-1", "abc"]
# Django's own answers: a number that is no choice, and a value that is no number at all.
INVALID_CHOICE = "Selecteer een geldige keuze"
NOT_A_NUMBER = "is geen geldige waarde"


def _refused(text: str, bad: str) -> bool:
    return (NOT_A_NUMBER if bad == "abc" else INVALID_CHOICE) in text


def _dutch(message) -> str:
    with translation.override("nl"):
        return str(message)


def _page_text(response) -> str:
    """The page and the messages it was given (some forms report their errors as a message)."""
    messages = " ".join(str(m) for m in get_messages(response.wsgi_request))
    return response.content.decode() + messages


@pytest.fixture
def meeting(project):
    return MeetingFactory(project=project)


# --- single-line fields ---

LINE_BREAK_MESSAGE = _dutch(no_line_breaks.message)


def test_line_break_message_is_dutch():
    assert LINE_BREAK_MESSAGE == "Dit veld mag geen regeleinde bevatten."


@pytest.mark.parametrize("title", ["Overleg\r\nBcc: iedereen@example.org", "Overleg\nmet politie"])
def test_meeting_title_with_a_line_break_is_refused(client_for, leader, project, title):
    response = client_for(leader).post(
        reverse("meeting_create", args=[project.pk]),
        {
            "kind": "other",
            "title": title,
            "date": "2026-12-03",
            "start_time": "10:00",
            "end_time": "11:30",
        },
    )
    assert response.status_code == 200
    assert LINE_BREAK_MESSAGE in response.content.decode()
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    ("model_field", "value"),
    [
        ("name", "Jan\rJansen"),
        ("function", "voorzitter\n"),
        ("phone", "038\u20281234567"),
    ],
)
def test_person_full_clean_refuses_a_line_break(partner, model_field, value):
    person = PersonFactory.build(organisation=partner.organisation, **{model_field: value})
    with pytest.raises(ValidationError) as refused:
        person.full_clean()
    assert list(refused.value.message_dict) == [model_field]
    assert refused.value.message_dict[model_field] == [LINE_BREAK_MESSAGE]


def test_organisation_and_meeting_fields_refuse_line_breaks(partner, meeting):
    organisation = partner.organisation
    organisation.city = "Zwolle\nCentrum"
    organisation.name = "Café\r"
    with pytest.raises(ValidationError) as refused:
        organisation.full_clean()
    assert set(refused.value.message_dict) == {"city", "name"}
    meeting.location = "Stadhuis\nzaal 2"
    with pytest.raises(ValidationError) as refused:
        meeting.full_clean()
    assert set(refused.value.message_dict) == {"location"}


def test_csv_import_saves_nothing_when_a_name_holds_a_line_break(client_for, leader, project):
    content = 'organisatie;soort\n"Café\nDe Pijp";horecaondernemer\n'
    response = client_for(leader).post(
        reverse("partner_import", args=[project.pk]),
        {"content": content, "confirm": "1"},
        follow=True,
    )
    assert response.status_code == 200
    assert "niets opgeslagen" in _page_text(response)
    assert not Organisation.objects.filter(name__contains="Pijp").exists()


# --- dates ---


def _date_message() -> str:
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        DateBoundsValidator()(datetime.date(1, 1, 1))
    return " ".join(refused.value.messages)


def test_date_bounds_message_names_the_bounds_in_dutch():
    assert "1 januari 2000" in _date_message()
    assert "31 december 2100" in _date_message()


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31", "2101-01-01", "9999-12-31"])
def test_contact_with_a_date_outside_the_bounds_is_refused(client_for, leader, partner, day):
    response = client_for(leader).post(
        reverse("contact_create", args=[partner.project_id, partner.pk]),
        {
            "contact-occurred_at": f"{day}T14:30",
            "contact-channel": "phone",
            "contact-direction": "outgoing",
            "contact-summary": "Uitleg over de KVU gegeven.",
        },
    )
    assert response.status_code == 200
    assert _date_message() in response.content.decode()
    assert not ContactMoment.objects.exists()


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_follow_up_date_outside_the_bounds_is_refused(client_for, leader, partner, day):
    response = client_for(leader).post(
        reverse("contact_create", args=[partner.project_id, partner.pk]),
        {
            "contact-occurred_at": "2026-11-20T14:30",
            "contact-channel": "phone",
            "contact-direction": "outgoing",
            "contact-summary": "Uitleg over de KVU gegeven.",
            "contact-follow_up_on": day,
        },
    )
    assert response.status_code == 200
    assert _date_message() in response.content.decode()
    assert not ContactMoment.objects.exists()


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_meeting_date_outside_the_bounds_is_refused(client_for, leader, project, day):
    response = client_for(leader).post(
        reverse("meeting_create", args=[project.pk]),
        {"kind": "other", "title": "Overleg", "date": day, "start_time": "10", "end_time": "11"},
    )
    assert response.status_code == 200
    assert _date_message() in response.content.decode()
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_action_and_agreement_dates_outside_the_bounds_are_refused(
    client_for, leader, partner, meeting, day
):
    client = client_for(leader)
    response = client.post(
        reverse("meeting_action_add", args=[meeting.project_id, meeting.pk]),
        {"action-description": "Bellen", "action-owner": f"u{leader.pk}", "action-due_date": day},
    )
    assert response.status_code == 200
    assert _date_message() in _page_text(response)
    response = client.post(
        reverse("agreement_create", args=[partner.project_id, partner.pk]),
        {"agreement-date": day, "agreement-text": "Afspraak."},
    )
    assert response.status_code == 200
    assert _date_message() in _page_text(response)
    assert not ActionItem.objects.exists()
    assert not Agreement.objects.exists()


def test_project_start_date_outside_the_bounds_is_refused(project):
    project.start_date = datetime.date(1, 1, 1)
    with pytest.raises(ValidationError) as refused:
        project.full_clean()
    assert set(refused.value.message_dict) == {"start_date"}


# --- ids in choices ---


@pytest.mark.parametrize("bad", BAD_IDS)
def test_meeting_invite_refuses_impossible_ids(client_for, leader, meeting, bad):
    client = client_for(leader)
    for field in ["invite-persons", "invite-users"]:
        response = client.post(
            reverse("meeting_invite", args=[meeting.project_id, meeting.pk]), {field: [bad]}
        )
        assert response.status_code == 200
        assert _refused(_page_text(response), bad)
    assert not Attendee.objects.exists()


@pytest.mark.parametrize("bad", BAD_IDS)
def test_meeting_agreement_refuses_impossible_ids(client_for, leader, meeting, partner, bad):
    response = client_for(leader).post(
        reverse("meeting_agreement_add", args=[meeting.project_id, meeting.pk]),
        {"agreement-text": "Afspraak.", "agreement-participations": [str(partner.pk), bad]},
    )
    assert response.status_code == 200
    assert _refused(_page_text(response), bad)
    assert not Agreement.objects.exists()


@pytest.mark.parametrize("bad", BAD_IDS)
def test_working_group_refuses_impossible_ids(client_for, leader, project, bad):
    core = core_partners(project)
    signed = declaration(project)
    for participation in core.values():
        answer(signed, participation)
    response = client_for(leader).post(
        reverse("working_group", kwargs={"project_pk": project.pk}), {"members": [bad]}
    )
    assert response.status_code == 200
    assert _refused(_page_text(response), bad)
    assert not WorkingGroupMember.objects.exists()


@pytest.mark.parametrize("bad", BAD_IDS)
def test_contact_persons_refuse_impossible_ids(client_for, leader, partner, bad):
    PersonFactory(organisation=partner.organisation)
    response = client_for(leader).post(
        reverse("contact_create", args=[partner.project_id, partner.pk]),
        {
            "contact-occurred_at": "2026-11-20T14:30",
            "contact-channel": "phone",
            "contact-direction": "outgoing",
            "contact-persons": [bad],
            "contact-summary": "Uitleg.",
        },
    )
    assert response.status_code == 200
    assert _refused(_page_text(response), bad)
    assert not ContactMoment.objects.exists()


@pytest.mark.parametrize("bad", BAD_IDS)
def test_single_choices_refuse_impossible_ids(client_for, leader, project, partner, meeting, bad):
    """Django refuses these by itself; pinned so that a custom field never loses it."""
    client = client_for(leader)
    posts = [
        (
            reverse("participation_edit", args=[project.pk, partner.pk]),
            {"role": partner.role, "main_contact": bad},
        ),
        (
            reverse("participation_add", args=[project.pk]),
            {"which": "existing", "existing-organisation": bad, "existing-role": "core"},
        ),
        (
            reverse("meeting_create", args=[project.pk]),
            {"kind": "other", "title": "Overleg", "date": "2026-12-03", "copy_from": bad},
        ),
        (
            reverse("project_edit", args=[project.pk]),
            {"name": project.name, "nightlife_area": "Centrum", "project_leader": bad},
        ),
    ]
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code == 200, url
        assert INVALID_CHOICE in _page_text(response), url
    assert Meeting.objects.count() == 1


def test_declaration_invite_refuses_an_id_too_large(project, partner):
    """SQLite raised OverflowError; every database gets the form's own message."""
    from partners.declaration.forms import InviteForm

    PersonFactory(organisation=partner.organisation, email="voorzitter@example.org")
    form = InviteForm({"persons": [TOO_LARGE]}, declaration=declaration(project, frozen=False))
    assert not form.is_valid()
    assert form.errors.as_data()["persons"][0].code == "invalid_choice"


def test_person_ids_in_range_still_work(client_for, leader, meeting, project):
    person = PersonFactory(organisation=core_partners(project)["police"].organisation)
    response = client_for(leader).post(
        reverse("meeting_invite", args=[meeting.project_id, meeting.pk]),
        {"invite-persons": [str(person.pk)]},
    )
    assert response.status_code == 302
    assert Attendee.objects.filter(person=person).exists()
    assert Person.objects.count() >= 1


@pytest.mark.parametrize("value", ["²", "٣", "99999999999999999999999"])
def test_unicode_digits_and_huge_ids_give_a_message_not_a_server_error(
    client_for, leader, project, value
):
    """str.isdigit() is true for "²" and "٣", which int() refuses: such ids are not ids."""
    meeting = MeetingFactory(project=project)
    client = client_for(leader)
    response = client.post(
        reverse("meeting_uninvite", args=[project.pk, meeting.pk]), {"attendee": value}
    )
    assert response.status_code == 302
    audit = reverse("audit_log", args=[project.municipality_id])
    response = client.get(audit, {"type": "meetings.meeting", "id": value})
    assert response.status_code == 200
