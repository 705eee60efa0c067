"""Query counts of the core pages must not grow with the number of projects."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ProjectFactory


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_dashboard_query_count_does_not_grow_with_projects(client, municipality, leader):
    """Prevents an N+1 on each project's municipality and project leader."""
    client.force_login(leader)
    ProjectFactory(municipality=municipality, project_leader=leader)
    one = _count(client, reverse("dashboard"))
    ProjectFactory.create_batch(19, municipality=municipality, project_leader=leader)
    twenty = _count(client, reverse("dashboard"))
    assert one == twenty


def test_project_page_query_count_does_not_grow_with_projects(client, project, leader):
    client.force_login(leader)
    one = _count(client, project.get_absolute_url())
    ProjectFactory.create_batch(19, municipality=project.municipality, project_leader=leader)
    assert _count(client, project.get_absolute_url()) == one
    assert _count(client, reverse("project_edit", args=[project.pk])) <= one + 3
