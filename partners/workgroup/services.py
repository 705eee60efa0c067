"""Writes of the working group: choosing its members from the signatories."""

from django.db import transaction

from kvu.models import Project
from partners.models import (
    Decision,
    Declaration,
    DocumentKind,
    Participation,
    WorkingGroupMember,
)


def signatories(project):
    """Participations that signed the newest version of the declaration that was sent out."""
    declaration = Declaration.objects.declarations().filter(project=project).newest_sent().first()
    if declaration is None:
        return Participation.objects.none()
    return (
        Participation.objects.filter(
            project=project,
            signatures__declaration=declaration,
            signatures__decision=Decision.SIGNED,
        )
        .select_related("organisation")
        .order_by("organisation__name")
    )


@transaction.atomic
def set_working_group(*, project, participations, user) -> None:
    """Make exactly `participations` (signatories of this project) the working group.

    The project row is locked first, so concurrent saves take turns: each one then sees the
    members the previous one stored, and none inserts a member twice.
    """
    Project.objects.select_for_update().get(pk=project.pk)
    allowed = {p.pk: p for p in signatories(project)}
    chosen = [p for p in participations if p.pk in allowed]
    if len(chosen) != len(list(participations)):
        raise ValueError("only signatories of this project can join the working group")
    keep = {p.pk for p in chosen}
    WorkingGroupMember.objects.filter(participation__project=project).exclude(
        participation_id__in=keep
    ).delete()
    existing = set(
        WorkingGroupMember.objects.filter(participation__project=project).values_list(
            "participation_id", flat=True
        )
    )
    signers = {
        p.pk: p.signatures.filter(
            decision=Decision.SIGNED, declaration__kind=DocumentKind.DECLARATION
        )
        .select_related("invitation")
        .order_by("-answered_at")
        .first()
        for p in chosen
        if p.pk not in existing
    }
    for p in chosen:
        if p.pk not in existing:
            # The main contact by default (the leader may choose another contact person);
            # without one, the person who signed for the organisation.
            signer = signers[p.pk].invitation.person_id if signers[p.pk] else None
            WorkingGroupMember.objects.create(
                participation=p, person_id=p.main_contact_id or signer, added_by=user
            )
