"""Two people editing one object: a save over a newer version is refused and nothing is lost."""

from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from partners.models import OrganisationKind
from tests.factories import AgendaItemFactory, MeetingFactory, PersonFactory


class _CurrentValues(HTMLParser):
    """The values an edit form would send as it is, read from the page: what a browser posts."""

    def __init__(self):
        super().__init__()
        self.data = {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            if attrs.get("type") != "submit":
                self.data.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select].append(attrs.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            # Browsers drop the newline that follows <textarea>, as Django's widget writes it.
            name, self._textarea = self._textarea, None
            self.data[name][0] = self.data[name][0].removeprefix("\n")


def _open(client, url) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    parser = _CurrentValues()
    parser.feed(response.text)
    assert parser.data.get("version"), "the edit form carries the version it was opened on"
    return parser.data


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@dataclass(frozen=True)
class Case:
    name: str
    field: str  # a text field both people change

    def target(self, partner):
        """The object edited and the URL of its edit page."""
        project = partner.project
        on_partner = {"project_pk": project.pk, "pk": partner.pk}
        if self.name == "project_edit":
            return project, reverse("project_edit", args=[project.pk])
        if self.name == "participation_edit":
            return partner, reverse("participation_edit", kwargs=on_partner)
        if self.name == "organisation_edit":
            return partner.organisation, reverse("organisation_edit", kwargs=on_partner)
        if self.name == "person_edit":
            person = PersonFactory(organisation=partner.organisation)
            return person, reverse("person_edit", kwargs={**on_partner, "person_pk": person.pk})
        meeting = MeetingFactory(project=project)
        if self.name == "meeting_edit":
            return meeting, reverse("meeting_edit", args=[project.pk, meeting.pk])
        item = AgendaItemFactory(meeting=meeting)
        return item, reverse("meeting_agenda_item_edit", args=[project.pk, meeting.pk, item.pk])


CASES = [
    Case("project_edit", "description"),
    Case("participation_edit", "interests"),
    Case("organisation_edit", "notes"),
    Case("person_edit", "notes"),
    Case("meeting_edit", "notes"),
    Case("agenda_item_edit", "minutes"),
]
ids = [case.name for case in CASES]


@pytest.mark.parametrize("case", CASES, ids=ids)
def test_a_save_over_a_newer_version_is_refused_naming_who_changed_it(
    case, partner, leader, editor
):
    obj, url = case.target(partner)
    anne, bert = _client(leader), _client(editor)
    annes_form, berts_form = _open(anne, url), _open(bert, url)

    berts_form[case.field] = ["Bert was eerst"]
    assert bert.post(url, berts_form).status_code == 302

    annes_form[case.field] = ["Anne kwam later"]
    response = anne.post(url, annes_form)
    assert response.status_code == 200
    obj.refresh_from_db()
    assert getattr(obj, case.field) == "Bert was eerst"
    when = getattr(obj, "updated_at", None)
    with translation.override("nl"):
        message = gettext(
            "%(who)s has changed this in the meantime (%(when)s). Your changes have not "
            "been saved; below are the saved values next to your input."
        ) % {
            "who": editor.get_full_name(),
            "when": formats.date_format(timezone.localtime(when), "SHORT_DATETIME_FORMAT")
            if when
            else "",
        }
        both = gettext("Saved: %(saved)s — your input: %(yours)s") % {
            "saved": "Bert was eerst",
            "yours": "Anne kwam later",
        }
    if when is None:  # the agenda item has no `updated_at`: its time comes from the audit trail
        message = message.split("(")[0]
    assert escape(message) in response.text
    assert escape(both) in response.text

    # The refused page keeps the input and carries the current version: saving it again
    # overwrites on purpose.
    again = _CurrentValues()
    again.feed(response.text)
    assert again.data[case.field] == ["Anne kwam later"]
    assert again.data["version"] != annes_form["version"]
    assert anne.post(url, again.data).status_code == 302
    obj.refresh_from_db()
    assert getattr(obj, case.field) == "Anne kwam later"


@pytest.mark.parametrize("case", CASES, ids=ids)
def test_a_single_edit_is_saved(case, partner, leader):
    obj, url = case.target(partner)
    client = _client(leader)
    form = _open(client, url)
    form[case.field] = ["Alleen ik"]
    assert client.post(url, form).status_code == 302
    obj.refresh_from_db()
    assert getattr(obj, case.field) == "Alleen ik"


def test_without_an_audit_entry_it_says_someone(partner, leader, editor):
    anne = _client(leader)
    url = reverse("participation_edit", kwargs={"project_pk": partner.project_id, "pk": partner.pk})
    form = _open(anne, url)
    partner.interests = "Buiten de app om gewijzigd"
    partner.save()  # no request, so the audit entry has no actor
    form["interests"] = ["Anne kwam later"]
    response = anne.post(url, form)
    with translation.override("nl"):
        someone = gettext("Someone")
    assert response.status_code == 200
    assert f"{someone} " in response.text
    partner.refresh_from_db()
    assert partner.interests == "Buiten de app om gewijzigd"


def test_a_choice_is_shown_by_its_label_not_its_code(partner, leader, editor):
    url = reverse("organisation_edit", kwargs={"project_pk": partner.project_id, "pk": partner.pk})
    anne, bert = _client(leader), _client(editor)
    annes_form, berts_form = _open(anne, url), _open(bert, url)
    berts_form["kind"] = [OrganisationKind.POLICE]
    assert bert.post(url, berts_form).status_code == 302
    annes_form["kind"] = [OrganisationKind.RESIDENTS]
    response = anne.post(url, annes_form)
    with translation.override("nl"):
        both = gettext("Saved: %(saved)s — your input: %(yours)s") % {
            "saved": OrganisationKind.POLICE.label,
            "yours": OrganisationKind.RESIDENTS.label,
        }
    assert escape(both) in response.text
    partner.organisation.refresh_from_db()
    assert partner.organisation.kind == OrganisationKind.POLICE
