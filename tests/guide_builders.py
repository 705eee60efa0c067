"""Builders for the phase-guide tests: the project data that makes each guide step true."""

import datetime

from django.utils import timezone

from kvu.models import GuideStepRecord
from meetings.models import Attendance, Attendee, Meeting, MeetingKind, MeetingStatus
from partners.models import (
    Declaration,
    Invitation,
    OrganisationKind,
    Signature,
    Stage,
    WorkingGroupMember,
    sha256_hex,
)
from tests.factories import AgreementFactory, ParticipationFactory, PersonFactory

K = OrganisationKind


def partner(project, kind, stage=Stage.INTERESTED, *, interests="", role=None, name=None):
    extra = {"role": role} if role else {}
    if name:
        extra["organisation__name"] = name
    participation = ParticipationFactory(
        project=project, organisation__kind=kind, stage=stage, interests=interests, **extra
    )
    PersonFactory(organisation=participation.organisation, name=f"Vertegenwoordiger {kind}")
    return participation


def person_of(participation):
    return participation.organisation.persons.first()


def meeting(project, kind, *, status=MeetingStatus.HELD, present=(), users=(), absent=()):
    m = Meeting.objects.create(
        project=project,
        title=str(MeetingKind(kind).label)[:60],
        kind=kind,
        date=timezone.localdate() - datetime.timedelta(days=7),
        start_time=datetime.time(10, 0),
        end_time=datetime.time(11, 0),
        status=status,
    )
    for person in present:
        Attendee.objects.create(meeting=m, person=person, attendance=Attendance.PRESENT)
    for person in absent:
        Attendee.objects.create(meeting=m, person=person, attendance=Attendance.ABSENT)
    for user in users:
        Attendee.objects.create(meeting=m, user=user, attendance=Attendance.PRESENT)
    return m


def declaration(
    project, *, vision="Samen zorgen we voor een veilig uitgaansgebied.", frozen=True, version=1
):
    d = Declaration.objects.create(
        project=project,
        version=version,
        title="Intentieverklaring KVU",
        parties="Gemeente\nPolitie",
        goal="Een veilig uitgaansgebied.",
        vision=vision,
        contributions="Tijd en menskracht.",
        duration="Twee jaar.",
    )
    if frozen:
        d.frozen_text = d.canonical_text()
        d.text_sha256 = sha256_hex(d.frozen_text)
        d.frozen_at = timezone.now()
        d.save()
    return d


def answer(declaration_obj, participation, decision="signed"):
    person = person_of(participation)
    invitation = Invitation.objects.create(
        declaration=declaration_obj,
        participation=participation,
        person=person,
        email=person.email,
        status=decision,
        sent_at=timezone.now(),
    )
    return Signature.objects.create(
        invitation=invitation,
        declaration=declaration_obj,
        participation=participation,
        decision=decision,
        signer_name=person.name,
        signer_function="voorzitter" if decision == "signed" else "",
        organisation_name=participation.organisation.name,
        decline_reason="" if decision == "signed" else "Nog te vroeg.",
        text_sha256=declaration_obj.text_sha256 or "0" * 64,
    )


def core_partners(project, stage=Stage.SIGNED, interests="Minder overlast."):
    return {
        kind: partner(project, kind, stage, interests=interests)
        for kind in (K.MUNICIPALITY, K.POLICE, K.HOSPITALITY, K.KHN)
    }


def complete_project(project, leader):
    """Every step of the guide done: the project may pass the gate without a decision."""
    GuideStepRecord.objects.create(
        project=project, step="knowledge", ticked=True, note="CCV-training gevolgd."
    )
    core = core_partners(project)
    meeting(project, MeetingKind.INTRO_TALK, present=[person_of(core[K.POLICE])], users=[leader])
    partner(project, K.HOSPITALITY_ASSOCIATION, Stage.COMMITTED)
    AgreementFactory(project=project, about_double_role=True)
    d = declaration(project)
    for participation in core.values():
        answer(d, participation)
    for kind in (K.MUNICIPALITY, K.POLICE, K.HOSPITALITY):
        WorkingGroupMember.objects.create(participation=core[kind])
    return core
