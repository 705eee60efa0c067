"""The guide and gate per CCV step: each project shows its current step's guide, earlier steps
stay readable, and a gate leads from every step that has a guide to the next one."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kvu import guide
from kvu.guide_services import GateRefused, pass_gate
from kvu.models import CcvStep, GateDecision
from tests.factories import ProjectFactory


def _in_step(project, number):
    project.ccv_step = number
    project.save(update_fields=["ccv_step"])
    return project


def test_each_step_has_its_own_checklist_with_unique_keys():
    assert guide.guided_steps()[:2] == [CcvStep.INITIATIVE, CcvStep.SAFETY_ANALYSIS]
    preparatory = {s.key for s in guide.steps()}
    analysis = {s.key for s in guide.steps(CcvStep.SAFETY_ANALYSIS)}
    assert "knowledge" in preparatory
    assert analysis
    assert not preparatory & analysis
    assert len(guide.steps_by_key()) == len(guide.all_steps())


def test_a_project_shows_the_guide_of_its_current_step(project):
    assert guide.evaluate([project])[project.pk].ccv_step == CcvStep.INITIATIVE
    _in_step(project, CcvStep.SAFETY_ANALYSIS)
    state = guide.evaluate([project])[project.pk]
    assert state.ccv_step == CcvStep.SAFETY_ANALYSIS
    assert {s.step.key for s in state.steps} == {s.key for s in guide.steps(3)}


def test_a_step_without_a_guide_shows_the_nearest_earlier_one(project):
    later = max(guide.guided_steps()) + 1
    if later > CcvStep.EVALUATION:
        pytest.skip("every step has a guide")
    _in_step(project, later)
    assert guide.shown_step(project) == max(guide.guided_steps())
    assert not guide.has_gate(later)


def test_projects_in_different_steps_are_read_with_a_bounded_number_of_queries(municipality):
    def count(n):
        projects = [ProjectFactory(municipality=municipality) for _ in range(n)]
        for project in projects[: n // 2]:
            _in_step(project, CcvStep.SAFETY_ANALYSIS)
        with CaptureQueriesContext(connection) as queries:
            states = guide.evaluate(projects)
        assert {states[p.pk].ccv_step for p in projects} == {2, 3}
        return len(queries)

    assert count(2) == count(20)


def test_the_gate_to_step_4_refuses_open_steps_and_records_a_decision(project, leader):
    _in_step(project, CcvStep.SAFETY_ANALYSIS)
    with pytest.raises(GateRefused):
        pass_gate(project=project, user=leader)
    open_keys = [s.step.key for s in guide.evaluate([project])[project.pk].required_open]
    assert open_keys
    decision = pass_gate(
        project=project, user=leader, reason="De raad wil het plan snel.", acknowledged=open_keys
    )
    project.refresh_from_db()
    assert project.ccv_step == CcvStep.PLAN
    assert (decision.from_step, decision.to_step) == (CcvStep.SAFETY_ANALYSIS, CcvStep.PLAN)
    assert len(decision.missing_lines()) == len(open_keys)


def test_a_step_without_a_guide_has_no_gate(project, leader):
    later = max(guide.guided_steps()) + 1
    if later > CcvStep.EVALUATION:
        pytest.skip("every step has a guide")
    _in_step(project, later)
    with pytest.raises(GateRefused):
        pass_gate(project=project, user=leader, reason="x", acknowledged=[])
    project.refresh_from_db()
    assert project.ccv_step == later


def test_gate_page_of_a_project_in_step_3_names_step_3s_open_steps(client_for, project, leader):
    _in_step(project, CcvStep.SAFETY_ANALYSIS)
    response = client_for(leader).get(reverse("gate", args=[project.pk]))
    assert response.status_code == 200
    assert "Fasepoort: van veiligheidsanalyse naar plan van aanpak" in response.content.decode()
    offered = {key for key, _title in response.context["form"].fields["acknowledged"].choices}
    step_3 = {s.key for s in guide.steps(CcvStep.SAFETY_ANALYSIS) if s.required}
    assert offered
    assert offered <= step_3


def test_guide_page_shows_an_earlier_step_on_request(client_for, project, leader):
    _in_step(project, CcvStep.SAFETY_ANALYSIS)
    client = client_for(leader)
    url = reverse("guide", args=[project.pk])
    assert client.get(url).context["state"].ccv_step == CcvStep.SAFETY_ANALYSIS
    assert client.get(url + "?stap=2").context["state"].ccv_step == CcvStep.INITIATIVE
    for nonsense in ("9", "x", "-1", ""):
        response = client.get(url, {"stap": nonsense})
        assert response.status_code == 200
        assert response.context["state"].ccv_step == CcvStep.SAFETY_ANALYSIS


def test_overriding_a_step_3_step_returns_to_the_step_3_guide(client_for, project, leader):
    _in_step(project, CcvStep.SAFETY_ANALYSIS)
    key = guide.steps(CcvStep.SAFETY_ANALYSIS)[0].key
    response = client_for(leader).post(
        reverse("guide_step", args=[project.pk, key]),
        {"action": "override", "override": "done", "reason": "Al in het vorige plan gedaan."},
    )
    assert response.status_code == 302
    assert "?stap=3" in response["Location"]
    assert guide.evaluate([project])[project.pk].steps[0].done
    assert not GateDecision.objects.exists()
