"""Privacy (AVG): export of a contact person, anonymisation everywhere, and retention."""

import datetime
import json

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from partners.models import ContactMoment, Person
from partners.privacy.services import anonymise_person, persons_past_retention
from tests.factories import (
    AgreementFactory,
    ContactMomentFactory,
    ParticipationFactory,
    PersonFactory,
    ProjectFactory,
)

NAME = "Henk Oosterhuis-Verbeek"
EMAIL = "h.oosterhuis@cafe-zwaan.example"
PHONE = "06-12345678"


@pytest.fixture
def person(project, leader):
    participation = ParticipationFactory(project=project)
    person = PersonFactory(
        organisation=participation.organisation,
        name=NAME,
        email=EMAIL,
        phone=PHONE,
        notes="Liever bellen na 14 uur.",
    )
    participation.main_contact = person
    participation.interests = f"{NAME} wil ruimere sluitingstijden."
    participation.save()
    moment = ContactMomentFactory(
        participation=participation,
        recorded_by=leader,
        summary=f"Gebeld met {NAME} ({PHONE}); mail volgt naar {EMAIL}.",
    )
    moment.persons.add(person)
    AgreementFactory(project=project, text=f"{NAME} brengt de andere cafés bij elkaar.")
    return person


def _all_text_values():
    """Every text value in every table of the application, for the trace search."""
    for config in apps.get_app_configs():
        for model in config.get_models():
            fields = [
                f.attname
                for f in model._meta.concrete_fields
                if isinstance(f, models.CharField | models.TextField | models.JSONField)
            ]
            for row in model._base_manager.values_list(*fields) if fields else []:
                for value in row:
                    if value:
                        yield model._meta.label, json.dumps(value, ensure_ascii=False)


def test_export_holds_the_person_and_everything_that_refers_to_them(client, person, leader):
    client.force_login(leader)
    project = person.organisation.participations.get().project
    response = client.get(reverse("person_export", args=[project.pk, person.pk]))
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["person"]["email"] == EMAIL
    assert data["organisation"]["name"] == person.organisation.name
    related = json.dumps(data["related"], ensure_ascii=False)
    assert "Gebeld met" in related  # the contact moment they took part in
    page = client.get(reverse("person_privacy", args=[project.pk, person.pk]))
    assert NAME in page.text
    assert "Gebeld met" in page.text
    # Labelled as a reader knows them, not by column name.
    assert '<dt class="col-sm-3">E-mailadres</dt>' in page.text
    assert "organisation_id" not in page.text


def test_anonymising_with_every_listed_text_redacted_leaves_no_trace(client, person, leader):
    client.force_login(leader)
    project = person.organisation.participations.get().project
    # Changes through the application land in the audit log too.
    client.post(
        reverse("project_edit", args=[project.pk]),
        {"name": project.name, "nightlife_area": f"Rond café van {NAME}", "ccv_step": 2},
    )
    page = client.get(reverse("person_privacy", args=[project.pk, person.pk]))
    keys = [mention.key for mention in page.context["mentions"]]
    # The participation's interests, the contact moment, the agreement and the project.
    assert sorted(key.split(":")[0] for key in keys) == [
        "kvu.project",
        "partners.agreement",
        "partners.contactmoment",
        "partners.participation",
    ]
    response = client.post(
        reverse("person_anonymise", args=[project.pk, person.pk]),
        {"confirm": "yes", "redact": keys},
    )
    assert response.status_code == 302
    traces = [
        (label, value)
        for label, value in _all_text_values()
        for needle in (NAME, EMAIL, PHONE)
        if needle.lower() in value.lower()
    ]
    assert traces == []
    person.refresh_from_db()
    assert person.anonymised_at is not None
    assert ContactMoment.objects.get().persons.get() == person  # the contact still counts


def test_texts_the_leader_did_not_tick_stay_as_they_are(client, person, leader):
    client.force_login(leader)
    project = person.organisation.participations.get().project
    client.post(reverse("person_anonymise", args=[project.pk, person.pk]), {"confirm": "yes"})
    person.refresh_from_db()
    assert person.anonymised_at is not None
    assert (person.email, person.phone, person.notes) == ("", "", "")
    assert NAME not in person.name
    # Listed for review, not rewritten blindly.
    assert ContactMoment.objects.get().summary.startswith(f"Gebeld met {NAME}")
    # The change log of the person's own row no longer holds the erased values.
    entries = LogEntry.objects.get_for_object(person)
    assert entries.exists()
    assert all(EMAIL not in json.dumps(entry.changes) for entry in entries)
    assert all(NAME not in entry.object_repr for entry in entries)


def test_a_redaction_key_outside_the_listed_mentions_is_ignored(
    client, person, leader, other_municipality
):
    """A forged key naming another municipality's row changes nothing there."""
    foreign = ProjectFactory(municipality=other_municipality, name=f"KVU {NAME}")
    client.force_login(leader)
    project = person.organisation.participations.get().project
    client.post(
        reverse("person_anonymise", args=[project.pk, person.pk]),
        {"confirm": "yes", "redact": [f"kvu.project:{foreign.pk}:name"]},
    )
    foreign.refresh_from_db()
    assert foreign.name == f"KVU {NAME}"


def test_anonymising_needs_an_explicit_confirmation(client, person, leader):
    client.force_login(leader)
    project = person.organisation.participations.get().project
    client.post(reverse("person_anonymise", args=[project.pk, person.pk]), {})
    person.refresh_from_db()
    assert person.name == NAME
    assert person.anonymised_at is None


def test_viewer_may_neither_export_nor_anonymise(client, person, viewer):
    client.force_login(viewer)
    project = person.organisation.participations.get().project
    assert client.get(reverse("person_export", args=[project.pk, person.pk])).status_code == 403
    client.post(reverse("person_anonymise", args=[project.pk, person.pk]), {"confirm": "yes"})
    person.refresh_from_db()
    assert person.name == NAME


def test_person_of_another_municipality_is_not_found(client, person, outsider, other_municipality):
    from tests.factories import ProjectFactory

    own_project = ProjectFactory(municipality=other_municipality)
    client.force_login(outsider)
    url = reverse("person_export", args=[own_project.pk, person.pk])
    assert client.get(url).status_code == 404


def test_retention_anonymises_only_persons_of_long_closed_projects(person, settings, project):
    settings.PERSON_RETENTION_DAYS = 365
    assert list(persons_past_retention()) == []
    project.closed_on = timezone.localdate() - datetime.timedelta(days=100)
    project.save()
    assert list(persons_past_retention()) == []
    project.closed_on = timezone.localdate() - datetime.timedelta(days=400)
    project.save()
    assert list(persons_past_retention()) == [person]
    call_command("anonymise_expired", stdout=open("/dev/null", "w"))  # noqa: SIM115
    person.refresh_from_db()
    assert person.anonymised_at is not None
    assert list(persons_past_retention()) == []


def test_retention_keeps_a_person_whose_organisation_is_in_an_open_project(
    person, settings, project
):
    settings.PERSON_RETENTION_DAYS = 30
    project.closed_on = timezone.localdate() - datetime.timedelta(days=400)
    project.save()
    ParticipationFactory(
        organisation=person.organisation, project__municipality=project.municipality
    )
    assert list(persons_past_retention()) == []


def test_anonymising_twice_changes_nothing_more(person):
    first = anonymise_person(person=person)
    again = anonymise_person(person=Person.objects.get(pk=person.pk))
    assert first.anonymised_at == again.anonymised_at


def test_privacy_statement_is_public_and_dutch(client, db):
    page = client.get(reverse("privacy_statement"))
    assert page.status_code == 200
    assert "Privacyverklaring" in page.text


def test_anonymising_a_signer_keeps_the_declaration_verifiable(client, project, leader):
    from partners.models import Signature
    from tests.declaration_support import invited

    invitation, token = invited(project, leader=leader, name="Café De Gouden Leeuw")
    signer = invitation.person
    partner = Client()
    partner.get(reverse("signing_start", args=[token]))
    response = partner.post(
        reverse("signing_page"),
        {
            "action": "sign",
            "signer_name": signer.name,
            "signer_function": "eigenaar",
            "consent": "on",
            "text_sha256": invitation.declaration.text_sha256,
        },
        REMOTE_ADDR="192.0.2.9",
    )
    assert response.status_code == 302
    declaration = invitation.declaration
    code, text_hash = declaration.verification_code, declaration.text_sha256

    anonymise_person(person=signer)

    signature = Signature.objects.get(invitation=invitation)
    assert signature.signer_name != signer.name
    assert signature.ip_address is None
    assert signature.text_sha256 == text_hash
    assert signature.organisation_name == "Café De Gouden Leeuw"
    page = Client().get(reverse("verification_detail", args=[code]))
    assert page.status_code == 200
    text = page.content.decode()
    assert text_hash in text
    assert "Café De Gouden Leeuw" in text
    assert signer.name not in text


def test_the_partner_page_links_to_each_persons_privacy_page(client, person, leader, viewer):
    """The privacy page was reachable only by typing its address."""
    participation = person.organisation.participations.get()
    project = participation.project
    url = reverse("person_privacy", args=[project.pk, person.pk])
    page = reverse("participation_detail", args=[project.pk, participation.pk])
    client.force_login(leader)
    assert f'href="{url}"' in client.get(page).text
    client.force_login(viewer)
    assert f'href="{url}"' not in client.get(page).text
