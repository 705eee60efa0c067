"""The plan of approach (CCV step 4): starting it, its texts, the measures matrix and its forms,
access, the PDF, step 4's panels and the demo."""

import datetime
import io
import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from kvu.models import CcvStep
from plans.models import Measure, Plan
from plans.plan import services
from plans.services import PlanError, start_plan
from tests.factories import (
    KeyFigureFactory,
    KnelpuntFactory,
    MeetingFactory,
    ParticipationFactory,
    ProjectFactory,
)
from tests.pdf_words import overlapping_words

# --- helpers shared by the plan's test files ---


@pytest.fixture
def plan(analysis, leader):
    """The plan of approach of the project's analysis, started by its leader."""
    return start_plan(project=analysis.project, user=leader)


_numbers = itertools.count()


def add_measure(plan, knelpunt=None, **fields):
    """A SMART measure of the plan with its costs known; `fields` override the defaults."""
    responsible = fields.pop("responsible", None) or ParticipationFactory(project=plan.project)
    contributors = fields.pop("contributors", [])
    n = next(_numbers)
    data = {
        "knelpunt": knelpunt,
        "theme": knelpunt.theme if knelpunt else "securing",
        "title": f"Maatregel {n}",
        "description": "",
        "indicator": "geweldsincidenten op vrijdag- en zaterdagnacht",
        "unit": "per jaar",
        "baseline": Decimal("46"),
        "baseline_source": "Politie, BVH 2025",
        "target": Decimal("35"),
        "target_date": datetime.date(2028, 12, 31),
        "responsible": responsible,
        "costs": Decimal("2500"),
        "paid_by": "KHN",
        "starts_on": datetime.date(2027, 1, 1),
        "ends_on": datetime.date(2028, 12, 31),
        "evidence": "promising",
        **fields,
    }
    return services.add_measure(plan=plan, fields=data, contributors=contributors)


def fill(plan, n):
    """n knelpunten of the plan's analysis, each with a measure (two contributors each)."""
    for i in range(n):
        knelpunt = KnelpuntFactory(
            analysis=plan.analysis,
            title=f"Knelpunt {next(_numbers)}",
            theme=("safety", "nuisance")[i % 2],
        )
        contributors = [ParticipationFactory(project=plan.project) for _j in range(2)]
        add_measure(
            plan, knelpunt, contributors=contributors, evidence=("unknown", "effective")[i % 2]
        )


def held_meeting(project, **kwargs):
    """A working-group meeting of the project, held three days ago."""
    data = {
        "status": "held",
        "kind": "working_group",
        "date": timezone.localdate() - datetime.timedelta(days=3),
        **kwargs,
    }
    return MeetingFactory(project=project, **data)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def measure_data(plan, knelpunt=None, **changes):
    """What the measure form posts for a valid measure."""
    responsible = changes.pop("responsible", None) or ParticipationFactory(project=plan.project)
    responsible = getattr(responsible, "pk", responsible)
    data = {
        "knelpunt": getattr(knelpunt, "pk", knelpunt) or "",
        "theme": "" if knelpunt else "securing",
        "title": "Portiersoverleg",
        "description": "Elke maand.",
        "indicator": "geweldsincidenten",
        "unit": "per jaar",
        "baseline_figure": "",
        "baseline": "46",
        "baseline_source": "Politie",
        "target": "35",
        "target_date": "2028-12-31",
        "responsible": responsible,
        "contributors": [],
        "costs": "2500",
        "paid_by": "KHN",
        "starts_on": "2027-01-01",
        "ends_on": "2028-12-31",
        "evidence": "promising",
    }
    data.update(changes)
    return data


# --- starting the plan ---


def test_plan_cannot_start_before_the_analysis(project, leader):
    with pytest.raises(PlanError):
        start_plan(project=project, user=leader)
    assert not Plan.objects.exists()


def test_start_makes_the_plan_of_the_analysis_cycle_once(analysis, leader, client_for):
    client = client_for(leader)
    response = client.post(reverse("plan_start", args=[analysis.project_id]))
    assert response.status_code == 302
    plan = Plan.objects.get()
    assert (plan.analysis, plan.cycle, plan.started_by) == (analysis, analysis.cycle, leader)
    client.post(reverse("plan_start", args=[analysis.project_id]))
    assert Plan.objects.count() == 1


def test_start_without_analysis_says_so_and_makes_nothing(project, leader, client_for):
    client = client_for(leader)
    page = client.get(reverse("plan_detail", args=[project.pk]))
    assert reverse("plan_start", args=[project.pk]) not in page.content.decode()
    response = client.post(reverse("plan_start", args=[project.pk]), follow=True)
    assert response.status_code == 200
    assert not Plan.objects.exists()
    assert any(m.level_tag == "error" for m in response.context["messages"])


def test_viewer_cannot_start_the_plan(analysis, viewer, client_for):
    response = client_for(viewer).post(reverse("plan_start", args=[analysis.project_id]))
    assert response.status_code == 403
    assert not Plan.objects.exists()


def test_plan_url_is_the_plan_detail_page(plan):
    assert plan.get_absolute_url() == reverse("plan_detail", args=[plan.project_id])


# --- the plan's texts ---


def test_texts_are_saved(plan, leader, client_for):
    data = {
        "motives": "Meer geweld.",
        "goal": "Een kwart minder.",
        "starts_on": "2027-01-01",
        "ends_on": "2028-12-31",
        "decision_making": "De werkgroep.",
        "organisation": "Elk kwartaal.",
        "evaluation": "Na een jaar.",
    }
    response = client_for(leader).post(reverse("plan_edit", args=[plan.project_id]), data)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.goal == "Een kwart minder."
    assert plan.ends_on == datetime.date(2028, 12, 31)


@pytest.mark.parametrize(
    ("field", "value"),
    [("ends_on", "2026-01-01"), ("starts_on", "0001-01-01"), ("goal", "x" * 10001)],
)
def test_bad_texts_change_nothing(plan, leader, client_for, field, value):
    data = {"goal": "Doel.", "starts_on": "2027-01-01", "ends_on": "2028-12-31", field: value}
    response = client_for(leader).post(reverse("plan_edit", args=[plan.project_id]), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    plan.refresh_from_db()
    assert plan.goal == ""


# --- measures ---


def test_measure_for_a_knelpunt_takes_its_theme(plan, leader, client_for):
    knelpunt = KnelpuntFactory(analysis=plan.analysis, theme="nuisance")
    helper = ParticipationFactory(project=plan.project)
    data = measure_data(plan, knelpunt, theme="safety", contributors=[helper.pk])
    response = client_for(leader).post(reverse("measure_add", args=[plan.project_id]), data)
    assert response.status_code == 302, response.context["form"].errors
    measure = Measure.objects.get()
    assert (measure.knelpunt, measure.theme, measure.plan) == (knelpunt, "nuisance", plan)
    assert list(measure.contributors.all()) == [helper]


def test_baseline_is_taken_from_the_newest_key_figure(plan, leader, client_for):
    KeyFigureFactory(analysis=plan.analysis, kind="violence", year=2024, value=44)
    newest = KeyFigureFactory(
        analysis=plan.analysis, kind="violence", year=2025, value=46, source="Politie, BVH"
    )
    page = client_for(leader).get(reverse("measure_add", args=[plan.project_id]))
    offered = [value for value, _label in page.context["form"].fields["baseline_figure"].choices]
    assert offered == ["", newest.pk]
    data = measure_data(plan, baseline_figure=newest.pk, baseline="", baseline_source="")
    client_for(leader).post(reverse("measure_add", args=[plan.project_id]), data)
    measure = Measure.objects.get()
    assert measure.baseline == Decimal("46")
    assert "2025" in measure.baseline_source
    assert "Politie, BVH" in measure.baseline_source


def _bad_inputs(plan):
    other = ProjectFactory(municipality=plan.project.municipality)
    foreign_partner = ParticipationFactory(project=other)
    foreign_knelpunt = KnelpuntFactory()
    foreign_figure = KeyFigureFactory()
    return {
        "responsible of another project": {"responsible": foreign_partner.pk},
        "contributor of another project": {"contributors": [foreign_partner.pk]},
        "knelpunt of another analysis": {"knelpunt": foreign_knelpunt.pk, "theme": ""},
        "key figure of another analysis": {"baseline_figure": foreign_figure.pk},
        "end before start": {"ends_on": "2026-12-31"},
        "target date before start": {"target_date": "2026-06-01"},
        "target without date": {"target_date": ""},
        "negative costs": {"costs": "-5"},
        "no number": {"target": "veel"},
        "no theme without knelpunt": {"theme": ""},
        "no indicator": {"indicator": ""},
        "line break in title": {"title": "een\ntwee"},
        "huge number": {"baseline": "1e20"},
    }


def test_bad_measures_are_refused_with_a_message_and_change_nothing(plan, leader, client_for):
    client = client_for(leader)
    url = reverse("measure_add", args=[plan.project_id])
    for what, changes in _bad_inputs(plan).items():
        response = client.post(url, measure_data(plan, **changes))
        assert response.status_code == 200, what
        assert response.context["form"].errors, what
        assert any(m.level_tag == "error" for m in response.context["messages"]), what
        assert not Measure.objects.exists(), what


def test_measure_is_edited_and_deleted(plan, leader, client_for):
    measure = add_measure(plan)
    client = client_for(leader)
    data = measure_data(plan, title="Beter toezicht", responsible=measure.responsible)
    response = client.post(reverse("measure_edit", args=[plan.project_id, measure.pk]), data)
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.title == "Beter toezicht"
    client.post(reverse("measure_delete", args=[plan.project_id, measure.pk]))
    assert not Measure.objects.exists()


def test_responsible_partner_is_not_also_a_contributor(plan, leader, client_for):
    partner = ParticipationFactory(project=plan.project)
    data = measure_data(plan, responsible=partner, contributors=[partner.pk])
    client_for(leader).post(reverse("measure_add", args=[plan.project_id]), data)
    assert not Measure.objects.get().contributors.exists()


# --- access ---


def test_outsider_gets_404_on_every_page_of_the_plan(plan, outsider, client_for):
    measure = add_measure(plan)
    client = client_for(outsider)
    pk = plan.project_id
    for url in (
        reverse("plan_detail", args=[pk]),
        reverse("measure_matrix", args=[pk]),
        reverse("plan_pdf", args=[pk]),
        reverse("measure_edit", args=[pk, measure.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_viewer_reads_but_gets_403_on_changes(plan, viewer, client_for):
    measure = add_measure(plan)
    client = client_for(viewer)
    pk = plan.project_id
    assert client.get(reverse("measure_matrix", args=[pk])).status_code == 200
    assert "measure_add" not in client.get(reverse("measure_matrix", args=[pk])).content.decode()
    for url in (
        reverse("measure_add", args=[pk]),
        reverse("measure_edit", args=[pk, measure.pk]),
        reverse("measure_delete", args=[pk, measure.pk]),
        reverse("plan_edit", args=[pk]),
    ):
        assert client.post(url, measure_data(plan)).status_code == 403, url
    assert Measure.objects.get().title == measure.title


def test_measure_of_another_plan_is_404(plan, leader, client_for, municipality):
    other = ProjectFactory(municipality=municipality)
    from analysis.services import start_analysis

    start_analysis(project=other, user=leader)
    foreign = add_measure(start_plan(project=other, user=leader))
    response = client_for(leader).get(reverse("measure_edit", args=[plan.project_id, foreign.pk]))
    assert response.status_code == 404


def test_pages_of_a_plan_not_started_are_404(analysis, leader, client_for):
    client = client_for(leader)
    assert client.get(reverse("measure_matrix", args=[analysis.project_id])).status_code == 404
    assert client.get(reverse("plan_pdf", args=[analysis.project_id])).status_code == 404


# --- the matrix ---


def test_matrix_groups_knelpunten_by_theme_and_warns_of_unknown_effect(plan, leader, client_for):
    dark = KnelpuntFactory(analysis=plan.analysis, theme="safety", title="Donkere stegen")
    KnelpuntFactory(analysis=plan.analysis, theme="nuisance", title="Wildplassen")
    add_measure(plan, dark, title="Lampen vervangen", evidence="unknown")
    add_measure(plan, dark, title="Cameratoezicht", evidence="effective")
    add_measure(plan, None, title="Monitoring", theme="securing", evidence="not_effective")
    page = client_for(leader).get(reverse("measure_matrix", args=[plan.project_id]))
    html = page.content.decode()
    themes = [group.code for group in page.context["plan_view"]["themes"]]
    assert themes == ["nuisance", "safety", "securing"]
    assert html.index("Wildplassen") < html.index("Donkere stegen") < html.index("Monitoring")
    assert 'rowspan="2"' in html  # the knelpunt heads its two measures
    assert "Nog geen maatregel." in html  # Wildplassen
    assert 'id="evidence-warning"' in html
    assert "Van 2 maatregelen is volgens de Keuzewijzer Veilig Uitgaan geen effect" in html
    assert "volgens de Keuzewijzer werkt dit niet" in html


def test_matrix_and_plan_pages_query_counts_do_not_grow(plan, leader, client_for):
    """The matrix reads knelpunten, measures with their partners and contributors at once: no
    query per knelpunt, measure or contributor."""
    client = client_for(leader)
    pk = plan.project_id
    urls = [
        reverse("measure_matrix", args=[pk]),
        reverse("plan_detail", args=[pk]),
        reverse("plan_pdf", args=[pk]),
        reverse("measure_add", args=[pk]),
    ]
    fill(plan, 3)
    few = [count_queries(client, url) for url in urls]
    fill(plan, 30)
    assert [count_queries(client, url) for url in urls] == few


# --- the PDF ---


def test_plan_pdf_is_laid_out_without_overlaps_tagged_pdf_a_with_a_landscape_matrix(
    plan, leader, client_for
):
    plan.goal = "Een kwart minder geweld in het uitgaansgebied."
    plan.starts_on, plan.ends_on = datetime.date(2027, 1, 1), datetime.date(2028, 12, 31)
    plan.save()
    fill(plan, 8)
    add_measure(plan, None, title="Voortgangsrapportage aan de burgemeester", costs=None)
    ParticipationFactory(
        project=plan.project, stage="committed", organisation__name="Stichting Taxi Centrum"
    )
    ParticipationFactory(project=plan.project, organisation__name="Snackbar Nooit Benaderd")
    response = client_for(leader).get(reverse("plan_pdf", args=[plan.project_id]))
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
    assert reader.metadata.author == f"Gemeente {plan.project.municipality.name}"
    sizes = [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]
    assert any(w < h for w, h in sizes)
    assert any(w > h for w, h in sizes)
    text = " ".join(page.extract_text() for page in reader.pages)
    for expected in ("Een kwart minder geweld", "Voortgangsrapportage", "Knelpunt"):
        assert expected in text
    assert "Stichting Taxi Centrum" in text  # in the appendix of participants
    assert "Snackbar Nooit Benaderd" not in text


# --- panels ---


@pytest.fixture
def step4(plan):
    plan.project.ccv_step = CcvStep.PLAN
    plan.project.save()
    return plan


def test_project_overview_shows_step_4_with_a_constant_count(step4, leader, client_for):
    client = client_for(leader)
    url = reverse("project_detail", args=[step4.project_id])
    fill(step4, 2)
    few = count_queries(client, url)
    html = client.get(url).content.decode()
    assert 'id="project-plan-heading"' in html
    assert reverse("plan_detail", args=[step4.project_id]) in html  # the tab
    fill(step4, 20)
    assert count_queries(client, url) == few


def test_dashboard_and_status_report_show_step_4_with_constant_counts(step4, leader, client_for):
    client = client_for(leader)
    dashboard = reverse("dashboard")
    report = reverse("status_report", args=[step4.project_id])
    fill(step4, 1)  # partners exist: the partners' part of the report reads their stages
    few = (count_queries(client, dashboard), count_queries(client, report))
    assert 'id="dash-plan-heading"' in client.get(dashboard).content.decode()
    assert 'id="r-plan"' in client.get(report).content.decode()
    fill(step4, 10)
    from analysis.services import start_analysis

    for i in range(3):
        other = ProjectFactory(
            municipality=step4.project.municipality, ccv_step=CcvStep.PLAN, name=f"P{i}"
        )
        start_analysis(project=other, user=leader)
        fill(start_plan(project=other, user=leader), 3)
    assert (count_queries(client, dashboard), count_queries(client, report)) == few


def test_no_plan_panel_before_step_4(plan, leader, client_for):
    html = client_for(leader).get(reverse("project_detail", args=[plan.project_id])).content
    assert b'id="project-plan-heading"' not in html


# --- the demo ---


def test_demo_apeldoorn_is_past_step_4_and_enschede_stays_in_step_3(db, settings):
    from django.core.management import call_command

    from kvu.models import Project
    from plans.models import PlanVersion

    settings.DEBUG = True
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    apeldoorn = Project.objects.get(name="KVU Centrum Apeldoorn")
    enschede = Project.objects.get(name="KVU Binnenstad Enschede")
    assert apeldoorn.ccv_step >= CcvStep.COVENANT
    assert enschede.ccv_step == CcvStep.SAFETY_ANALYSIS
    plan = Plan.objects.get(project=apeldoorn)
    assert plan.measures.count() == 8
    assert len({m.theme for m in plan.measures.all()}) >= 5
    version = PlanVersion.objects.get(plan=plan)
    assert version.number == 1
    assert version.adopted_in.status == "held"
    assert version.decision in version.adopted_in.agreements.all()
    assert not Plan.objects.filter(project=enschede).exists()
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Measure.objects.count(), PlanVersion.objects.count()) == (8, 1)


def test_a_knelpunt_with_measures_is_not_deleted_and_the_leader_is_told_why(
    client_for, plan, leader
):
    knelpunt = KnelpuntFactory(analysis=plan.analysis, title="Donkere stegen", theme="safety")
    add_measure(plan, knelpunt)
    client = client_for(leader)
    url = reverse("knelpunt_delete", args=[plan.project_id, knelpunt.pk])
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert "1 maatregel uit het plan van aanpak" in response.content.decode()
    assert plan.analysis.knelpunten.filter(pk=knelpunt.pk).exists()
    assert Measure.objects.filter(knelpunt=knelpunt).count() == 1
