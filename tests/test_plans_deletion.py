"""Deleting what the plan and the covenant hang off: a project with an adopted plan, measures and
commitments can be deleted (the administrator's delete) and all of it goes with it; signatures
are evidence and keep their project, as the declaration's always did; the adoption's decision
stays while its version exists."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from partners.declaration import services as engine
from partners.models import Agreement, Departure, DocumentKind, Signature
from plans.covenant import services as covenant_services
from plans.models import Commitment, Measure, Plan, PlanVersion
from plans.plan import services
from plans.services import start_plan
from tests.factories import KnelpuntFactory, PersonFactory
from tests.test_plans_plan import add_measure, held_meeting


@pytest.fixture
def adopted(analysis, leader):
    plan = start_plan(project=analysis.project, user=leader)
    measure = add_measure(plan)
    covenant_services.add_commitment(
        plan=plan, participation=measure.responsible, text="Twee portiers op vrijdag."
    )
    version = services.adopt_plan(plan=plan, meeting=held_meeting(plan.project), user=leader)
    today = timezone.localdate()
    covenant = engine.create_document(
        project=plan.project,
        kind=DocumentKind.COVENANT,
        user=leader,
        texts={"title": "Convenant", "parties": "- Gemeente", "goal": "Veilig."},
        valid_from=today - datetime.timedelta(days=10),
        valid_until=today + datetime.timedelta(days=1000),
    )
    person = PersonFactory(organisation=measure.responsible.organisation)
    invitation = engine.invite(
        declaration=covenant, participation=measure.responsible, person=person, user=leader
    )
    covenant.refresh_from_db()
    engine.answer_invitation(
        invitation_id=invitation.pk,
        decision="signed",
        signer_name="Eva Smit",
        signer_function="eigenaar",
        text_sha256=covenant.text_sha256,
        ip=None,
        user_agent="pytest",
    )
    engine.record_departure(
        document=covenant, participation=measure.responsible, left_on=today, reason="", user=leader
    )
    return plan, version


def test_a_project_with_an_adopted_plan_can_be_deleted(analysis, leader):
    plan = start_plan(project=analysis.project, user=leader)
    measure = add_measure(plan, KnelpuntFactory(analysis=analysis, theme="safety"))
    covenant_services.add_commitment(
        plan=plan, participation=measure.responsible, text="Twee portiers op vrijdag."
    )
    services.adopt_plan(plan=plan, meeting=held_meeting(plan.project), user=leader)
    plan.project.delete()
    for model in (Plan, PlanVersion, Measure, Commitment, Agreement):
        assert not model.objects.exists(), model


def test_signatures_of_the_covenant_keep_their_project(adopted):
    plan, _version = adopted
    with pytest.raises(ProtectedError):
        plan.project.delete()
    assert Signature.objects.filter(declaration__kind="covenant").exists()
    assert Departure.objects.exists()


def test_the_decision_of_an_adopted_version_is_not_deleted(adopted, client_for, leader):
    plan, version = adopted
    decision = version.decision
    client = client_for(leader)
    url = reverse("agreement_delete", args=[plan.project_id, decision.pk])
    response = client.post(url)
    assert response.status_code == 302
    assert Agreement.objects.filter(pk=decision.pk).exists()
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("plan van aanpak" in m for m in messages), messages
