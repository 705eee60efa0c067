"""Step 3's guide follows the data: each derived step true, and false for its nearest miss; its
evidence reads a fixed number of queries for one project and for ten."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from analysis import guide as analysis_guide
from analysis.models import INDISPENSABLE_SOURCES, SourceKind
from analysis.services import start_analysis
from kvu import guide
from kvu.models import CcvStep
from meetings.models import MeetingKind, MeetingStatus
from tests.factories import (
    ConclusionFactory,
    FindingFactory,
    KeyFigureFactory,
    MeetingFactory,
    ProjectFactory,
    ResponseFactory,
    StreetFactory,
    SurveyFactory,
    WalkThroughFactory,
)


def _done(step, project):
    return getattr(analysis_guide, step)([project])[project.pk]


def test_steps_belong_to_ccv_step_3_and_are_required():
    steps = guide.steps(CcvStep.SAFETY_ANALYSIS)
    assert [s.key for s in steps] == [s.key for s in analysis_guide.STEPS]
    assert all(s.required for s in steps)
    assert not {s.key for s in steps} & {s.key for s in guide.steps(CcvStep.INITIATIVE)}


def test_every_part_link_resolves(project):
    links = analysis_guide.part_links(project)
    assert set(links) == set(analysis_guide.URL_NAMES)


def test_before_the_analysis_started_no_step_is_done(project):
    for step in analysis_guide.STEPS:
        evidence = step.evidence([project])[project.pk]
        assert not evidence.done
        assert evidence.url == reverse("analysis_home", args=[project.pk])


# --- area profile ---


def _profile(analysis, description="Het Oude Markt-gebied."):
    analysis.profile.description = description
    analysis.profile.save()


def test_area_profile_done_with_description_street_and_figure(analysis):
    _profile(analysis)
    StreetFactory(analysis=analysis)
    KeyFigureFactory(analysis=analysis)
    assert _done("area_profile", analysis.project).done


@pytest.mark.parametrize("missing", ["description", "street", "figure"])
def test_area_profile_open_when_one_part_is_missing(analysis, missing):
    _profile(analysis, "   " if missing == "description" else "Het gebied.")
    if missing != "street":
        StreetFactory(analysis=analysis)
    if missing != "figure":
        KeyFigureFactory(analysis=analysis)
    evidence = _done("area_profile", analysis.project)
    assert not evidence.done
    assert evidence.url == reverse("area_profile", args=[analysis.project_id])


# --- sources ---


def _close_sources(analysis, *, except_kind=None):
    for source in analysis.sources.filter(kind__in=INDISPENSABLE_SOURCES):
        if source.kind == except_kind:
            source.status = "in_progress"
        elif source.kind == SourceKind.RESIDENT_SURVEY:
            source.status, source.reason_not_used = "not_used", "Geen bewoners in het gebied."
        else:
            source.status = "done"
        source.save()


def test_sources_done_when_all_six_done_or_not_used(analysis):
    _close_sources(analysis)
    assert _done("indispensable_sources", analysis.project).done


def test_sources_open_names_the_open_one(analysis):
    _close_sources(analysis, except_kind=SourceKind.SAFETY_MONITOR)
    evidence = _done("indispensable_sources", analysis.project)
    assert not evidence.done
    assert str(SourceKind.SAFETY_MONITOR.label) in evidence.text


def test_sources_other_than_the_six_do_not_count(analysis):
    _close_sources(analysis, except_kind=SourceKind.POLICE_FIGURES)
    for source in analysis.sources.exclude(kind__in=INDISPENSABLE_SOURCES):
        source.status = "done"
        source.save()
    assert not _done("indispensable_sources", analysis.project).done


# --- night walk-through ---


def test_night_walk_through_with_a_finding_is_done(analysis):
    FindingFactory(walk_through=WalkThroughFactory(analysis=analysis, timing="night"))
    assert _done("night_walk_through", analysis.project).done


def test_night_walk_through_without_findings_or_by_day_is_open(analysis):
    WalkThroughFactory(analysis=analysis, timing="night")
    FindingFactory(walk_through=WalkThroughFactory(analysis=analysis, timing="day"))
    assert not _done("night_walk_through", analysis.project).done


# --- entrepreneurs' survey ---


def _invited(survey, *, answered):
    return ResponseFactory(
        survey=survey,
        channel="online",
        participation=_partner(survey.analysis),
        invited_at=timezone.now(),
        submitted_at=timezone.now() if answered else None,
    )


def test_entrepreneurs_survey_with_an_answer_shows_its_response_rate(analysis):
    survey = SurveyFactory(analysis=analysis, kind="entrepreneurs")
    _invited(survey, answered=True)
    _invited(survey, answered=False)
    ResponseFactory(survey=survey)  # typed in from paper, counted apart
    evidence = _done("entrepreneurs_survey", analysis.project)
    assert evidence.done
    assert "50%" in evidence.text


def test_entrepreneurs_survey_only_on_paper_shows_no_response_rate(analysis):
    ResponseFactory(survey=SurveyFactory(analysis=analysis, kind="entrepreneurs"))
    assert not _done("entrepreneurs_survey", analysis.project).done


def _partner(analysis):
    from tests.factories import ParticipationFactory

    return ParticipationFactory(project=analysis.project)


def test_entrepreneurs_survey_sent_without_answers_is_open(analysis):
    _invited(SurveyFactory(analysis=analysis, kind="entrepreneurs"), answered=False)
    assert not _done("entrepreneurs_survey", analysis.project).done


def test_visitors_survey_does_not_count_for_the_entrepreneurs(analysis):
    _invited(SurveyFactory(analysis=analysis, kind="visitors"), answered=True)
    assert not _done("entrepreneurs_survey", analysis.project).done


# --- conclusions agreed, report shared ---


def _agreed_in(analysis, *, status=MeetingStatus.HELD, kind=MeetingKind.WORKING_GROUP):
    analysis.conclusions_agreed_in = MeetingFactory(
        project=analysis.project, status=status, kind=kind
    )
    analysis.save()


def test_conclusions_agreed_in_a_held_working_group_meeting_is_done(analysis):
    ConclusionFactory(analysis=analysis, kind="conclusion")
    _agreed_in(analysis)
    assert _done("conclusions_agreed", analysis.project).done


def test_conclusions_agreed_in_an_introductory_talk_is_open(analysis):
    ConclusionFactory(analysis=analysis, kind="conclusion")
    _agreed_in(analysis, kind=MeetingKind.INTRO_TALK)
    assert not _done("conclusions_agreed", analysis.project).done


def test_conclusions_agreed_without_any_conclusion_is_open(analysis):
    ConclusionFactory(analysis=analysis, kind="recommendation")
    _agreed_in(analysis)
    assert not _done("conclusions_agreed", analysis.project).done


def test_conclusions_agreed_in_a_meeting_not_yet_held_is_open(analysis):
    ConclusionFactory(analysis=analysis, kind="conclusion")
    _agreed_in(analysis, status=MeetingStatus.PLANNED)
    assert not _done("conclusions_agreed", analysis.project).done


def test_report_shared_is_done_once_a_date_is_recorded(analysis):
    assert not _done("report_shared", analysis.project).done
    analysis.report_shared_on = timezone.localdate()
    analysis.report_shared_with = "De raad"
    analysis.save()
    assert _done("report_shared", analysis.project).done


# --- the whole guide: override, gate, query counts ---


def test_states_follow_the_override_of_the_leader(analysis, leader):
    from kvu.guide_services import override_step

    project = analysis.project
    override_step(
        project=project,
        step_key="analysis_report_shared",
        user=leader,
        override="done",
        reason="Per e-mail gedeeld.",
    )
    state = analysis_guide.states([project])[project.pk]
    shared = next(s for s in state.steps if s.step.key == "analysis_report_shared")
    assert shared.done
    assert shared.overridden


def _projects_in_step_3(municipality, leader, n):
    projects = []
    for i in range(n):
        project = ProjectFactory(
            municipality=municipality, ccv_step=CcvStep.SAFETY_ANALYSIS, name=f"P{i}"
        )
        analysis = start_analysis(project=project, user=leader)
        _profile(analysis)
        StreetFactory(analysis=analysis)
        KeyFigureFactory(analysis=analysis)
        FindingFactory(walk_through=WalkThroughFactory(analysis=analysis))
        ResponseFactory(survey=SurveyFactory(analysis=analysis))
        projects.append(project)
    return projects


def _queries(projects):
    with CaptureQueriesContext(connection) as ctx:
        guide.evaluate(guide.Projects(projects), CcvStep.SAFETY_ANALYSIS)
    return len(ctx.captured_queries)


def test_evidence_reads_the_same_number_of_queries_for_one_and_ten_projects(municipality, leader):
    projects = _projects_in_step_3(municipality, leader, 10)
    one = _queries(projects[:1])
    assert _queries(projects) == one
