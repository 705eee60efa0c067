"""Conclusions and recommendations, knelpunten, the analysis report (page and PDF), the analysis
home page and step 3's panels."""

import datetime
import io
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from analysis.models import Analysis, Conclusion, Knelpunt
from analysis.report import selectors
from analysis.report.forms import AgreedForm
from analysis.services import start_analysis
from kvu.models import CcvStep
from meetings.models import MeetingKind, MeetingStatus
from tests.factories import (
    AnswerFactory,
    ConclusionFactory,
    FindingFactory,
    KeyFigureFactory,
    KnelpuntFactory,
    MeetingFactory,
    ProjectFactory,
    QuestionFactory,
    ResponseFactory,
    StreetFactory,
    SurveyFactory,
    WalkThroughFactory,
)
from tests.pdf_words import overlapping_words


@pytest.fixture
def step3(project):
    project.ccv_step = CcvStep.SAFETY_ANALYSIS
    project.save()
    return project


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


_rounds = itertools.count()


def _fill(analysis, n):
    """n of everything the report shows: findings, figures, survey answers, conclusions."""
    label = f"Cijfer {next(_rounds)}"  # each round its own figure, one value a year
    walk = WalkThroughFactory(analysis=analysis)
    street = StreetFactory(analysis=analysis)
    survey = SurveyFactory(analysis=analysis)
    scale = QuestionFactory(survey=survey, kind="scale")
    choice = QuestionFactory(survey=survey, kind="single", text="Hoe vaak?", options="Vaak\nNooit")
    QuestionFactory(survey=survey, kind="open", text="Wat valt u op?")
    for i in range(n):
        finding = FindingFactory(
            walk_through=walk, street=street, severity=("red", "orange", "green")[i % 3]
        )
        KeyFigureFactory(analysis=analysis, kind="other", label=label, year=2000 + i)
        response = ResponseFactory(survey=survey)
        AnswerFactory(response=response, question=scale, value=str(1 + i % 5))
        AnswerFactory(response=response, question=choice, value="Vaak")
        conclusion = ConclusionFactory(
            analysis=analysis, kind=("conclusion", "recommendation")[i % 2]
        )
        conclusion.findings.add(finding)
        conclusion.questions.add(scale)
        knelpunt = KnelpuntFactory(analysis=analysis, title=f"Knelpunt {i}")
        knelpunt.streets.add(street)
        knelpunt.findings.add(finding)
    return walk


# --- conclusions ---


def test_leader_adds_a_conclusion_with_its_evidence(client_for, leader, analysis):
    finding = FindingFactory(walk_through=WalkThroughFactory(analysis=analysis))
    figure = KeyFigureFactory(analysis=analysis)
    source = analysis.sources.first()
    response = client_for(leader).post(
        reverse("conclusion_add", args=[analysis.project_id]),
        {
            "kind": "conclusion",
            "text": "Donkere stegen.",
            "findings": [finding.pk],
            "figures": [figure.pk],
            "sources": [source.pk],
        },
    )
    assert response.status_code == 302
    conclusion = Conclusion.objects.get(analysis=analysis)
    assert conclusion.text == "Donkere stegen."
    assert list(conclusion.findings.all()) == [finding]
    assert list(conclusion.figures.all()) == [figure]
    assert list(conclusion.sources.all()) == [source]


def test_evidence_of_another_analysis_is_refused(client_for, leader, analysis):
    foreign = FindingFactory()  # a finding of another project's analysis
    response = client_for(leader).post(
        reverse("conclusion_add", args=[analysis.project_id]),
        {"kind": "conclusion", "text": "Iets.", "findings": [foreign.pk]},
    )
    assert response.status_code == 200
    assert not Conclusion.objects.exists()


def test_evidence_select_offers_the_newest_findings_and_says_so(
    client_for, leader, analysis, settings
):
    walk = WalkThroughFactory(analysis=analysis)
    old = FindingFactory(walk_through=walk, description="De oudste bevinding")
    for _i in range(3):
        FindingFactory(walk_through=walk)
    conclusion = ConclusionFactory(analysis=analysis)
    conclusion.findings.add(old)
    original = selectors.FINDINGS_OFFERED
    selectors.FINDINGS_OFFERED = 2
    try:
        page = client_for(leader).get(
            reverse("conclusion_edit", args=[analysis.project_id, conclusion.pk])
        )
    finally:
        selectors.FINDINGS_OFFERED = original
    field = page.context["form"].fields["findings"]
    offered = [value for _group, options in field.choices for value, _label in options]
    assert len(offered) == 3  # the newest two, and the one chosen before
    assert str(old.pk) in offered
    assert "4" in str(field.help_text)


def test_conclusion_edit_changes_text_and_evidence(client_for, leader, analysis):
    conclusion = ConclusionFactory(analysis=analysis)
    figure = KeyFigureFactory(analysis=analysis)
    url = reverse("conclusion_edit", args=[analysis.project_id, conclusion.pk])
    response = client_for(leader).post(
        url, {"kind": "recommendation", "text": "Nieuw.", "figures": [figure.pk]}
    )
    assert response.status_code == 302
    conclusion.refresh_from_db()
    assert (conclusion.kind, conclusion.text) == ("recommendation", "Nieuw.")
    assert list(conclusion.figures.all()) == [figure]


def test_conclusion_moves_down_and_delete_removes_it(client_for, leader, analysis):
    first = ConclusionFactory(analysis=analysis, position=0, text="een")
    second = ConclusionFactory(analysis=analysis, position=1, text="twee")
    client = client_for(leader)
    client.post(
        reverse("conclusion_move", args=[analysis.project_id, first.pk]), {"direction": "down"}
    )
    assert [c.text for c in selectors.conclusions_of(analysis)] == ["twee", "een"]
    client.post(reverse("conclusion_delete", args=[analysis.project_id, second.pk]))
    assert list(Conclusion.objects.values_list("text", flat=True)) == ["een"]


def test_conclusions_are_agreed_only_in_a_held_meeting_of_the_project(client_for, leader, analysis):
    project = analysis.project
    planned = MeetingFactory(project=project, status=MeetingStatus.PLANNED)
    foreign = MeetingFactory(status=MeetingStatus.HELD)
    held = MeetingFactory(project=project, status=MeetingStatus.HELD)
    client = client_for(leader)
    url = reverse("conclusions_agreed", args=[project.pk])
    for meeting in (planned, foreign):
        client.post(url, {"meeting": meeting.pk})
        analysis.refresh_from_db()
        assert analysis.conclusions_agreed_in is None
    client.post(url, {"meeting": held.pk})
    analysis.refresh_from_db()
    assert analysis.conclusions_agreed_in == held


def test_conclusions_are_agreed_only_in_a_working_group_meeting(client_for, leader, analysis):
    project = analysis.project
    intro = MeetingFactory(project=project, status=MeetingStatus.HELD, kind=MeetingKind.INTRO_TALK)
    other = MeetingFactory(project=project, status=MeetingStatus.HELD, kind=MeetingKind.OTHER)
    group = MeetingFactory(
        project=project, status=MeetingStatus.HELD, kind=MeetingKind.WORKING_GROUP
    )
    offered = list(AgreedForm(project=project).fields["meeting"].queryset)
    assert offered == [group]
    client = client_for(leader)
    url = reverse("conclusions_agreed", args=[project.pk])
    for meeting in (intro, other):
        client.post(url, {"meeting": meeting.pk})
        analysis.refresh_from_db()
        assert analysis.conclusions_agreed_in is None
    client.post(url, {"meeting": group.pk})
    analysis.refresh_from_db()
    assert analysis.conclusions_agreed_in == group


def test_conclusion_list_query_count_does_not_grow(client_for, leader, analysis):
    client = client_for(leader)
    url = reverse("conclusion_list", args=[analysis.project_id])
    _fill(analysis, 2)
    few = _count(client, url)
    _fill(analysis, 20)
    assert _count(client, url) == few


# --- knelpunten ---


def test_knelpunt_made_from_a_conclusion_starts_with_its_text_and_evidence(
    client_for, leader, analysis
):
    finding = FindingFactory(walk_through=WalkThroughFactory(analysis=analysis))
    conclusion = ConclusionFactory(analysis=analysis, text="Geweld na sluitingstijd.")
    conclusion.findings.add(finding)
    page = client_for(leader).get(
        reverse("knelpunt_add", args=[analysis.project_id]) + f"?conclusie={conclusion.pk}"
    )
    form = page.context["form"]
    assert form["title"].value() == "Geweld na sluitingstijd."
    assert form["findings"].value() == [str(finding.pk)]


def test_knelpunt_from_a_conclusion_keeps_evidence_older_than_the_newest_findings(
    client_for, leader, analysis
):
    walk = WalkThroughFactory(analysis=analysis)
    old = FindingFactory(walk_through=walk, description="De oudste bevinding")
    FindingFactory.create_batch(selectors.FINDINGS_OFFERED, walk_through=walk)
    conclusion = ConclusionFactory(analysis=analysis, text="Donkere stegen.")
    conclusion.findings.add(old)
    client = client_for(leader)
    url = reverse("knelpunt_add", args=[analysis.project_id])
    page = client.get(url + f"?conclusie={conclusion.pk}")
    assert f'name="conclusie" value="{conclusion.pk}"' in page.content.decode()
    response = client.post(
        url,
        {
            "conclusie": conclusion.pk,
            "theme": "safety",
            "title": "Donkere stegen",
            "findings": [old.pk],
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    knelpunt = Knelpunt.objects.get(analysis=analysis)
    assert list(knelpunt.findings.all()) == [old]


def test_knelpunt_of_a_conclusion_of_another_project_is_404(client_for, leader, analysis):
    other = ConclusionFactory()
    page = client_for(leader).get(
        reverse("knelpunt_add", args=[analysis.project_id]) + f"?conclusie={other.pk}"
    )
    assert page.status_code == 404


def test_leader_adds_edits_and_deletes_a_knelpunt(client_for, leader, analysis):
    street = StreetFactory(analysis=analysis, name="Walstraat")
    client = client_for(leader)
    project_pk = analysis.project_id
    response = client.post(
        reverse("knelpunt_add", args=[project_pk]),
        {"theme": "safety", "title": "Donker", "streets": [street.pk], "location": "hoek"},
    )
    assert response.status_code == 302
    knelpunt = Knelpunt.objects.get(analysis=analysis)
    assert list(knelpunt.streets.all()) == [street]
    client.post(
        reverse("knelpunt_edit", args=[project_pk, knelpunt.pk]),
        {"theme": "nuisance", "title": "Lawaai", "streets": []},
    )
    knelpunt.refresh_from_db()
    assert (knelpunt.theme, knelpunt.title, knelpunt.streets.count()) == ("nuisance", "Lawaai", 0)
    client.post(reverse("knelpunt_delete", args=[project_pk, knelpunt.pk]))
    assert not Knelpunt.objects.exists()


def test_knelpunten_of_is_ordered_and_prefetched(analysis, django_assert_num_queries):
    street = StreetFactory(analysis=analysis)
    for position in (2, 0, 1):
        knelpunt = KnelpuntFactory(analysis=analysis, position=position, title=f"k{position}")
        knelpunt.streets.add(street)
    with django_assert_num_queries(6):  # knelpunten, streets and the four kinds of evidence
        found = list(selectors.knelpunten_of(analysis))
        assert [k.title for k in found] == ["k0", "k1", "k2"]
        assert [s.name for k in found for s in k.streets.all()] == [street.name] * 3


def test_knelpunt_list_query_count_does_not_grow(client_for, leader, analysis):
    client = client_for(leader)
    url = reverse("knelpunt_list", args=[analysis.project_id])
    _fill(analysis, 2)
    few = _count(client, url)
    _fill(analysis, 20)
    assert _count(client, url) == few


# --- the report ---


def test_report_page_shows_every_part(client_for, leader, analysis):
    analysis.introduction = "Inleiding van de werkgroep."
    analysis.save()
    _fill(analysis, 3)
    page = client_for(leader).get(reverse("analysis_report", args=[analysis.project_id]))
    html = page.content.decode()
    assert "Inleiding van de werkgroep." in html
    assert "Enquête ondernemers" in html
    assert "Knelpunt 2" in html
    assert "Lantaarnpaal defect" in html  # a red finding is listed
    for section in ("r-introduction", "r-area", "r-method", "r-results", "r-knelpunten"):
        assert f'id="{section}"' in html


def test_report_page_and_pdf_query_counts_do_not_grow(client_for, leader, analysis):
    client = client_for(leader)
    page = reverse("analysis_report", args=[analysis.project_id])
    pdf = reverse("analysis_report_pdf", args=[analysis.project_id])
    _fill(analysis, 2)
    few = (_count(client, page), _count(client, pdf))
    _fill(analysis, 20)
    assert (_count(client, page), _count(client, pdf)) == few


def test_report_lists_at_most_the_newest_red_findings(client_for, leader, analysis):
    walk = WalkThroughFactory(analysis=analysis)
    original = selectors.RED_FINDINGS_SHOWN
    selectors.RED_FINDINGS_SHOWN = 2
    try:
        for i in range(4):
            FindingFactory(walk_through=walk, severity="red", description=f"Rood nummer {i}")
        data = selectors.report_data(analysis)
    finally:
        selectors.RED_FINDINGS_SHOWN = original
    assert [f.description for f in data["findings"]["red"]] == ["Rood nummer 3", "Rood nummer 2"]
    assert data["findings"]["red_total"] == 4


def test_survey_results_count_answers_per_option(analysis):
    survey = SurveyFactory(analysis=analysis)
    question = QuestionFactory(survey=survey, kind="single", options="Ja\nNee")
    for value in ("Ja", "Ja", "Nee"):
        AnswerFactory(response=ResponseFactory(survey=survey), question=question, value=value)
    (result,) = selectors.report_data(analysis)["surveys"]
    assert result["rate"] is None  # typed in from paper: nobody was invited by link
    assert result["survey"].paper == 3
    rows = result["questions"][0]["rows"]
    assert [(r["label"], r["count"], r["percent"]) for r in rows] == [("Ja", 2, 67), ("Nee", 1, 33)]


def test_report_pdf_is_laid_out_without_overlaps_tagged_and_pdf_a(client_for, leader, analysis):
    analysis.introduction = "Inleiding van de werkgroep over het uitgaansgebied."
    analysis.method = "Schouw, enquêtes en politiecijfers."
    analysis.save()
    _fill(analysis, 6)
    response = client_for(leader).get(reverse("analysis_report_pdf", args=[analysis.project_id]))
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert overlapping_words(pdf) == []
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) is True
    assert root["/StructTreeRoot"].get_object()["/K"]
    assert root["/Lang"] == "nl"
    xmp = root["/Metadata"].get_data().decode()
    assert 'pdfaid:part="2"' in xmp or "<pdfaid:part>2</pdfaid:part>" in xmp
    assert reader.metadata.author == f"Gemeente {analysis.project.municipality.name}"
    assert analysis.project.name in reader.metadata.subject
    text = " ".join(page.extract_text() for page in reader.pages)
    for expected in ("Inleiding van de werkgroep", "Knelpunt 5", "Enquête ondernemers"):
        assert expected in text


def test_report_texts_are_edited_and_the_report_shared(client_for, leader, analysis):
    client = client_for(leader)
    project_pk = analysis.project_id
    client.post(
        reverse("analysis_report_edit", args=[project_pk]),
        {"introduction": "In.", "summary": "Sam.", "method": "Met."},
    )
    day = timezone.localdate() - datetime.timedelta(days=1)
    client.post(
        reverse("report_shared", args=[project_pk]),
        {"shared_on": day.isoformat(), "shared_with": "De werkgroep en de raad"},
    )
    analysis.refresh_from_db()
    assert (analysis.introduction, analysis.summary, analysis.method) == ("In.", "Sam.", "Met.")
    assert analysis.report_shared_on == day
    assert analysis.report_shared_with == "De werkgroep en de raad"


def test_report_cannot_be_shared_in_the_future(client_for, leader, analysis):
    day = timezone.localdate() + datetime.timedelta(days=3)
    client_for(leader).post(
        reverse("report_shared", args=[analysis.project_id]),
        {"shared_on": day.isoformat(), "shared_with": "De raad"},
    )
    analysis.refresh_from_db()
    assert analysis.report_shared_on is None


def test_viewer_reads_the_report_but_cannot_share_it(client_for, viewer, analysis):
    client = client_for(viewer)
    page = client.get(reverse("analysis_report", args=[analysis.project_id]))
    assert page.status_code == 200
    assert "share_form" not in page.context
    response = client.post(
        reverse("report_shared", args=[analysis.project_id]),
        {"shared_on": timezone.localdate().isoformat(), "shared_with": "x"},
    )
    assert response.status_code == 403


# --- the home page and the panels ---


def test_home_shows_the_checklist_and_every_part(client_for, leader, analysis):
    page = client_for(leader).get(reverse("analysis_home", args=[analysis.project_id]))
    html = page.content.decode()
    assert 'id="step-analysis_area_profile"' in html
    assert 'id="step-analysis_report_shared"' in html
    for name in ("area_profile", "sources", "walk_through_list", "survey_list", "conclusion_list"):
        assert reverse(name, args=[analysis.project_id]) in html


def test_home_query_count_does_not_grow(client_for, leader, analysis):
    client = client_for(leader)
    url = reverse("analysis_home", args=[analysis.project_id])
    _fill(analysis, 2)
    few = _count(client, url)
    _fill(analysis, 20)
    assert _count(client, url) == few


def test_project_overview_shows_step_3_and_its_count_does_not_grow(client_for, leader, step3):
    analysis = start_analysis(project=step3, user=leader)
    client = client_for(leader)
    url = reverse("project_detail", args=[step3.pk])
    _fill(analysis, 2)
    few = _count(client, url)
    html = client.get(url).content.decode()
    assert 'id="project-analysis-heading"' in html
    _fill(analysis, 20)
    assert _count(client, url) == few


def test_project_overview_shows_no_analysis_panel_before_step_3(client_for, leader, project):
    html = client_for(leader).get(reverse("project_detail", args=[project.pk])).content.decode()
    assert 'id="project-analysis-heading"' not in html


def test_dashboard_lists_projects_in_step_3_with_a_constant_count(client_for, leader, step3):
    start_analysis(project=step3, user=leader)
    client = client_for(leader)
    url = reverse("dashboard")
    few = _count(client, url)
    assert 'id="dash-analysis-heading"' in client.get(url).content.decode()
    for i in range(5):
        other = ProjectFactory(
            municipality=step3.municipality, ccv_step=CcvStep.SAFETY_ANALYSIS, name=f"P{i}"
        )
        _fill(start_analysis(project=other, user=leader), 3)
    assert _count(client, url) == few


def test_status_report_has_the_analysis_section(client_for, leader, step3):
    analysis = start_analysis(project=step3, user=leader)
    client = client_for(leader)
    url = reverse("status_report", args=[step3.pk])
    _fill(analysis, 2)
    few = _count(client, url)
    assert 'id="r-analysis"' in client.get(url).content.decode()
    _fill(analysis, 20)
    assert _count(client, url) == few
    assert Analysis.objects.count() == 1


# --- the demo ---


def test_demo_report_is_in_progress_and_loads_once(db, settings):
    from django.core.management import call_command

    from analysis import demo
    from analysis.demo import report
    from kvu.models import Project

    settings.DEBUG = True  # the demo command runs only in development
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    project = Project.objects.get(name=demo.PROJECT)
    analysis = Analysis.objects.current(project)
    assert analysis.introduction
    assert analysis.method
    assert not analysis.summary
    kinds = sorted(analysis.conclusions.values_list("kind", flat=True))
    assert kinds == ["conclusion"] * 3 + ["recommendation"] * 2
    assert analysis.knelpunten.count() == 3
    assert analysis.conclusions_agreed_in is None
    assert analysis.report_shared_on is None
    assert report.load(analysis, analysis.started_by) == 0
    assert Conclusion.objects.filter(analysis=analysis).count() == 5
