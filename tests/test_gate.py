"""The phase gate: from initiative to safety analysis only when the guide allows or by decision."""

import pytest
from django.urls import reverse

from kvu.guide_services import GateRefused, pass_gate
from kvu.models import CcvStep, GateDecision
from tests.guide_builders import complete_project


def test_gate_refuses_while_a_required_step_is_open(project, leader):
    with pytest.raises(GateRefused):
        pass_gate(project=project, user=leader)
    project.refresh_from_db()
    assert project.ccv_step == CcvStep.INITIATIVE
    assert not GateDecision.objects.exists()


def test_gate_refuses_a_decision_that_does_not_name_every_open_step(project, leader):
    with pytest.raises(GateRefused):
        pass_gate(project=project, user=leader, reason="Haast.", acknowledged=["intro_talk"])
    project.refresh_from_db()
    assert project.ccv_step == CcvStep.INITIATIVE


def test_gate_refuses_a_decision_without_reason(project, leader):
    from kvu import guide

    open_keys = [s.step.key for s in guide.evaluate([project])[project.pk].required_open]
    with pytest.raises(GateRefused):
        pass_gate(project=project, user=leader, reason="  ", acknowledged=open_keys)


def test_gate_passes_through_a_recorded_decision_naming_what_is_missing(project, leader):
    from kvu import guide

    open_keys = [s.step.key for s in guide.evaluate([project])[project.pk].required_open]
    decision = pass_gate(
        project=project, user=leader, reason="De raad wil snel starten.", acknowledged=open_keys
    )
    project.refresh_from_db()
    assert project.ccv_step == CcvStep.SAFETY_ANALYSIS
    assert decision.decided_by == leader
    assert len(decision.missing_lines()) == len(open_keys)


def test_gate_passes_without_decision_when_every_required_step_is_done(project, leader):
    complete_project(project, leader)
    assert pass_gate(project=project, user=leader) is None
    project.refresh_from_db()
    assert project.ccv_step == CcvStep.SAFETY_ANALYSIS
    assert not GateDecision.objects.exists()


def test_gate_page_refuses_a_post_without_the_decision(client_for, project, leader):
    client = client_for(leader)
    response = client.post(reverse("gate", args=[project.pk]), {"reason": "Gewoon doen."})
    assert response.status_code == 200
    assert "is-invalid" in response.text or "invalid-feedback" in response.text
    project.refresh_from_db()
    assert project.ccv_step == CcvStep.INITIATIVE


def test_gate_page_records_the_decision(client_for, project, leader):
    from kvu import guide

    open_keys = [s.step.key for s in guide.evaluate([project])[project.pk].required_open]
    client = client_for(leader)
    response = client.post(
        reverse("gate", args=[project.pk]),
        {"acknowledged": open_keys, "reason": "Besluit van de burgemeester."},
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.ccv_step == CcvStep.SAFETY_ANALYSIS
    assert GateDecision.objects.get().reason == "Besluit van de burgemeester."
    # The project now shows step 3's guide; the preparatory phase's keeps the decision.
    page = client.get(reverse("guide", args=[project.pk]) + "?stap=2").text
    assert "Besluit van de burgemeester." in page


def test_project_edit_form_cannot_bypass_the_gate(client_for, project, leader):
    client = client_for(leader)
    response = client.post(
        reverse("project_edit", args=[project.pk]),
        {
            "municipality": project.municipality_id,
            "name": project.name,
            "nightlife_area": project.nightlife_area,
            "ccv_step": CcvStep.PLAN,
            "project_leader": leader.pk,
        },
    )
    assert response.status_code == 200
    project.refresh_from_db()
    assert project.ccv_step == CcvStep.INITIATIVE


def _edit_step(client, project, leader, step):
    return client.post(
        reverse("project_edit", args=[project.pk]),
        {
            "municipality": project.municipality_id,
            "name": project.name,
            "nightlife_area": project.nightlife_area,
            "ccv_step": step,
            "project_leader": leader.pk,
        },
    )


def test_project_edit_form_cannot_bypass_the_gate_of_step_3(client_for, project, leader):
    project.ccv_step = CcvStep.SAFETY_ANALYSIS
    project.save()
    response = _edit_step(client_for(leader), project, leader, CcvStep.PLAN)
    assert response.status_code == 200
    assert "ccv_step" in response.context["form"].errors
    project.refresh_from_db()
    assert project.ccv_step == CcvStep.SAFETY_ANALYSIS


def test_project_in_a_step_without_a_guide_keeps_its_later_steps_in_the_edit_form(
    client_for, project, leader
):
    from kvu import guide

    without_guide = max(guide.guided_steps()) + 1
    if without_guide >= CcvStep.EVALUATION:
        pytest.skip("every step up to the last has a guide and a gate")
    project.ccv_step = without_guide
    project.save()
    response = _edit_step(client_for(leader), project, leader, without_guide + 1)
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.ccv_step == without_guide + 1


def test_step_bar_shows_the_gate(client_for, project, leader):
    page = client_for(leader).get(project.get_absolute_url()).text
    assert "step-gate" in page
