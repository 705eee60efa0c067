"""The partners' commitments under the covenant (CCV step 5): services, form, access, the page
"Toezeggingen" grouped by partner with its measures, and its constant query count.

The builders at the top are shared by the other tests of step 5 (tests/test_plans_*.py)."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from analysis.services import start_analysis
from kvu.models import CcvStep
from partners.models import KvuRole, OrganisationKind, Stage
from plans.covenant import services
from plans.covenant.forms import CommitmentForm
from plans.covenant.selectors import commitments_by_partner
from plans.models import Commitment, Measure, Plan
from tests.factories import ParticipationFactory, PersonFactory, ProjectFactory

_names = itertools.count()


def make_plan(project, leader, *, goal="Minder geweld rond sluitingstijd, 20% minder incidenten."):
    """The project's plan of approach (cycle 1) on top of its safety analysis, in step 5."""
    analysis = start_analysis(project=project, user=leader)
    plan = Plan.objects.create(project=project, analysis=analysis, goal=goal, started_by=leader)
    if project.ccv_step < CcvStep.COVENANT:
        project.ccv_step = CcvStep.COVENANT
        project.save()
    return plan


def partner(project, kind, name=None, *, role=None, person=True, stage=Stage.COMMITTED):
    """A partner of the project of this kind, with a contact person who has an e-mail address."""
    name = name or f"{OrganisationKind(kind).label} {next(_names)}"
    extra = {"role": role} if role else {}
    participation = ParticipationFactory(
        project=project, organisation__kind=kind, organisation__name=name, stage=stage, **extra
    )
    if person:
        contact = PersonFactory(
            organisation=participation.organisation,
            name=f"Contact {name}",
            function="vertegenwoordiger",
        )
        participation.main_contact = contact
        participation.save()
    return participation


def measure(plan, responsible, *, title=None, theme="safety"):
    return Measure.objects.create(
        plan=plan,
        theme=theme,
        title=title or f"Maatregel {next(_names)}",
        indicator="geweldsincidenten op vrijdag- en zaterdagnacht",
        unit="per jaar",
        responsible=responsible,
    )


@pytest.fixture
def plan(project, leader):
    return make_plan(project, leader)


@pytest.fixture
def police(project):
    return partner(project, OrganisationKind.POLICE, "Politie Zwolle", role=KvuRole.CORE)


@pytest.fixture
def cafe(project):
    return partner(project, OrganisationKind.HOSPITALITY, "Café De Pijp", role=KvuRole.CORE)


# --- services ---


def test_commitments_are_added_last_and_moved_within_their_partner(plan, police, cafe):
    first = services.add_commitment(plan=plan, participation=police, text=" Surveilleert. ")
    second = services.add_commitment(plan=plan, participation=police, text="Deelt cijfers.")
    other = services.add_commitment(plan=plan, participation=cafe, text="Twee portiers.")
    assert (first.text, first.position, second.position, other.position) == (
        "Surveilleert.",
        0,
        1,
        0,
    )
    assert services.move_commitment(commitment=second, direction="up")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (second.position, first.position) == (0, 1)
    assert not services.move_commitment(commitment=second, direction="up")
    assert not services.move_commitment(commitment=other, direction="down")
    assert not services.move_commitment(commitment=first, direction="sideways")


def test_a_commitment_moved_to_another_partner_goes_last(plan, police, cafe):
    services.add_commitment(plan=plan, participation=cafe, text="Twee portiers.")
    commitment = services.add_commitment(plan=plan, participation=police, text="Controle.")
    services.save_commitment(commitment=commitment, participation=cafe, text="Huisregels.")
    commitment.refresh_from_db()
    assert (commitment.participation, commitment.position) == (cafe, 1)


def test_a_partner_of_another_project_is_refused(plan, municipality):
    stranger = ParticipationFactory(project=ProjectFactory(municipality=municipality))
    with pytest.raises(services.CommitmentError):
        services.add_commitment(plan=plan, participation=stranger, text="Iets.")
    assert not Commitment.objects.exists()


def test_delete_removes_the_commitment(plan, police):
    commitment = services.add_commitment(plan=plan, participation=police, text="Controle.")
    services.delete_commitment(commitment=commitment)
    assert not Commitment.objects.exists()


# --- form ---


def test_form_offers_only_the_projects_partners_that_did_not_decline(plan, police, municipality):
    declined = partner(plan.project, OrganisationKind.TAXI, "Taxi Centraal", stage=Stage.DECLINED)
    ParticipationFactory(project=ProjectFactory(municipality=municipality))
    offered = set(CommitmentForm(plan=plan).fields["participation"].queryset)
    assert offered == {police}
    # A declined partner with a commitment stays on the list, so it can be corrected.
    Commitment.objects.create(plan=plan, participation=declined, text="Rijdt na sluitingstijd.")
    assert declined in set(CommitmentForm(plan=plan).fields["participation"].queryset)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"participation": "", "text": "Iets."}, "participation"),
        ({"participation": "999999", "text": "Iets."}, "participation"),
        ({"participation": "x", "text": "Iets."}, "participation"),
        ({"text": "   "}, "text"),
        ({"text": "x" * 2001}, "text"),
    ],
)
def test_form_refuses_bad_input_with_a_message(plan, police, data, field):
    data = {"participation": str(police.pk), **data}
    with translation.override("en"):
        form = CommitmentForm(data, plan=plan)
        assert not form.is_valid()
        message = form.errors[field][0]
    assert message
    assert "This field" not in message


# --- pages and access ---


def test_leader_adds_edits_moves_and_deletes_commitments(client_for, leader, plan, police):
    client = client_for(leader)
    add = reverse("commitment_add", args=[plan.project_id])
    page = client.get(add, {"partner": police.pk})
    assert page.status_code == 200
    assert page.context["form"].initial["participation"] == str(police.pk)
    response = client.post(
        add, {"participation": police.pk, "text": "Surveilleert in het weekend."}
    )
    commitment = Commitment.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#commitment-{commitment.pk}")
    client.post(add, {"participation": police.pk, "text": "Deelt de incidentcijfers."})
    edit = reverse("commitment_edit", args=[plan.project_id, commitment.pk])
    client.post(edit, {"participation": police.pk, "text": "Surveilleert vrijdag en zaterdag."})
    commitment.refresh_from_db()
    assert commitment.text == "Surveilleert vrijdag en zaterdag."
    move = reverse("commitment_move", args=[plan.project_id, commitment.pk])
    client.post(move, {"direction": "down"})
    commitment.refresh_from_db()
    assert commitment.position == 1
    delete = reverse("commitment_delete", args=[plan.project_id, commitment.pk])
    assert client.get(delete).status_code == 200
    client.post(delete)
    assert list(Commitment.objects.values_list("text", flat=True)) == ["Deelt de incidentcijfers."]


def test_bad_input_changes_nothing_and_says_why(client_for, leader, plan, police):
    client = client_for(leader)
    url = reverse("commitment_add", args=[plan.project_id])
    with translation.override("en"):
        response = client.post(
            url, {"participation": police.pk, "text": ""}, HTTP_ACCEPT_LANGUAGE="en"
        )
    assert response.status_code == 200
    assert not Commitment.objects.exists()
    assert response.context["form"].errors["text"]


def test_page_groups_commitments_by_partner_beside_their_measures(
    client_for, leader, plan, police, cafe
):
    services.add_commitment(plan=plan, participation=cafe, text="Twee gecertificeerde portiers.")
    measure(plan, police, title="Extra surveillance op de Grote Markt")
    html = client_for(leader).get(reverse("commitment_list", args=[plan.project_id])).content
    html = html.decode()
    assert f'id="partner-{cafe.pk}"' in html
    assert f'id="partner-{police.pk}"' in html
    police_part = html.split(f'id="partner-{police.pk}"')[1]
    assert "Extra surveillance op de Grote Markt" in police_part
    assert html.index("Twee gecertificeerde portiers.") > html.index(f'id="partner-{cafe.pk}"')


def test_without_a_plan_the_page_explains_and_changes_are_404(client_for, leader, project):
    client = client_for(leader)
    response = client.get(reverse("commitment_list", args=[project.pk]))
    assert response.status_code == 200
    assert 'id="no-plan-heading"' in response.content.decode()
    assert client.get(reverse("commitment_add", args=[project.pk])).status_code == 404


def test_viewer_reads_but_cannot_change(client_for, viewer, plan, police):
    commitment = services.add_commitment(plan=plan, participation=police, text="Controle.")
    client = client_for(viewer)
    page = client.get(reverse("commitment_list", args=[plan.project_id]))
    assert page.status_code == 200
    assert reverse("commitment_add", args=[plan.project_id]) not in page.content.decode()
    for name, args in (
        ("commitment_add", [plan.project_id]),
        ("commitment_edit", [plan.project_id, commitment.pk]),
        ("commitment_delete", [plan.project_id, commitment.pk]),
        ("commitment_move", [plan.project_id, commitment.pk]),
    ):
        assert client.post(reverse(name, args=args), {"text": "x"}).status_code == 403, name
    assert Commitment.objects.get().text == "Controle."


def test_outsider_gets_404(client_for, outsider, plan, police):
    commitment = services.add_commitment(plan=plan, participation=police, text="Controle.")
    client = client_for(outsider)
    assert client.get(reverse("commitment_list", args=[plan.project_id])).status_code == 404
    edit = reverse("commitment_edit", args=[plan.project_id, commitment.pk])
    assert client.get(edit).status_code == 404


def test_commitment_of_another_project_is_404(client_for, leader, plan, municipality):
    other = ProjectFactory(municipality=municipality)
    other_plan = make_plan(other, leader)
    foreign = services.add_commitment(
        plan=other_plan, participation=partner(other, OrganisationKind.POLICE), text="Elders."
    )
    url = reverse("commitment_edit", args=[plan.project_id, foreign.pk])
    assert client_for(leader).get(url).status_code == 404


# --- queries ---


def _fill(plan, n):
    for _i in range(n):
        participation = partner(plan.project, OrganisationKind.HOSPITALITY)
        for text in ("Portiers.", "Huisregels.", "Geen glas op straat."):
            services.add_commitment(plan=plan, participation=participation, text=text)
        measure(plan, participation)


def test_commitments_by_partner_reads_three_queries(plan, django_assert_num_queries):
    _fill(plan, 5)
    with django_assert_num_queries(3):  # partners, commitments, measures
        groups = commitments_by_partner(plan)
        assert sum(len(g.commitments) for g in groups) == 15


def test_commitments_page_query_count_does_not_grow_with_ten_times_the_data(
    client_for, leader, plan
):
    """Every partner's commitments and measures come from one query each, not one per partner."""
    client = client_for(leader)
    url = reverse("commitment_list", args=[plan.project_id])
    _fill(plan, 2)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    _fill(plan, 18)
    assert count() == few
