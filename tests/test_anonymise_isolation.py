"""Anonymising a person changes that person's rows and the texts the leader chose, nothing else.

Regression: the former anonymisation replaced the person's name as a substring in every text
column of every municipality, so a contact person called "Binnenstad" renamed Enschede's project
and broke its frozen declaration's SHA-256, and "Bart" turned "Bartholomeus" into
"[geanonimiseerd]holomeus".
"""

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from kvu.models import Membership, Project
from partners.models import ContactMoment, Declaration, Organisation, Person, Signature
from partners.models import sha256_hex as declaration_sha256
from tests.factories import PersonFactory


def _snapshot() -> dict:
    """Every row of every table, keyed by model and primary key."""
    rows = {}
    for model in apps.get_models():
        for values in model._base_manager.order_by("pk").values():
            rows[(model._meta.label, values["id"] if "id" in values else str(values))] = values
    return rows


def _changed(before: dict, after: dict) -> set:
    return {key for key, values in before.items() if after.get(key) != values}


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("demo")
    return Project.objects.get(name="KVU Centrum Apeldoorn")


def _leader_of(project):
    return (
        Membership.objects.filter(municipality=project.municipality, role=Membership.Role.LEADER)
        .first()
        .user
    )


def test_anonymising_common_word_names_changes_no_other_person_or_municipality(demo, client):
    apeldoorn = demo
    enschede = Project.objects.get(name="KVU Binnenstad Enschede")
    assert Signature.objects.filter(declaration__project=enschede).exists()
    organisation = Organisation.objects.filter(
        municipality=apeldoorn.municipality, participations__project=apeldoorn
    ).first()
    organisation.notes = "Bartholomeus belt terug over de Binnenstad-route."
    organisation.save()
    binnenstad = PersonFactory(organisation=organisation, name="Binnenstad", email="", phone="")
    bart = PersonFactory(organisation=organisation, name="Bart", email="bart@example.nl", phone="")
    participation = organisation.participations.get(project=apeldoorn)
    moment = ContactMoment.objects.create(
        participation=participation,
        occurred_at=timezone.now(),
        channel="phone",
        summary="Gesproken met Bart over de sluitingstijden; Bartholomeus was er niet.",
    )
    moment.persons.add(bart)

    client.force_login(_leader_of(apeldoorn))
    before = _snapshot()
    entries_before = set(LogEntry.objects.values_list("pk", flat=True))

    # "Binnenstad" is an ordinary word here: the leader ticks none of the listed texts.
    url = reverse("person_anonymise", args=[apeldoorn.pk, binnenstad.pk])
    assert client.post(url, {"confirm": "yes"}).status_code == 302
    # For Bart the leader ticks every listed text, which is only the contact moment.
    page = client.get(reverse("person_privacy", args=[apeldoorn.pk, bart.pk]))
    keys = [mention.key for mention in page.context["mentions"]]
    assert keys == [f"partners.contactmoment:{moment.pk}:summary"]
    url = reverse("person_anonymise", args=[apeldoorn.pk, bart.pk])
    assert client.post(url, {"confirm": "yes", "redact": keys}).status_code == 302

    after = _snapshot()
    changed = _changed(before, after)
    touched_objects = {
        (Person, binnenstad.pk),
        (Person, bart.pk),
        (ContactMoment, moment.pk),
    }
    # Exactly the two persons, the chosen text, and the change-log entries of those rows.
    expected_rows = {(model._meta.label, pk) for model, pk in touched_objects}
    log_label = LogEntry._meta.label
    assert {key for key in changed if key[0] != log_label} == expected_rows
    for key in changed:
        if key[0] == log_label:
            entry = after[key]
            assert (entry["content_type_id"], entry["object_pk"]) in {
                (_content_type_id(model), str(pk)) for model, pk in touched_objects
            }
    # New log entries record the anonymisation of those rows and nothing else.
    for entry in LogEntry.objects.exclude(pk__in=entries_before):
        assert (entry.content_type_id, entry.object_pk) in {
            (_content_type_id(model), str(pk)) for model, pk in touched_objects
        }

    organisation.refresh_from_db()
    assert organisation.notes == "Bartholomeus belt terug over de Binnenstad-route."
    moment.refresh_from_db()
    assert moment.summary == (
        "Gesproken met [geanonimiseerd] over de sluitingstijden; Bartholomeus was er niet."
    )
    assert Project.objects.get(pk=enschede.pk).name == "KVU Binnenstad Enschede"
    for declaration in Declaration.objects.exclude(frozen_at=None):
        assert declaration_sha256(declaration.frozen_text) == declaration.text_sha256
        assert declaration_sha256(declaration.canonical_text()) == declaration.text_sha256
    for signature in Signature.objects.select_related("declaration"):
        assert signature.text_sha256 == signature.declaration.text_sha256


def _content_type_id(model):
    return ContentType.objects.get_for_model(model).pk


def test_anonymising_a_demo_signatory_keeps_every_declaration_verifying(demo, client):
    enschede = Project.objects.get(name="KVU Binnenstad Enschede")
    signature = Signature.objects.filter(declaration__project=enschede, decision="signed").first()
    signer = signature.invitation.person
    client.force_login(_leader_of(enschede))
    before = _snapshot()
    url = reverse("person_anonymise", args=[enschede.pk, signer.pk])
    assert client.post(url, {"confirm": "yes"}).status_code == 302
    changed = {key for key in _changed(before, _snapshot()) if key[0] != LogEntry._meta.label}
    invitations = signer.invitations.values_list("pk", flat=True)
    events = apps.get_model("partners", "InvitationEvent").objects.filter(
        invitation__in=invitations
    )
    allowed = (
        {(Person._meta.label, signer.pk)}
        | {("partners.Invitation", pk) for pk in invitations}
        | {
            ("partners.Signature", pk)
            for pk in signer.invitations.values_list("signature", flat=True)
        }
        | {("partners.InvitationEvent", pk) for pk in events.values_list("pk", flat=True)}
    )
    assert changed <= allowed
    assert (Person._meta.label, signer.pk) in changed
    signature.refresh_from_db()
    assert signature.signer_name == "[geanonimiseerd]"
    assert signature.text_sha256 == signature.declaration.text_sha256
    declaration = signature.declaration
    assert declaration_sha256(declaration.frozen_text) == declaration.text_sha256
    page = client.get(reverse("verification_detail", args=[declaration.verification_code]))
    assert page.status_code == 200
    assert declaration.text_sha256 in page.text
