"""Writes of the outreach part of the partners app; each one a single transaction."""

import datetime

from django.db import transaction

from kvu.documents import delete_documents_of
from kvu.models import Project
from partners.models import (
    Agreement,
    Concern,
    ContactMoment,
    Organisation,
    Participation,
    Stage,
    StageChange,
    default_role_for,
)


@transaction.atomic
def add_participation(
    *,
    project: Project,
    organisation: Organisation,
    user,
    role: str = "",
    stage: str = Stage.NOT_APPROACHED,
) -> Participation:
    """Put an organisation of the project's municipality on the project's partner list."""
    if organisation.municipality_id != project.municipality_id:
        raise ValueError("organisation of another municipality")
    participation = Participation.objects.create(
        project=project,
        organisation=organisation,
        role=role or default_role_for(organisation.kind),
        stage=stage,
    )
    # The first entry of the history says who put the partner on the list, and in which stage.
    StageChange.objects.create(
        participation=participation, from_stage="", to_stage=stage, changed_by=user
    )
    return participation


@transaction.atomic
def create_organisation_with_participation(
    *, project: Project, organisation: Organisation, user, role: str = "", stage: str
) -> Participation:
    """Save a new (unsaved) organisation in the project's municipality and add it to the project."""
    organisation.municipality = project.municipality
    organisation.save()
    return add_participation(
        project=project, organisation=organisation, user=user, role=role, stage=stage
    )


@transaction.atomic
def move_stage(*, participation: Participation, to_stage: str, user, note: str = "") -> bool:
    """Move a participation to another outreach stage and record who did it; False if unchanged."""
    # Lock the row so that two people moving the same card at once both land in the history.
    current = Participation.objects.select_for_update().get(pk=participation.pk)
    if current.stage == to_stage:
        return False
    StageChange.objects.create(
        participation=current,
        from_stage=current.stage,
        to_stage=to_stage,
        changed_by=user,
        note=note,
    )
    current.stage = to_stage
    current.save(update_fields=["stage", "updated_at"])
    participation.stage = to_stage
    return True


@transaction.atomic
def log_contact(
    *,
    participation: Participation,
    user,
    occurred_at: datetime.datetime,
    channel: str,
    direction: str,
    summary: str,
    outcome: str = "",
    follow_up_on: datetime.date | None = None,
    persons=(),
) -> ContactMoment:
    """Add a contact moment to the log, with the persons spoken to."""
    allowed = set(participation.organisation.persons.values_list("pk", flat=True))
    if any(person.pk not in allowed for person in persons):
        raise ValueError("person of another organisation")
    moment = ContactMoment.objects.create(
        participation=participation,
        recorded_by=user,
        occurred_at=occurred_at,
        channel=channel,
        direction=direction,
        summary=summary,
        outcome=outcome,
        follow_up_on=follow_up_on,
    )
    moment.persons.set(persons)
    return moment


def mark_follow_up_done(*, contact_moment: ContactMoment) -> None:
    contact_moment.follow_up_done = True
    contact_moment.save(update_fields=["follow_up_done", "updated_at"])


@transaction.atomic
def record_agreement(
    *,
    participation: Participation,
    user,
    date: datetime.date,
    text: str,
    about_double_role: bool = False,
) -> Agreement:
    agreement = Agreement.objects.create(
        project=participation.project,
        date=date,
        text=text,
        about_double_role=about_double_role,
        recorded_by=user,
    )
    agreement.participations.add(participation)
    return agreement


def delete_contact_moment(*, contact_moment: ContactMoment) -> None:
    """Remove a contact logged by mistake, with its documents; the change log keeps both."""
    with transaction.atomic():
        delete_documents_of(contact_moment)
        contact_moment.delete()


def delete_agreement(*, agreement: Agreement) -> None:
    """Remove an agreement recorded by mistake, from every partner and meeting it was tied to.

    A concern it settled loses the link through save(), so the change log shows it (the
    database's SET NULL would not), and stays as resolved.
    """
    with transaction.atomic():
        for concern in Concern.objects.filter(agreement=agreement):
            concern.agreement = None
            concern.save(update_fields=["agreement", "updated_at"])
        agreement.delete()


def set_organisation_active(*, organisation: Organisation, active: bool) -> None:
    organisation.is_active = active
    organisation.save(update_fields=["is_active", "updated_at"])
