"""Registers the partners app's models as project data with kvu.derived (cached figures)."""

from kvu.derived import track
from partners.models import (
    Agreement,
    ContactMoment,
    Declaration,
    Invitation,
    InvitationEvent,
    Organisation,
    Participation,
    Person,
    Signature,
    StageChange,
    WorkingGroupMember,
)

# An organisation and its persons are shared by every project they take part in.
track(Organisation, key="pk", lookup="participations__organisation")
track(Person, key="organisation_id", lookup="participations__organisation")
track(Participation, key="project_id")
track(StageChange, key="participation_id", lookup="participations")
track(Agreement, key="project_id", m2m_fields=["participations"])
track(ContactMoment, key="project_id", m2m_fields=["persons"])
track(WorkingGroupMember, key="participation_id", lookup="participations")
track(Declaration, key="project_id")
track(Invitation, key="declaration_id", lookup="declarations")
track(InvitationEvent, key="invitation_id", lookup="declarations__invitations")
track(Signature, key="declaration_id", lookup="declarations")
