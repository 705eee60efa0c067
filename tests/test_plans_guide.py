"""Step 4's guide follows the data: each derived step true, and false for its nearest miss; the
gate 4 -> 5; its evidence reads a fixed number of queries for one project and for ten."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from analysis.services import start_analysis
from kvu import guide
from kvu.guide_services import GateRefused, override_step, pass_gate
from kvu.models import CcvStep
from plans.plan import guide as plan_guide
from plans.plan import services
from plans.services import start_plan
from tests.factories import KnelpuntFactory, ProjectFactory
from tests.test_plans_plan import add_measure, held_meeting


@pytest.fixture
def plan(analysis, leader):
    return start_plan(project=analysis.project, user=leader)


def _done(step, project):
    return getattr(plan_guide, step)([project])[project.pk]


def _texts(plan):
    for name in plan.TEXT_FIELDS:
        setattr(plan, name, f"Tekst over {name}.")
    plan.starts_on, plan.ends_on = datetime.date(2027, 1, 1), datetime.date(2028, 12, 31)
    plan.save()


def _complete(plan, user):
    """A plan with every step of its guide done."""
    _texts(plan)
    knelpunt = KnelpuntFactory(analysis=plan.analysis)
    add_measure(plan, knelpunt)
    services.adopt_plan(plan=plan, meeting=held_meeting(plan.project), user=user)
    services.share_plan(plan=plan, on=timezone.localdate(), with_whom="De raad")


def test_steps_belong_to_ccv_step_4_in_order():
    steps = guide.steps(CcvStep.PLAN)
    assert [s.key for s in steps] == [s.key for s in plan_guide.STEPS]
    assert all(s.key.startswith("plan_") for s in steps)
    assert [s.order for s in steps] == sorted(s.order for s in steps)
    assert steps[0].order == 410
    assert [s.key for s in steps if not s.required] == ["plan_shared"]
    assert guide.has_gate(CcvStep.PLAN)


def test_before_the_plan_started_no_step_is_done(analysis):
    for step in plan_guide.STEPS:
        evidence = step.evidence([analysis.project])[analysis.project_id]
        assert not evidence.done
        assert evidence.url == reverse("plan_detail", args=[analysis.project_id])


def test_texts_done_only_with_every_text_and_both_dates(plan):
    _texts(plan)
    assert _done("texts_filled", plan.project).done
    plan.ends_on = None
    plan.save()
    assert not _done("texts_filled", plan.project).done
    plan.ends_on = datetime.date(2028, 1, 1)
    plan.evaluation = "  "
    plan.save()
    assert not _done("texts_filled", plan.project).done


def test_every_knelpunt_needs_a_measure(plan):
    first = KnelpuntFactory(analysis=plan.analysis, title="Donkere stegen")
    second = KnelpuntFactory(analysis=plan.analysis, title="Wildplassen")
    add_measure(plan, first)
    evidence = _done("knelpunten_covered", plan.project)
    assert not evidence.done
    assert "Wildplassen" in evidence.text
    assert "Donkere stegen" not in evidence.text
    add_measure(plan, second)
    assert _done("knelpunten_covered", plan.project).done


def test_without_knelpunten_the_step_points_to_the_analysis(plan):
    add_measure(plan)
    evidence = _done("knelpunten_covered", plan.project)
    assert not evidence.done
    assert evidence.url == reverse("knelpunt_list", args=[plan.project_id])


@pytest.mark.parametrize("missing", ["target", "target_date"])
def test_a_measure_without_target_or_date_is_not_smart(plan, missing):
    add_measure(plan)
    assert _done("measures_smart", plan.project).done
    add_measure(plan, **{missing: None})
    assert not _done("measures_smart", plan.project).done


def test_costs_are_known_when_zero_or_paid_by_someone(plan):
    add_measure(plan, costs=0, paid_by="")
    add_measure(plan, costs=100, paid_by="KHN")
    assert _done("costs_known", plan.project).done
    add_measure(plan, costs=100, paid_by="")
    assert not _done("costs_known", plan.project).done
    add_measure(plan, costs=None)
    assert "2" in _done("costs_known", plan.project).text


def test_adopted_in_a_held_working_group_meeting(plan, leader):
    add_measure(plan)
    assert not _done("adopted", plan.project).done
    meeting = held_meeting(plan.project)
    services.adopt_plan(plan=plan, meeting=meeting, user=leader)
    evidence = _done("adopted", plan.project)
    assert evidence.done
    assert evidence.url == reverse("plan_version", args=[plan.project_id, 1])
    meeting.status = "cancelled"
    meeting.save()
    assert not _done("adopted", plan.project).done


def test_shared_once_a_date_is_recorded(plan):
    assert not _done("shared", plan.project).done
    services.share_plan(plan=plan, on=timezone.localdate(), with_whom="De burgemeester")
    assert "De burgemeester" in _done("shared", plan.project).text


def test_manual_override_counts(plan, leader):
    override_step(
        project=plan.project,
        step_key="plan_shared",
        user=leader,
        override="done",
        reason="Per brief aan de raad.",
    )
    state = plan_guide.states([plan.project])[plan.project_id]
    shared = next(s for s in state.steps if s.step.key == "plan_shared")
    assert shared.done
    assert shared.overridden


def test_gate_to_the_covenant_opens_when_every_required_step_is_done(plan, leader):
    project = plan.project
    project.ccv_step = CcvStep.PLAN
    project.save()
    with pytest.raises(GateRefused):
        pass_gate(project=project, user=leader)
    _complete(plan, leader)
    assert plan_guide.states([project])[project.pk].gate_open
    assert pass_gate(project=project, user=leader) is None  # no decision needed
    project.refresh_from_db()
    assert project.ccv_step == CcvStep.COVENANT


def test_plan_page_shows_the_checklist(plan, leader, client_for):
    html = client_for(leader).get(reverse("plan_detail", args=[plan.project_id])).content.decode()
    for step in plan_guide.STEPS:
        assert f'id="step-{step.key}"' in html


def _projects_in_step_4(municipality, leader, n):
    projects = []
    for i in range(n):
        project = ProjectFactory(municipality=municipality, ccv_step=CcvStep.PLAN, name=f"P{i}")
        start_analysis(project=project, user=leader)
        _complete(start_plan(project=project, user=leader), leader)
        projects.append(project)
    return projects


def _queries(projects):
    with CaptureQueriesContext(connection) as ctx:
        guide.evaluate(guide.Projects(projects), CcvStep.PLAN)
    return len(ctx.captured_queries)


def test_evidence_reads_the_same_number_of_queries_for_one_and_ten_projects(municipality, leader):
    projects = _projects_in_step_4(municipality, leader, 10)
    one = _queries(projects[:1])
    assert _queries(projects) == one
    states = guide.evaluate(projects, CcvStep.PLAN)
    assert all(state.gate_open for state in states.values())


def test_phase_guide_and_gate_pages_show_step_4(plan, leader, client_for):
    project = plan.project
    project.ccv_step = CcvStep.PLAN
    project.save()
    client = client_for(leader)
    guide_page = client.get(reverse("guide", args=[project.pk])).content.decode()
    gate_page = client.get(reverse("gate", args=[project.pk]))
    assert gate_page.status_code == 200
    for step in plan_guide.STEPS:
        assert str(step.title) in guide_page
