"""The status report for the mayor and council: printable page and PDF, all sections present."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ParticipationFactory
from tests.guide_builders import complete_project

SECTIONS = [
    "r-summary",
    "r-guide",
    "r-support",
    "r-partners",
    "r-interests",
    "r-meetings",
    "r-agreements",
    "r-declaration",
    "r-actions",
    "r-next",
]


def test_report_page_has_every_section(client_for, project, leader):
    complete_project(project, leader)
    page = client_for(leader).get(reverse("status_report", args=[project.pk])).text
    for section in SECTIONS:
        assert f'id="{section}"' in page, section


def test_viewer_may_read_the_report(client_for, project, viewer):
    assert client_for(viewer).get(reverse("status_report", args=[project.pk])).status_code == 200


def test_report_pdf_is_a_pdf_with_the_project_name(client_for, project, leader):
    complete_project(project, leader)
    response = client_for(leader).get(reverse("status_report_pdf", args=[project.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_report_pdf_keeps_its_query_count_with_10_and_200_partners(client_for, project, leader):
    """Prevents an N+1 on the partners in the PDF's report sections."""
    complete_project(project, leader)
    client = client_for(leader)
    url = reverse("status_report_pdf", args=[project.pk])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    ParticipationFactory.create_batch(6, project=project, interests="Veilig.")
    small = count()
    ParticipationFactory.create_batch(190, project=project, interests="Veilig.")
    assert count() == small


def test_report_keeps_the_decision_of_an_earlier_gate(client_for, project, leader):
    """Once the project is in step 3 its guide is step 3's; the decision that passed the gate
    of the preparatory phase with steps open stays in the report for the council."""
    from kvu import guide
    from kvu.guide_services import pass_gate

    open_keys = [s.step.key for s in guide.evaluate([project])[project.pk].required_open]
    pass_gate(
        project=project,
        user=leader,
        reason="De raad wil voor de zomer starten.",
        acknowledged=open_keys,
    )
    page = client_for(leader).get(reverse("status_report", args=[project.pk])).text
    assert "De raad wil voor de zomer starten." in page
    assert "van initiatief naar veiligheidsanalyse" in page
