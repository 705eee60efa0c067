"""Registers the partners app's models with the audit trail (kvu.audit)."""

from kvu.audit import track
from partners.models import (
    Agreement,
    Concern,
    ContactMoment,
    Declaration,
    Invitation,
    Organisation,
    Participation,
    Person,
    Signature,
    WorkingGroupMember,
)

# StageChange and InvitationEvent are histories of their own; SigningToken holds only a hash.
track(Organisation, municipality="municipality_id")
track(Person, municipality="organisation.municipality_id")
track(Participation, municipality="project.municipality_id")
track(Agreement, municipality="project.municipality_id", m2m_fields=["participations"])
track(Concern, municipality="participation.project.municipality_id")
track(
    ContactMoment,
    municipality="participation.project.municipality_id",
    m2m_fields=["persons"],
)
track(Declaration, municipality="project.municipality_id")
track(Invitation, municipality="declaration.project.municipality_id")
track(Signature, municipality="declaration.project.municipality_id")
track(WorkingGroupMember, municipality="participation.project.municipality_id")
