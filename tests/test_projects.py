"""Projects: creating, editing, the dashboard, and bad input that must change nothing."""

import pytest
from django.urls import reverse

from kvu.models import Membership, Project
from tests.factories import MembershipFactory, MunicipalityFactory, ProjectFactory


def _valid(municipality, leader, **overrides):
    data = {
        "municipality": municipality.pk,
        "name": "KVU Stationsgebied",
        "nightlife_area": "Stationsplein en Stationsstraat",
        "description": "Veel uitgaanders lopen na sluitingstijd naar het station.",
        "ccv_step": 2,
        "start_date": "2026-11-01",
        "project_leader": leader.pk,
    }
    data.update(overrides)
    return data


def test_leader_creates_a_project_and_sees_it_on_the_dashboard(client, municipality, leader):
    client.force_login(leader)
    response = client.post(reverse("project_create"), _valid(municipality, leader))
    project = Project.objects.get(name="KVU Stationsgebied")
    assert response.status_code == 302
    assert response["Location"] == project.get_absolute_url()
    assert project.municipality == municipality
    dashboard = client.get(reverse("dashboard"))
    assert "KVU Stationsgebied" in dashboard.text


def test_editor_may_create_a_project(client, municipality, editor, leader):
    client.force_login(editor)
    response = client.post(reverse("project_create"), _valid(municipality, leader))
    assert response.status_code == 302
    assert Project.objects.filter(name="KVU Stationsgebied").exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Dit veld is verplicht."),
        ("nightlife_area", "", "Dit veld is verplicht."),
        ("name", "x" * 151, "niet meer dan 150 tekens"),
        ("ccv_step", "9", "Selecteer een geldige keuze"),
        ("start_date", "31-31-2026", "Voer een geldige datum in."),
    ],
)
def test_bad_input_gives_a_dutch_message_and_creates_nothing(
    client, municipality, leader, field, value, message
):
    client.force_login(leader)
    response = client.post(
        reverse("project_create"), _valid(municipality, leader, **{field: value})
    )
    assert response.status_code == 200
    assert message in response.text
    assert not Project.objects.exists()


def test_another_municipalitys_id_in_a_post_is_refused(
    client, municipality, other_municipality, leader
):
    client.force_login(leader)
    response = client.post(reverse("project_create"), _valid(other_municipality, leader))
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.text
    assert not Project.objects.exists()


def test_project_leader_from_another_municipality_is_refused(
    client, municipality, leader, outsider
):
    client.force_login(leader)
    response = client.post(reverse("project_create"), _valid(municipality, outsider))
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.text
    assert not Project.objects.exists()


def test_duplicate_project_name_in_a_municipality_is_refused(client, project, leader):
    client.force_login(leader)
    response = client.post(
        reverse("project_create"), _valid(project.municipality, leader, name=project.name)
    )
    assert response.status_code == 200
    assert "Deze gemeente heeft al een project met deze naam." in response.text
    assert Project.objects.count() == 1


def test_edit_keeps_the_municipality_even_when_the_post_names_another(
    client, project, leader, other_municipality
):
    client.force_login(leader)
    data = _valid(project.municipality, leader, name="Nieuwe naam")
    data["municipality"] = other_municipality.pk
    response = client.post(reverse("project_edit", args=[project.pk]), data)
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.name == "Nieuwe naam"
    assert project.municipality_id != other_municipality.pk


def test_viewer_cannot_edit_and_sees_no_edit_button(client, project, viewer):
    client.force_login(viewer)
    page = client.get(project.get_absolute_url())
    assert page.status_code == 200
    assert reverse("project_edit", args=[project.pk]) not in page.text
    response = client.post(reverse("project_edit", args=[project.pk]), {"name": "Gekaapt"})
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.name == "KVU Binnenstad"


def test_leader_sees_the_edit_button(client, project, leader):
    client.force_login(leader)
    page = client.get(project.get_absolute_url())
    assert reverse("project_edit", args=[project.pk]) in page.text


def test_step_bar_shows_seven_steps_with_the_current_one_marked(client, project, leader):
    client.force_login(leader)
    page = client.get(project.get_absolute_url())
    assert page.text.count('class="done"') == 1
    assert page.text.count('aria-current="step"') == 1
    assert "Veiligheidsanalyse" in page.text
    assert "Evaluatie" in page.text


def test_dashboard_groups_projects_by_municipality(client, db):
    user = MembershipFactory(role=Membership.Role.VIEWER).user
    first = user.memberships.get().municipality
    second = MunicipalityFactory(name="Almelo")
    MembershipFactory(user=user, municipality=second, role=Membership.Role.EDITOR)
    ProjectFactory(municipality=first, name="Project A")
    ProjectFactory(municipality=second, name="Project B")
    ProjectFactory(name="Project van een ander")
    client.force_login(user)
    page = client.get(reverse("dashboard")).text
    assert "Gemeente Almelo" in page
    assert f"Gemeente {first.name}" in page
    assert "Project A" in page
    assert "Project B" in page
    assert "Project van een ander" not in page
    assert page.index("Gemeente Almelo") < page.index("Project B")


def test_dashboard_tells_a_user_without_municipality_what_to_do(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    page = client.get(reverse("dashboard")).text
    assert "nog niet gekoppeld aan een gemeente" in page
