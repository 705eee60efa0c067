"""Pages of the phase guide: ticking, overriding, the working group, query counts."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kvu.models import GuideStepRecord
from partners.models import WorkingGroupMember
from tests.factories import ParticipationFactory, ProjectFactory
from tests.guide_builders import K, answer, complete_project, core_partners, declaration


def test_leader_ticks_the_manual_step_with_a_note(client_for, project, leader):
    client = client_for(leader)
    response = client.post(
        reverse("guide_step", args=[project.pk, "knowledge"]),
        {"action": "tick", "ticked": "on", "note": "CCV-cursus gevolgd."},
    )
    assert response.status_code == 302
    record = GuideStepRecord.objects.get(project=project, step="knowledge")
    assert record.ticked
    assert record.updated_by == leader
    assert "CCV-cursus gevolgd." in client.get(project.get_absolute_url()).text


def test_override_without_reason_changes_nothing(client_for, project, leader):
    client = client_for(leader)
    response = client.post(
        reverse("guide_step", args=[project.pk, "double_role"]),
        {"action": "override", "override": "done", "reason": ""},
        follow=True,
    )
    assert response.status_code == 200
    assert not GuideStepRecord.objects.exists()
    assert 'role="alert"' in response.text


def test_override_with_reason_is_shown_as_such(client_for, project, leader):
    client = client_for(leader)
    client.post(
        reverse("guide_step", args=[project.pk, "double_role"]),
        {"action": "override", "override": "done", "reason": "Besproken in de driehoek."},
    )
    page = client.get(reverse("guide", args=[project.pk])).text
    assert "Besproken in de driehoek." in page
    assert "guide-override" in page


def test_unknown_step_and_bad_action_never_give_a_server_error(client_for, project, leader):
    client = client_for(leader)
    assert client.post(reverse("guide_step", args=[project.pk, "nope"]), {}).status_code == 404
    response = client.post(
        reverse("guide_step", args=[project.pk, "intro_talk"]), {"action": "tick", "ticked": "on"}
    )
    assert response.status_code == 302
    assert not GuideStepRecord.objects.exists()


def test_working_group_members_are_chosen_from_the_signatories(client_for, project, leader):
    core = core_partners(project)
    d = declaration(project)
    answer(d, core[K.MUNICIPALITY])
    answer(d, core[K.POLICE])
    client = client_for(leader)
    url = reverse("working_group", args=[project.pk])
    page = client.get(url).text
    assert core[K.POLICE].organisation.name in page
    assert core[K.KHN].organisation.name not in page  # did not sign
    client.post(url, {"members": [core[K.MUNICIPALITY].pk, core[K.POLICE].pk]})
    assert WorkingGroupMember.objects.count() == 2
    # A partner that did not sign, or one of another municipality, is refused.
    stranger = ParticipationFactory()
    for bad in (core[K.KHN].pk, stranger.pk, "x"):
        response = client.post(url, {"members": [core[K.MUNICIPALITY].pk, bad]})
        assert response.status_code == 200
    assert WorkingGroupMember.objects.count() == 2


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _with_partners(project, n):
    for _i in range(n):
        ParticipationFactory(project=project, interests="Rustige straten.", stage="interested")


def test_guide_pages_keep_their_query_count_with_10_and_200_partners(client_for, project, leader):
    """Prevents an N+1 on the partners in the evidence providers, the support meter, its course
    and the report sections (organisation, signatures, meetings, action items)."""
    complete_project(project, leader)
    client = client_for(leader)
    urls = [
        project.get_absolute_url(),
        reverse("guide", args=[project.pk]),
        reverse("status_report", args=[project.pk]),
        reverse("timeline", args=[project.pk]),
    ]
    _with_partners(project, 6)
    small = [_count(client, url) for url in urls]
    _with_partners(project, 190)
    assert [_count(client, url) for url in urls] == small


def test_overview_keeps_its_query_count_with_more_projects_and_partners(
    client_for, municipality, leader
):
    """Prevents one query per project (or per partner) on the one-page overview."""
    client = client_for(leader)
    first = ProjectFactory(municipality=municipality, project_leader=leader)
    complete_project(first, leader)
    _with_partners(first, 10)
    small = _count(client, reverse("projects_overview"))
    for _i in range(4):
        other = ProjectFactory(municipality=municipality, project_leader=leader)
        complete_project(other, leader)
        _with_partners(other, 50)
    assert _count(client, reverse("projects_overview")) == small


def test_overview_lists_only_my_projects(client_for, project, leader, other_municipality):
    ProjectFactory(municipality=other_municipality, name="Geheim project")
    page = client_for(leader).get(reverse("projects_overview")).text
    assert project.name in page
    assert "Geheim project" not in page
