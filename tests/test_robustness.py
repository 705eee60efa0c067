"""Faults and races: concurrent "one only" rules give one row; a failed write leaves nothing."""

import pytest
from django.db import DatabaseError, IntegrityError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kvu.models import Membership
from partners import services
from partners.models import ContactMoment, Participation, Stage, StageChange
from tests.concurrency import needs_postgres, race
from tests.factories import OrganisationFactory, ParticipationFactory, PersonFactory, UserFactory


@needs_postgres
def test_concurrent_memberships_for_one_user_give_one_row(transactional_db, municipality):
    user = UserFactory()

    def work(i):
        try:
            Membership.objects.create(user=user, municipality=municipality, role="viewer")
            return "created"
        except IntegrityError:
            return "refused"

    results = race(10, work)
    assert results.count("created") == 1
    assert results.count("refused") == 9
    assert Membership.objects.filter(user=user, municipality=municipality).count() == 1


@needs_postgres
def test_concurrent_adds_of_one_partner_give_one_participation(transactional_db, project, leader):
    organisation = OrganisationFactory(municipality=project.municipality)
    url = reverse("participation_add", args=[project.pk])

    def work(i):
        client = Client()
        client.force_login(leader)
        return client.post(
            url,
            {
                "which": "existing",
                "existing-organisation": organisation.pk,
                "existing-role": "core",
                "existing-stage": Stage.APPROACHED,
            },
        ).status_code

    statuses = race(10, work)
    assert all(isinstance(status, int) and status < 500 for status in statuses), statuses
    assert Participation.objects.filter(project=project, organisation=organisation).count() == 1


def test_failed_history_write_leaves_the_stage_unchanged(project, leader, monkeypatch):
    participation = ParticipationFactory(project=project)

    def broken(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(StageChange.objects, "create", broken)
    with pytest.raises(DatabaseError):
        services.move_stage(participation=participation, to_stage=Stage.INTERESTED, user=leader)
    participation.refresh_from_db()
    assert participation.stage == Stage.NOT_APPROACHED
    assert not StageChange.objects.exists()


def test_failed_persons_write_leaves_no_contact_moment(project, leader, monkeypatch):
    participation = ParticipationFactory(project=project)
    person = PersonFactory(organisation=participation.organisation)

    def broken(self, *args, **kwargs):
        raise DatabaseError("connection lost")

    monkeypatch.setattr(ContactMoment.persons.related_manager_cls, "set", broken)
    with pytest.raises(DatabaseError):
        services.log_contact(
            participation=participation,
            user=leader,
            occurred_at=timezone.now(),
            channel="phone",
            direction="outgoing",
            summary="Gebeld",
            persons=[person],
        )
    assert not ContactMoment.objects.exists()


def test_a_failing_view_rolls_back_everything_it_wrote(client, project, leader, monkeypatch):
    """ATOMIC_REQUESTS: a server error half-way through a request keeps nothing of it."""
    participation = ParticipationFactory(project=project)
    client.force_login(leader)
    client.raise_request_exception = False

    def broken(*args, **kwargs):
        raise RuntimeError("mail server down")

    original = services.move_stage

    def move_then_fail(**kwargs):
        original(**kwargs)
        broken()

    monkeypatch.setattr(services, "move_stage", move_then_fail)
    response = client.post(
        reverse("participation_stage", args=[project.pk, participation.pk]),
        {"stage": Stage.INTERESTED},
    )
    assert response.status_code == 500
    participation.refresh_from_db()
    assert participation.stage == Stage.NOT_APPROACHED
    assert not StageChange.objects.exists()
