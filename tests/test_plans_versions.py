"""Adopting the plan of approach in a working-group meeting: frozen versions, the meeting's
decision, what changed between versions, and the live plan beside its adopted version."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from plans.models import PlanVersion
from plans.plan import services, versions
from plans.services import PlanError, start_plan
from tests.factories import KnelpuntFactory, MeetingFactory, ParticipationFactory
from tests.test_plans_plan import add_measure, count_queries, fill, held_meeting


@pytest.fixture
def plan(analysis, leader):
    return start_plan(project=analysis.project, user=leader)


@pytest.fixture
def meeting(analysis):
    return held_meeting(analysis.project, title="Werkgroep: vaststelling plan")


def _adopt(client, plan, meeting):
    return client.post(reverse("plan_adopt", args=[plan.project_id]), {"meeting": meeting.pk})


def test_adopting_freezes_version_1_and_records_the_meetings_decision(
    plan, meeting, leader, client_for
):
    knelpunt = KnelpuntFactory(analysis=plan.analysis)
    measure = add_measure(plan, knelpunt, title="Portiersoverleg")
    plan.goal = "Een kwart minder geweld."
    plan.save()
    response = _adopt(client_for(leader), plan, meeting)
    version = PlanVersion.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("plan_version", args=[plan.project_id, 1])
    assert (version.number, version.adopted_in, version.adopted_on) == (1, meeting, meeting.date)
    assert version.content["texts"]["goal"] == "Een kwart minder geweld."
    assert [m["title"] for m in version.content["measures"]] == ["Portiersoverleg"]
    assert version.content["knelpunten"][0]["title"] == knelpunt.title
    assert version.changes == ""
    decision = version.decision
    assert list(meeting.agreements.all()) == [decision]
    assert decision.project == plan.project
    assert decision.date == meeting.date
    assert list(decision.participations.all()) == [measure.responsible]


@pytest.mark.parametrize(
    "kind_of_meeting",
    ["planned", "cancelled", "intro_talk", "other_project", "in_the_future"],
)
def test_plan_is_adopted_only_in_a_held_working_group_meeting_of_the_project(
    plan, leader, client_for, kind_of_meeting
):
    add_measure(plan)
    project = plan.project
    today = timezone.localdate()
    meeting = {
        "planned": lambda: MeetingFactory(project=project, status="planned"),
        "cancelled": lambda: MeetingFactory(project=project, status="cancelled"),
        "intro_talk": lambda: held_meeting(project, kind="intro_talk"),
        "other_project": lambda: held_meeting(ParticipationFactory().project),
        "in_the_future": lambda: MeetingFactory(
            project=project, status="held", date=today + datetime.timedelta(days=2)
        ),
    }[kind_of_meeting]()
    response = _adopt(client_for(leader), plan, meeting)
    assert response.status_code == 302
    assert not PlanVersion.objects.exists()
    assert not meeting.agreements.exists()
    with pytest.raises(PlanError):
        services.adopt_plan(plan=plan, meeting=meeting, user=leader)


def test_a_plan_without_measures_cannot_be_adopted(plan, meeting, leader, client_for):
    response = _adopt(client_for(leader), plan, meeting)
    assert response.status_code == 302
    assert not PlanVersion.objects.exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages


def test_nothing_changed_gives_no_new_version(plan, meeting, leader):
    add_measure(plan)
    services.adopt_plan(plan=plan, meeting=meeting, user=leader)
    with pytest.raises(PlanError):
        services.adopt_plan(plan=plan, meeting=meeting, user=leader)
    assert PlanVersion.objects.count() == 1


def test_version_2_says_what_changed(plan, meeting, leader):
    kept = add_measure(plan, title="Portiersoverleg")
    dropped = add_measure(plan, title="Folders uitdelen")
    services.adopt_plan(plan=plan, meeting=meeting, user=leader)
    kept.target = 30
    kept.save()
    dropped.delete()
    add_measure(plan, title="Cameratoezicht")
    plan.goal = "Nieuw doel."
    plan.save()
    with translation.override("en"):
        second = services.adopt_plan(plan=plan, meeting=held_meeting(plan.project), user=leader)
    assert second.number == 2
    lines = second.changes.splitlines()
    assert "Measure added: Cameratoezicht." in lines
    assert "Measure removed: Folders uitdelen." in lines
    assert any(
        line.startswith("Measure changed: Portiersoverleg (target value (35 → 30)")
        for line in lines
    )
    assert "Text changed: goal." in lines


def test_adopted_version_is_read_from_its_snapshot_and_never_changes(
    plan, meeting, leader, client_for
):
    measure = add_measure(plan, title="Portiersoverleg")
    services.adopt_plan(plan=plan, meeting=meeting, user=leader)
    frozen = PlanVersion.objects.get().content
    measure.title = "Portiersoverleg en camera's"
    measure.save()
    client = client_for(leader)
    with translation.override("en"):
        version_page = client.get(reverse("plan_version", args=[plan.project_id, 1]))
        detail = client.get(reverse("plan_detail", args=[plan.project_id]))
    html = version_page.content.decode()
    assert "Portiersoverleg" in html
    assert "camera" not in html
    assert 'id="version-adopted"' in html
    assert detail.context["differs"] is True
    assert "Het plan is gewijzigd sinds versie 1" in detail.content.decode()
    assert PlanVersion.objects.get().content == frozen


def test_detail_says_when_the_plan_is_as_adopted(plan, meeting, leader, client_for):
    add_measure(plan)
    services.adopt_plan(plan=plan, meeting=meeting, user=leader)
    detail = client_for(leader).get(reverse("plan_detail", args=[plan.project_id]))
    assert detail.context["differs"] is False


def test_snapshot_reads_back_to_the_same_matrix(plan):
    knelpunt = KnelpuntFactory(analysis=plan.analysis, theme="nuisance")
    add_measure(plan, knelpunt, title="Urinoirs", evidence="unknown", costs=None)
    view = versions.read(versions.snapshot(plan))
    (group,) = view["themes"]
    assert group.code == "nuisance"
    (row,) = group.knelpunten
    (measure,) = row.measures
    assert (measure.title, measure.warned, measure.costs) == ("Urinoirs", True, None)
    assert measure.target_date == datetime.date(2028, 12, 31)


def test_a_damaged_snapshot_still_reads(plan):
    view = versions.read({"measures": [{"id": 1, "title": "x", "target": "veel", "theme": "?"}]})
    assert view["measure_count"] == 1
    assert view["themes"][0].loose[0].target is None


def test_viewer_reads_versions_but_cannot_adopt(plan, meeting, leader, viewer, client_for):
    add_measure(plan)
    services.adopt_plan(plan=plan, meeting=meeting, user=leader)
    client = client_for(viewer)
    assert client.get(reverse("plan_version", args=[plan.project_id, 1])).status_code == 200
    assert client.get(reverse("plan_version_pdf", args=[plan.project_id, 1])).status_code == 200
    add_measure(plan)
    assert _adopt(client, plan, meeting).status_code == 403
    assert PlanVersion.objects.count() == 1


def test_outsider_and_unknown_versions_get_404(plan, meeting, leader, outsider, client_for):
    add_measure(plan)
    services.adopt_plan(plan=plan, meeting=meeting, user=leader)
    assert (
        client_for(outsider).get(reverse("plan_version", args=[plan.project_id, 1])).status_code
        == 404
    )
    client = client_for(leader)
    assert client.get(reverse("plan_version", args=[plan.project_id, 2])).status_code == 404
    assert client.get(reverse("plan_version_pdf", args=[plan.project_id, 9])).status_code == 404


def test_version_pdf_names_the_version_and_its_meeting(plan, meeting, leader, client_for):
    add_measure(plan, title="Portiersoverleg")
    services.adopt_plan(plan=plan, meeting=meeting, user=leader)
    response = client_for(leader).get(reverse("plan_version_pdf", args=[plan.project_id, 1]))
    assert "versie-1" in response["Content-Disposition"]
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert meeting.title in text
    assert "Portiersoverleg" in text


def test_version_page_and_pdf_query_counts_do_not_grow(plan, meeting, leader, client_for):
    fill(plan, 3)
    services.adopt_plan(plan=plan, meeting=meeting, user=leader)
    fill(plan, 30)
    services.adopt_plan(plan=plan, meeting=held_meeting(plan.project), user=leader)
    client = client_for(leader)
    first = [
        count_queries(client, reverse(name, args=[plan.project_id, 1]))
        for name in ("plan_version", "plan_version_pdf")
    ]
    second = [
        count_queries(client, reverse(name, args=[plan.project_id, 2]))
        for name in ("plan_version", "plan_version_pdf")
    ]
    assert first == second


def test_a_changed_knelpunt_is_named_among_the_changes(plan, meeting, leader):
    knelpunt = KnelpuntFactory(analysis=plan.analysis, title="Donker")
    add_measure(plan, knelpunt)
    services.adopt_plan(plan=plan, meeting=meeting, user=leader)
    knelpunt.title = "Donkere stegen"
    knelpunt.save()
    with translation.override("en"):
        second = services.adopt_plan(plan=plan, meeting=held_meeting(plan.project), user=leader)
    assert second.changes == "The knelpunten of the analysis changed."
