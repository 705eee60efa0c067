"""Registers the partners app's models with the audit trail (kvu.audit)."""

from kvu.audit import track
from partners.models import (
    Agreement,
    Concern,
    ContactMoment,
    Declaration,
    Departure,
    InboundMessage,
    Invitation,
    LoggingAddress,
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
track(Departure, municipality="document.project.municipality_id")
track(WorkingGroupMember, municipality="participation.project.municipality_id")
# The inbox (issue 18). The secret is logged: whoever reads the change log sees the address on
# the contact log anyway, and a replacement must show. The text of a mail stays out of it.
# Neither the secret of an address nor what a received e-mail says goes into the change log:
# the log outlives a replaced address, a recorded or discarded message and an anonymisation.
track(LoggingAddress, municipality="project.municipality_id", exclude_fields=["secret"])
track(
    InboundMessage,
    municipality="project.municipality_id",
    exclude_fields=["body", "subject", "sender", "addresses", "notes"],
)
