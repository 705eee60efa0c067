"""Correcting what was recorded: a logged contact, an agreement and an action item are edited or
deleted by the project's leader or editor, deletes ask first, and the change log keeps the old
values."""

import datetime
from dataclasses import dataclass

import pytest
from auditlog.models import LogEntry
from django.contrib.messages import ERROR, SUCCESS, get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from meetings.models import ActionItem
from partners.models import Agreement, ContactMoment
from tests.factories import (
    ActionItemFactory,
    AgreementFactory,
    AttendeeFactory,
    ContactMomentFactory,
    MeetingFactory,
)
from tests.test_lost_updates import _open as _open_page


def _open(client, url) -> dict:
    """The edit form's values as a browser sends them; the page's language form has a `next`
    of its own, which the edit form does not send."""
    form = _open_page(client, url)
    form["next"] = form["next"][-1:]
    return form


def _client(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@dataclass(frozen=True)
class Kind:
    name: str
    model: type
    field: str  # a text field the edit form changes

    def make(self, partner):
        """The record, its edit and delete URLs, and the page that lists it."""
        project = partner.project
        if self.name == "contact":
            obj = ContactMomentFactory(participation=partner, summary="Gebeld over de schouw.")
            args = [project.pk, obj.pk]
            page = partner.get_absolute_url()
            return (
                obj,
                reverse("contact_edit", args=args),
                reverse("contact_delete", args=args),
                page,
            )
        if self.name == "agreement":
            obj = AgreementFactory(project=project, text="Portiers bij de ingang.")
            obj.participations.add(partner)
            args = [project.pk, obj.pk]
            page = partner.get_absolute_url()
            return (
                obj,
                reverse("agreement_edit", args=args),
                reverse("agreement_delete", args=args),
                page,
            )
        meeting = MeetingFactory(project=project)
        obj = ActionItemFactory(meeting=meeting, description="Cijfers opvragen bij de politie")
        args = [project.pk, meeting.pk, obj.pk]
        return (
            obj,
            reverse("meeting_action_edit", args=args),
            reverse("meeting_action_delete", args=args),
            meeting.get_absolute_url(),
        )


KINDS = [
    Kind("contact", ContactMoment, "summary"),
    Kind("agreement", Agreement, "text"),
    Kind("action", ActionItem, "description"),
]
ids = [kind.name for kind in KINDS]


def _messages(response):
    return [(m.level, str(m)) for m in get_messages(response.wsgi_request)]


# --- editing ---


@pytest.mark.parametrize("kind", KINDS, ids=ids)
@pytest.mark.parametrize("role", ["leader", "editor"])
def test_leader_and_editor_edit_a_record_and_return_where_they_came_from(
    kind, role, partner, request
):
    obj, edit_url, _delete_url, page = kind.make(partner)
    client = _client(request.getfixturevalue(role))
    form = _open(client, f"{edit_url}?next={page}")
    assert form["next"] == [page]
    form[kind.field] = ["Gecorrigeerd: de juiste tekst"]
    response = client.post(edit_url, form)
    assert response.status_code == 302
    assert response["Location"] == page
    obj.refresh_from_db()
    assert getattr(obj, kind.field) == "Gecorrigeerd: de juiste tekst"
    assert [level for level, _text in _messages(response)] == [SUCCESS]


@pytest.mark.parametrize("kind", KINDS, ids=ids)
def test_a_next_to_another_site_is_ignored(kind, partner, leader):
    _obj, edit_url, _delete_url, _page = kind.make(partner)
    client = _client(leader)
    form = _open(client, edit_url)
    form["next"] = ["https://evil.example/"]
    form[kind.field] = ["Nieuw"]
    response = client.post(edit_url, form)
    assert response.status_code == 302
    assert response["Location"].startswith("/projecten/")


@pytest.mark.parametrize("kind", KINDS, ids=ids)
def test_bad_input_gives_a_message_and_changes_nothing(kind, partner, leader):
    obj, edit_url, _delete_url, _page = kind.make(partner)
    before = getattr(obj, kind.field)
    client = _client(leader)
    form = _open(client, edit_url)
    form[kind.field] = [""]
    date_field = {"contact": "occurred_at", "agreement": "date", "action": "due_date"}[kind.name]
    form[date_field] = ["0001-01-01"]
    response = client.post(edit_url, form)
    assert response.status_code == 200
    assert any(level == ERROR for level, _text in _messages(response))
    assert response.context["form"].errors[kind.field]
    obj.refresh_from_db()
    assert getattr(obj, kind.field) == before


@pytest.mark.parametrize("kind", KINDS, ids=ids)
def test_a_save_over_a_newer_version_is_refused(kind, partner, leader, editor):
    obj, edit_url, _delete_url, _page = kind.make(partner)
    anne, bert = _client(leader), _client(editor)
    annes_form, berts_form = _open(anne, edit_url), _open(bert, edit_url)
    berts_form[kind.field] = ["Bert was eerst"]
    assert bert.post(edit_url, berts_form).status_code == 302
    annes_form[kind.field] = ["Anne kwam later"]
    response = anne.post(edit_url, annes_form)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.non_field_errors()  # who changed it, and when
    assert form[kind.field].errors  # the saved value next to Anne's input
    obj.refresh_from_db()
    assert getattr(obj, kind.field) == "Bert was eerst"


def test_an_action_items_owner_and_due_date_can_be_changed(partner, leader, editor):
    obj, edit_url, _delete_url, _page = KINDS[2].make(partner)
    client = _client(leader)
    form = _open(client, edit_url)
    # The factory's owner is no member of the municipality: still the form's initial choice.
    assert form["owner"] == [f"user:{obj.owner_user_id}"]
    due = timezone.localdate() + datetime.timedelta(days=30)
    form["owner"] = [f"user:{editor.pk}"]
    form["due_date"] = [due.isoformat()]
    assert client.post(edit_url, form).status_code == 302
    obj.refresh_from_db()
    assert obj.owner_user == editor
    assert obj.due_date == due


def test_an_action_item_can_go_to_an_invited_contact_person(partner, leader):
    obj, edit_url, _delete_url, _page = KINDS[2].make(partner)
    attendee = AttendeeFactory(meeting=obj.meeting, person__organisation=partner.organisation)
    client = _client(leader)
    form = _open(client, edit_url)
    form["owner"] = [f"person:{attendee.person_id}"]
    assert client.post(edit_url, form).status_code == 302
    obj.refresh_from_db()
    assert obj.owner_person_id == attendee.person_id
    assert obj.owner_user_id is None


def test_an_owner_of_another_municipality_is_refused(partner, leader, outsider):
    obj, edit_url, _delete_url, _page = KINDS[2].make(partner)
    client = _client(leader)
    form = _open(client, edit_url)
    form["owner"] = [f"user:{outsider.pk}"]
    response = client.post(edit_url, form)
    assert response.status_code == 200
    obj.refresh_from_db()
    assert obj.owner_user_id != outsider.pk


def test_a_contact_can_name_only_persons_of_its_own_organisation(partner, leader):
    from tests.factories import PersonFactory

    obj, edit_url, _delete_url, _page = KINDS[0].make(partner)
    stranger = PersonFactory(organisation__municipality=partner.project.municipality)
    client = _client(leader)
    form = _open(client, edit_url)
    form["persons"] = [str(stranger.pk)]
    response = client.post(edit_url, form)
    assert response.status_code == 200
    assert not obj.persons.exists()


# --- deleting ---


@pytest.mark.parametrize("kind", KINDS, ids=ids)
def test_delete_asks_first_and_a_get_deletes_nothing(kind, partner, leader):
    obj, _edit_url, delete_url, page = kind.make(partner)
    client = _client(leader)
    response = client.get(f"{delete_url}?next={page}")
    assert response.status_code == 200
    assert f'<form method="post" action="{delete_url}"' in response.text
    assert f'name="next" value="{page}"' in response.text
    assert getattr(obj, kind.field) in response.text  # shows what would go
    assert kind.model.objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("kind", KINDS, ids=ids)
def test_the_confirmed_delete_removes_it_and_returns_where_the_user_came_from(
    kind, partner, leader
):
    obj, _edit_url, delete_url, page = kind.make(partner)
    response = _client(leader).post(delete_url, {"next": page})
    assert response.status_code == 302
    assert response["Location"] == page
    assert not kind.model.objects.filter(pk=obj.pk).exists()
    assert [level for level, _text in _messages(response)] == [SUCCESS]


def test_deleting_an_agreement_takes_it_off_its_partners_and_meetings(partner, leader):
    obj, _edit_url, delete_url, _page = KINDS[1].make(partner)
    meeting = MeetingFactory(project=partner.project)
    meeting.agreements.add(obj)
    _client(leader).post(delete_url)
    assert not partner.agreements.exists()
    assert not meeting.agreements.exists()


def test_a_concern_settled_by_a_deleted_agreement_keeps_its_status_and_the_log_shows_it(
    partner, leader
):
    from auditlog.models import LogEntry

    from partners.models import Concern
    from tests.factories import ConcernFactory

    obj, _edit_url, delete_url, _page = KINDS[1].make(partner)
    concern = ConcernFactory(participation=partner, status="resolved", agreement=obj)
    _client(leader).post(delete_url)
    concern.refresh_from_db()
    assert (concern.status, concern.agreement_id) == ("resolved", None)
    entry = LogEntry.objects.get_for_object(concern).filter(action=LogEntry.Action.UPDATE).first()
    assert entry is not None
    assert "agreement" in entry.changes_dict
    assert Concern.objects.filter(pk=concern.pk).exists()


# --- who may ---


@pytest.mark.parametrize("kind", KINDS, ids=ids)
def test_a_viewer_gets_403_and_changes_nothing(kind, partner, viewer):
    obj, edit_url, delete_url, _page = kind.make(partner)
    before = getattr(obj, kind.field)
    client = _client(viewer)
    assert client.get(edit_url).status_code == 403
    assert client.post(edit_url, {kind.field: "Kapot"}).status_code == 403
    assert client.get(delete_url).status_code == 403
    assert client.post(delete_url).status_code == 403
    obj.refresh_from_db()
    assert getattr(obj, kind.field) == before


@pytest.mark.parametrize("kind", KINDS, ids=ids)
def test_a_user_of_another_municipality_gets_404(kind, partner, outsider):
    obj, edit_url, delete_url, _page = kind.make(partner)
    client = _client(outsider)
    for url in (edit_url, delete_url):
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert kind.model.objects.filter(pk=obj.pk).exists()


def test_a_record_of_another_project_is_404_under_this_project(partner, leader):
    from tests.factories import ProjectFactory

    other = ProjectFactory(municipality=partner.project.municipality)
    moment = ContactMomentFactory(participation=partner)
    agreement = AgreementFactory(project=partner.project)
    client = _client(leader)
    assert client.get(reverse("contact_edit", args=[other.pk, moment.pk])).status_code == 404
    assert client.get(reverse("agreement_delete", args=[other.pk, agreement.pk])).status_code == 404


# --- the change log keeps the old values ---


def _last_entry(obj, action):
    return LogEntry.objects.get_for_object(obj).filter(action=action).order_by("-timestamp").first()


@pytest.mark.parametrize("kind", KINDS, ids=ids)
def test_the_change_log_keeps_the_old_value_of_an_edit_and_of_a_delete(kind, partner, leader):
    obj, edit_url, delete_url, _page = kind.make(partner)
    original = getattr(obj, kind.field)
    client = _client(leader)
    form = _open(client, edit_url)
    form[kind.field] = ["Gecorrigeerd"]
    assert client.post(edit_url, form).status_code == 302

    edit = _last_entry(obj, LogEntry.Action.UPDATE)
    assert edit.actor == leader
    assert edit.changes_dict[kind.field] == [original, "Gecorrigeerd"]

    assert client.post(delete_url).status_code == 302
    delete = _last_entry(obj, LogEntry.Action.DELETE)
    assert delete.actor == leader
    assert delete.changes_dict[kind.field][0] == "Gecorrigeerd"


# --- the links where the records are shown ---


def test_the_links_are_on_the_pages_that_show_the_records(partner, leader, viewer):
    _moment, moment_edit, moment_delete, _page = KINDS[0].make(partner)
    agreement, agreement_edit, agreement_delete, _page = KINDS[1].make(partner)
    action, action_edit, action_delete, meeting_page = KINDS[2].make(partner)
    action.meeting.agreements.add(agreement)
    project = partner.project
    pages = {
        partner.get_absolute_url(): [moment_edit, moment_delete, agreement_edit, agreement_delete],
        reverse("contact_log", args=[project.pk]): [moment_edit, moment_delete],
        meeting_page: [agreement_edit, agreement_delete, action_edit, action_delete],
    }
    leader_client, viewer_client = _client(leader), _client(viewer)
    for page, links in pages.items():
        shown = leader_client.get(page).text
        for link in links:
            assert f'href="{link}?next=' in shown, (page, link)
        hidden = viewer_client.get(page).text
        for link in links:
            assert link not in hidden, (page, link)
    # The project overview is a summary: its action items lead to the meeting page's list.
    overview = leader_client.get(project.get_absolute_url()).text
    assert f'href="{action.meeting.get_absolute_url()}#actions"' in overview


def test_a_refused_action_item_names_the_saved_owner_and_yours(partner, leader, editor):
    obj, edit_url, _delete_url, _page = KINDS[2].make(partner)
    obj.owner_user = first_owner = leader
    obj.save()
    anne, bert = _client(leader), _client(editor)
    annes_form, berts_form = _open(anne, edit_url), _open(bert, edit_url)
    berts_form["owner"] = [f"user:{editor.pk}"]
    assert bert.post(edit_url, berts_form).status_code == 302
    annes_form["description"] = ["Anne kwam later"]
    response = anne.post(edit_url, annes_form)
    assert response.status_code == 200
    with translation.override("nl"):
        both = gettext("Saved: %(saved)s — your input: %(yours)s") % {
            "saved": editor.get_full_name() or editor.username,
            "yours": first_owner.get_full_name() or first_owner.username,
        }
    assert response.context["form"].errors["owner"] == [both]
    obj.refresh_from_db()
    assert obj.owner_user == editor
    assert obj.description == "Cijfers opvragen bij de politie"


def test_a_new_owner_hears_of_the_action_item_and_a_text_correction_sends_nothing(
    partner, leader, editor, django_capture_on_commit_callbacks
):
    from django.core import mail

    obj, edit_url, _delete_url, _page = KINDS[2].make(partner)
    obj.owner_user = leader
    obj.save()
    client = _client(leader)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        form = _open(client, edit_url)
        form["description"] = ["Cijfers per maand opvragen"]
        assert client.post(edit_url, form).status_code == 302
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        form = _open(client, edit_url)
        form["owner"] = [f"user:{editor.pk}"]
        assert client.post(edit_url, form).status_code == 302
    assert [m.to for m in mail.outbox] == [[editor.email]]
