"""E-mail to the owner of an action item: when it is made, and when its due date moves."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kvu.models import UserSettings
from meetings import services
from meetings.models import ActionItem
from meetings.tasks import notify_action_item_owner
from tests.factories import ActionItemFactory, MeetingFactory, ParticipationFactory, PersonFactory

DUE = timezone.localdate() + datetime.timedelta(days=9)


@pytest.fixture
def meeting(project):
    return MeetingFactory(project=project, title="Werkgroep veilig uitgaan")


@pytest.fixture
def contact_person(project, meeting):
    participation = ParticipationFactory(project=project)
    person = PersonFactory(
        organisation=participation.organisation, name="Ingrid Wolters", email="i.wolters@politie.nl"
    )
    services.invite(meeting=meeting, persons=[person])
    return person


def _add_url(meeting):
    return reverse("meeting_action_add", args=[meeting.project_id, meeting.pk])


def test_owner_gets_an_email_when_an_action_item_is_added_on_the_page(
    client_for, leader, editor, meeting, django_capture_on_commit_callbacks
):
    UserSettings.objects.create(user=editor, language="en")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(leader).post(
            _add_url(meeting),
            {
                "action-description": "Cijfers van de politie opvragen",
                "action-owner": f"user:{editor.pk}",
                "action-due_date": DUE.isoformat(),
            },
        )
    item = ActionItem.objects.get()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [editor.email]
    assert message.subject == "An action item for you: Cijfers van de politie opvragen"
    assert "Cijfers van de politie opvragen" in message.body
    assert f"Due date: {DUE:%A} {DUE.day} {DUE:%B %Y}" in message.body
    assert "Werkgroep veilig uitgaan" in message.body
    assert f"{settings.SITE_URL}{item.meeting.get_absolute_url()}#actions" in message.body
    assert "Hello" in message.body


def test_nothing_is_sent_when_the_action_item_is_refused(
    client_for, leader, meeting, outsider, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(leader).post(
            _add_url(meeting),
            {
                "action-description": "Iets",
                "action-owner": f"user:{outsider.pk}",
                "action-due_date": DUE.isoformat(),
            },
        )
    assert not ActionItem.objects.exists()
    assert not mail.outbox


def test_a_contact_person_is_addressed_formally_and_gets_no_link(
    meeting, contact_person, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.add_action_item(
            meeting=meeting,
            description="Rapportage aanleveren",
            due_date=DUE,
            owner_person=contact_person,
        )
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert mail.outbox[0].to == ["i.wolters@politie.nl"]
    assert "Geachte Ingrid Wolters," in body  # the formal greeting, in Dutch
    assert "Rapportage aanleveren" in body
    assert "http" not in body  # no account, so no link into the application


def test_an_owner_without_an_address_gets_nothing(
    meeting, contact_person, django_capture_on_commit_callbacks
):
    contact_person.email = ""
    contact_person.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.add_action_item(
            meeting=meeting, description="Bellen", due_date=DUE, owner_person=contact_person
        )
    assert not mail.outbox


def test_a_changed_due_date_is_sent_again(leader, meeting, django_capture_on_commit_callbacks):
    UserSettings.objects.create(user=leader, language="en")
    item = ActionItemFactory(meeting=meeting, owner_user=leader, description="Schouw plannen")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify_action_item_owner(item, due_changed=True)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "New due date for your action item: Schouw plannen"
    assert "has been changed" in mail.outbox[0].body


def test_a_closed_action_item_is_not_mailed(leader, meeting, django_capture_on_commit_callbacks):
    item = ActionItemFactory(meeting=meeting, owner_user=leader, status="done")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify_action_item_owner(item, due_changed=True)
    assert not mail.outbox


def _edit(client, item, **changes):
    url = reverse("meeting_action_edit", args=[item.meeting.project_id, item.meeting_id, item.pk])
    form = client.get(url).context["form"]
    data = {
        form.add_prefix("description"): item.description,
        form.add_prefix("owner"): f"user:{item.owner_user_id}",
        form.add_prefix("due_date"): item.due_date.isoformat(),
        form.add_prefix("version"): form["version"].value(),
    }
    data.update({form.add_prefix(name): value for name, value in changes.items()})
    return client.post(url, data)


def test_editing_sends_again_only_when_the_due_date_changes(
    client_for, leader, meeting, django_capture_on_commit_callbacks
):
    item = ActionItemFactory(meeting=meeting, owner_user=leader, description="Schouw plannen")
    client = client_for(leader)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _edit(client, item, description="Schouw plannen met de politie")
    item.refresh_from_db()
    assert item.description == "Schouw plannen met de politie"
    assert not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        _edit(client, item, due_date=(DUE + datetime.timedelta(days=3)).isoformat())
    item.refresh_from_db()
    assert item.due_date == DUE + datetime.timedelta(days=3)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [leader.email]


def test_a_new_owner_on_edit_gets_the_item_as_new(
    client_for, leader, editor, meeting, django_capture_on_commit_callbacks
):
    UserSettings.objects.create(user=editor, language="en")
    item = ActionItemFactory(meeting=meeting, owner_user=leader, description="Schouw plannen")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _edit(client_for(leader), item, owner=f"user:{editor.pk}")
    assert [m.to for m in mail.outbox] == [[editor.email]]
    assert mail.outbox[0].subject == "An action item for you: Schouw plannen"
