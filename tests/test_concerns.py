"""Concerns as a working list: one row per concern, with what the municipality does about it."""

import datetime
import importlib
from types import SimpleNamespace

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from kvu import guide
from partners.concerns import services
from partners.declaration import services as declaration_services
from partners.models import (
    Concern,
    ConcernKind,
    ConcernStatus,
    Declaration,
    KvuRole,
    Stage,
)
from partners.privacy.services import mentions
from tests.declaration_support import invited
from tests.factories import (
    AgreementFactory,
    ConcernFactory,
    MembershipFactory,
    ParticipationFactory,
    PersonFactory,
    UserFactory,
)
from tests.guide_builders import K, core_partners
from tests.test_lost_updates import _open

migration = importlib.import_module("partners.migrations.0010_concerns")


def _agreement_with(participation, **kwargs):
    agreement = AgreementFactory(project=participation.project, **kwargs)
    agreement.participations.add(participation)
    return agreement


def _urls(concern):
    participation = concern.participation
    args = [participation.project_id, participation.pk, concern.pk]
    return reverse("concern_edit", args=args), reverse("concern_delete", args=args)


def _create_url(participation):
    return reverse("concern_create", args=[participation.project_id, participation.pk])


# --- the model ---


def test_an_agreement_with_another_partner_is_refused(partner, project):
    other = ParticipationFactory(project=project)
    concern = Concern(
        participation=partner, kind=ConcernKind.EXTRA_RULES, agreement=_agreement_with(other)
    )
    with pytest.raises(ValidationError) as refused:
        concern.full_clean()
    assert "agreement" in refused.value.error_dict
    concern.agreement = _agreement_with(partner)
    concern.full_clean()  # the partner's own agreement is fine


def test_the_owner_must_be_a_member_of_the_municipality(partner, leader, outsider):
    concern = Concern(participation=partner, kind=ConcernKind.OTHER, owner=outsider)
    with pytest.raises(ValidationError) as refused:
        concern.full_clean()
    assert "owner" in refused.value.error_dict
    concern.owner = leader
    concern.full_clean()


def test_a_due_date_outside_the_bounds_is_refused(partner):
    concern = Concern(
        participation=partner, kind=ConcernKind.OTHER, due_date=datetime.date(1999, 12, 31)
    )
    with pytest.raises(ValidationError) as refused:
        concern.full_clean()
    assert "due_date" in refused.value.error_dict


def test_the_service_validates_like_the_form(partner, project):
    other = ParticipationFactory(project=project)
    with pytest.raises(ValidationError):
        services.add_concern(
            participation=partner, kind=ConcernKind.OTHER, agreement=_agreement_with(other)
        )
    assert not Concern.objects.exists()


def test_still_open_means_open_or_being_addressed(partner):
    for status in ConcernStatus.values:
        ConcernFactory(participation=partner, status=status)
    assert set(Concern.objects.still_open().values_list("status", flat=True)) == {
        ConcernStatus.OPEN,
        ConcernStatus.IN_PROGRESS,
    }


# --- adding, editing, deleting ---


@pytest.mark.parametrize("role", ["leader", "editor"])
def test_leader_and_editor_add_a_concern(client_for, partner, role, request, leader):
    user = request.getfixturevalue(role)
    agreement = _agreement_with(partner)
    response = client_for(user).post(
        _create_url(partner),
        {
            "kind": ConcernKind.EXTRA_COSTS,
            "partner_text": "Portiers kosten geld.",
            "response": "We zoeken een subsidie.",
            "owner": leader.pk,
            "due_date": (timezone.localdate() + datetime.timedelta(days=14)).isoformat(),
            "status": ConcernStatus.IN_PROGRESS,
            "agreement": agreement.pk,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == partner.get_absolute_url()
    concern = Concern.objects.get()
    assert (concern.participation, concern.kind, concern.status) == (
        partner,
        ConcernKind.EXTRA_COSTS,
        ConcernStatus.IN_PROGRESS,
    )
    assert (concern.owner, concern.agreement) == (leader, agreement)
    page = client_for(user).get(partner.get_absolute_url()).text
    assert "Portiers kosten geld." in page
    assert "We zoeken een subsidie." in page


def test_the_form_refuses_an_agreement_of_another_partner(client_for, leader, partner, project):
    other = ParticipationFactory(project=project)
    response = client_for(leader).post(
        _create_url(partner),
        {"kind": ConcernKind.OTHER, "status": "open", "agreement": _agreement_with(other).pk},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["agreement"]
    assert not Concern.objects.exists()


def test_the_form_refuses_an_owner_of_another_municipality(client_for, leader, partner, outsider):
    response = client_for(leader).post(
        _create_url(partner), {"kind": ConcernKind.OTHER, "status": "open", "owner": outsider.pk}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["owner"]
    assert not Concern.objects.exists()


def test_viewer_gets_403_and_outsider_404_on_every_change(client_for, partner, viewer, outsider):
    concern = ConcernFactory(participation=partner)
    edit, delete = _urls(concern)
    data = {"kind": ConcernKind.OTHER, "status": "resolved"}
    for user, status in ((viewer, 403), (outsider, 404)):
        client = client_for(user)
        assert client.get(_create_url(partner)).status_code == status
        assert client.post(_create_url(partner), data).status_code == status
        assert client.get(edit).status_code == status
        assert client.post(edit, data).status_code == status
        assert client.get(delete).status_code == status
        assert client.post(delete).status_code == status
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.OPEN
    assert Concern.objects.count() == 1


def test_a_concern_is_found_only_through_its_own_partner(client_for, leader, partner, project):
    concern = ConcernFactory(participation=partner)
    other = ParticipationFactory(project=project)
    wrong = [project.pk, other.pk, concern.pk]
    client = client_for(leader)
    assert client.get(reverse("concern_edit", args=wrong)).status_code == 404
    assert client.post(reverse("concern_delete", args=wrong)).status_code == 404
    assert client.get(
        reverse("concern_edit", args=[project.pk, partner.pk, 99999])
    ).status_code == (404)
    assert Concern.objects.filter(pk=concern.pk).exists()


def test_editing_a_concern_marks_it_resolved_by_an_agreement(client_for, leader, partner):
    concern = ConcernFactory(participation=partner)
    agreement = _agreement_with(partner)
    edit, _delete = _urls(concern)
    client = client_for(leader)
    form = _open(client, edit)
    form["status"] = [ConcernStatus.RESOLVED]
    form["agreement"] = [str(agreement.pk)]
    form["response"] = ["Controles worden vooraf aangekondigd."]
    assert client.post(edit, form).status_code == 302
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.RESOLVED
    assert concern.agreement == agreement


def test_a_save_over_a_newer_version_is_refused(client_for, leader, editor, partner):
    concern = ConcernFactory(participation=partner, response="")
    edit, _delete = _urls(concern)
    anne = client_for(leader)
    annes_form = _open(anne, edit)
    bert = Client()
    bert.force_login(editor)
    berts_form = _open(bert, edit)
    berts_form["response"] = ["Bert was eerst"]
    assert bert.post(edit, berts_form).status_code == 302
    annes_form["response"] = ["Anne kwam later"]
    response = anne.post(edit, annes_form)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    concern.refresh_from_db()
    assert concern.response == "Bert was eerst"


def test_delete_asks_first_and_then_deletes(client_for, leader, partner):
    concern = ConcernFactory(participation=partner, partner_text="Te veel regels.")
    _edit, delete = _urls(concern)
    client = client_for(leader)
    question = client.get(delete)
    assert question.status_code == 200
    assert "Te veel regels." in question.text
    assert Concern.objects.filter(pk=concern.pk).exists()
    response = client.post(delete, {"next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == partner.get_absolute_url()
    assert not Concern.objects.filter(pk=concern.pk).exists()


def test_next_brings_the_list_back_after_an_edit(client_for, leader, partner, project):
    concern = ConcernFactory(participation=partner)
    edit, _delete = _urls(concern)
    back = reverse("concern_list", args=[project.pk]) + "?status=still_open"
    client = client_for(leader)
    form = _open(client, edit + "?next=" + back.replace("?", "%3F").replace("=", "%3D"))
    form["status"] = [ConcernStatus.UNRESOLVABLE]
    response = client.post(edit, form)
    assert response.status_code == 302
    assert response["Location"] == back


# --- the migration that turned the tick-boxes into rows ---


class _Rows(list):
    """What the migration reads of the old participations: (pk, concerns, concerns_note)."""

    def order_by(self, *fields):
        return self

    def values_list(self, *fields):
        return self

    def iterator(self):
        return iter(self)


def test_the_migration_turns_every_tick_into_an_open_concern(project):
    ticked = ParticipationFactory(project=project)
    note_only = ParticipationFactory(project=project)
    nothing = ParticipationFactory(project=project)
    rows = _Rows(
        [
            (ticked.pk, ["extra_costs", "double_role", "extra_costs", "no such kind"], "Duur."),
            (note_only.pk, [], "  Alleen een toelichting.  "),
            (nothing.pk, [], ""),
        ]
    )
    apps = SimpleNamespace(
        get_model=lambda app, name: (
            SimpleNamespace(objects=rows) if name == "Participation" else Concern
        )
    )
    migration.tick_boxes_to_concerns(apps, None)
    made = list(Concern.objects.order_by("pk").values_list("participation", "kind", "partner_text"))
    assert made == [
        (ticked.pk, "extra_costs", "Duur."),
        (ticked.pk, "double_role", ""),
        (note_only.pk, "other", "Alleen een toelichting."),
    ]
    assert set(Concern.objects.values_list("status", flat=True)) == {"open"}


def test_the_migration_back_keeps_the_open_kinds_and_their_texts(partner):
    ConcernFactory(participation=partner, kind="extra_rules", partner_text="Regels.")
    ConcernFactory(participation=partner, kind="opening_hours", partner_text="Tijden.")
    ConcernFactory(participation=partner, kind="extra_costs", status="resolved")
    saved = []

    class Old(SimpleNamespace):
        def save(self, update_fields):
            saved.append((self.pk, self.concerns, self.concerns_note, update_fields))

    class Participations:
        @staticmethod
        def filter(pk__in):
            return SimpleNamespace(iterator=lambda: iter([Old(pk=pk) for pk in pk__in]))

    apps = SimpleNamespace(
        get_model=lambda app, name: (
            SimpleNamespace(objects=Participations) if name == "Participation" else Concern
        )
    )
    migration.concerns_to_tick_boxes(apps, None)
    assert saved == [
        (
            partner.pk,
            ["extra_rules", "opening_hours"],
            "Regels.\n\nTijden.",
            ["concerns", "concerns_note"],
        )
    ]


# --- a decline on the signing page ---


def _answer(invitation, decision, reason=""):
    return declaration_services.answer_invitation(
        invitation_id=invitation.pk,
        decision=decision,
        signer_name="Jan de Boer",
        signer_function="eigenaar",
        decline_reason=reason,
        text_sha256=Declaration.objects.get(pk=invitation.declaration_id).text_sha256,
        ip="192.0.2.1",
        user_agent="pytest",
    )


def test_a_decline_reason_becomes_an_open_concern_of_that_partner(project, leader):
    invitation, _token = invited(project, leader=leader)
    _answer(invitation, "declined", "  Wij wachten eerst de veiligheidsanalyse af.  ")
    concern = Concern.objects.get()
    assert concern.participation_id == invitation.participation_id
    assert (concern.kind, concern.status) == (ConcernKind.OTHER, ConcernStatus.OPEN)
    assert concern.partner_text == "Wij wachten eerst de veiligheidsanalyse af."


def test_signing_makes_no_concern(project, leader):
    invitation, _token = invited(project, leader=leader)
    _answer(invitation, "signed")
    assert not Concern.objects.exists()


def test_an_empty_decline_reason_makes_no_concern(partner):
    assert services.record_decline_reason(participation=partner, reason="   ") is None
    assert not Concern.objects.exists()


# --- the project's list ---


def _list(client, project, query=""):
    return client.get(reverse("concern_list", args=[project.pk]) + query)


def test_the_list_filters_by_status_and_kind(client_for, viewer, project):
    cafe = ParticipationFactory(project=project, organisation__name="Café Eén")
    club = ParticipationFactory(project=project, organisation__name="Club Twee")
    ConcernFactory(participation=cafe, kind="extra_costs", partner_text="Kosten-open")
    ConcernFactory(
        participation=club, kind="extra_rules", partner_text="Regels-bezig", status="in_progress"
    )
    ConcernFactory(
        participation=club, kind="extra_costs", partner_text="Kosten-opgelost", status="resolved"
    )
    client = client_for(viewer)

    def shown(query):
        page = _list(client, project, query)
        assert page.status_code == 200
        return {
            text for text in ("Kosten-open", "Regels-bezig", "Kosten-opgelost") if text in page.text
        }

    assert shown("") == {"Kosten-open", "Regels-bezig", "Kosten-opgelost"}
    assert shown("?status=still_open") == {"Kosten-open", "Regels-bezig"}
    assert shown("?status=resolved") == {"Kosten-opgelost"}
    assert shown("?kind=extra_costs") == {"Kosten-open", "Kosten-opgelost"}
    assert shown("?kind=extra_costs&status=open") == {"Kosten-open"}
    assert shown("?partner=club") == {"Regels-bezig", "Kosten-opgelost"}
    # Nonsense filters are refused with a message, never a server error.
    assert _list(client, project, "?status=bogus&kind=<b>&page=x").status_code == 200


def test_the_list_shows_only_the_projects_own_concerns(client_for, leader, partner, outsider):
    ConcernFactory(participation=partner, partner_text="Van dit project")
    ConcernFactory(partner_text="Van een ander project")
    page = _list(client_for(leader), partner.project).text
    assert "Van dit project" in page
    assert "Van een ander project" not in page
    assert _list(client_for(outsider), partner.project).status_code == 404


def test_the_list_is_paged(client_for, leader, partner):
    for i in range(30):
        ConcernFactory(participation=partner, partner_text=f"Zorg nummer {i:02d}")
    client = client_for(leader)
    first = _list(client, partner.project).text
    second = _list(client, partner.project, "?page=2").text
    assert sum(f"Zorg nummer {i:02d}" in first for i in range(30)) == 25
    assert sum(f"Zorg nummer {i:02d}" in second for i in range(30)) == 5


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _concerns_of_many_partners(project, users, n):
    agreement = AgreementFactory(project=project)
    for i in range(n):
        participation = ParticipationFactory(project=project)
        agreement.participations.add(participation)
        ConcernFactory(
            participation=participation,
            owner=users[i % len(users)],
            agreement=agreement,
            due_date=timezone.localdate(),
            status=ConcernStatus.values[i % 4],
        )


def test_the_list_keeps_its_query_count_with_ten_times_the_concerns(client_for, leader, project):
    """Prevents an N+1 on each row's partner, owner and agreement."""
    users = [leader] + [
        MembershipFactory(municipality=project.municipality).user for _i in range(3)
    ]
    client = client_for(leader)
    url = reverse("concern_list", args=[project.pk])
    _concerns_of_many_partners(project, users, 3)
    _count(client, url)  # warm-up: the session, the content types
    small = _count(client, url)
    _concerns_of_many_partners(project, users, 27)
    assert _count(client, url) == small
    assert _count(client, url + "?status=still_open&kind=extra_costs") == small


def test_the_participation_page_keeps_its_query_count_with_many_concerns(
    client_for, leader, partner
):
    """Prevents an N+1 on the owner and agreement of each concern on the partner's page."""
    client = client_for(leader)
    ConcernFactory(participation=partner, owner=leader, agreement=_agreement_with(partner))
    _count(client, partner.get_absolute_url())
    small = _count(client, partner.get_absolute_url())
    for _i in range(30):
        ConcernFactory(participation=partner, owner=leader, agreement=_agreement_with(partner))
    page = client.get(partner.get_absolute_url())
    assert page.context["concerns"]["more"]
    assert len(page.context["concerns"]["items"]) == 20
    assert _count(client, partner.get_absolute_url()) == small


def test_the_partner_page_lists_open_concerns_first(client_for, leader, partner):
    ConcernFactory(participation=partner, partner_text="Al opgelost", status="resolved")
    ConcernFactory(participation=partner, partner_text="Nog open", status="open")
    items = client_for(leader).get(partner.get_absolute_url()).context["concerns"]["items"]
    assert [c.partner_text for c in items] == ["Nog open", "Al opgelost"]


# --- the overview, the report and the guide ---


def test_the_overview_shows_open_concerns_bounded_with_a_count(client_for, viewer, project):
    from partners.panels import OVERVIEW_LIMIT

    partner = ParticipationFactory(project=project, organisation__name="Café Zorgvuldig")
    ConcernFactory(participation=partner, status="resolved", kind="extra_rules")
    for _i in range(17):
        ConcernFactory(participation=partner, status="open", kind="extra_costs")
    page = client_for(viewer).get(project.get_absolute_url()).text
    assert 'id="concerns-panel-heading"' in page
    assert page.count('class="mb-1 concern"') == OVERVIEW_LIMIT
    assert "Café Zorgvuldig" in page
    assert reverse("concern_list", args=[project.pk]) + "?status=still_open" in page
    assert f"en nog {17 - OVERVIEW_LIMIT}: alle openstaande zorgen" in page
    assert "17 zorgen van partners staan nog open of worden opgepakt." in page


def test_the_overview_says_when_nothing_is_open(client_for, viewer, partner):
    ConcernFactory(participation=partner, status="resolved")
    page = client_for(viewer).get(partner.project.get_absolute_url()).text
    assert 'id="concerns-panel-heading"' in page
    assert 'class="mb-1 concern"' not in page


def test_the_status_report_shows_the_open_concerns(client_for, viewer, project):
    cafe = ParticipationFactory(project=project, organisation__name="Bar Rapport")
    ConcernFactory(participation=cafe, kind="double_role", partner_text="Handhaver en partner?")
    ConcernFactory(
        participation=cafe, kind="extra_rules", partner_text="Opgelost al", status="resolved"
    )
    for _i in range(11):
        ConcernFactory(participation=ParticipationFactory(project=project), kind="extra_costs")
    response = client_for(viewer).get(reverse("status_report", args=[project.pk]))
    page = response.text
    assert 'id="r-concerns"' in page
    assert "Handhaver en partner?" in page
    assert "Opgelost al" not in page
    assert page.count('class="report-concern"') == 10
    assert "?status=still_open" in page  # the link to the rest


def test_the_status_report_pdf_renders_with_concerns(client_for, leader, partner):
    ConcernFactory(participation=partner, partner_text="In de PDF")
    response = client_for(leader).get(reverse("status_report_pdf", args=[partner.project_id]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def _step(project, key="interests"):
    state = guide.evaluate([project])[project.pk]
    return next(s for s in state.steps if s.step.key == key)


def test_the_guide_counts_a_recorded_concern_as_recorded_interests(project):
    core_partners(project, Stage.INTERESTED, interests="Minder overlast.")
    club = ParticipationFactory(
        project=project,
        organisation__kind=K.HOSPITALITY,
        role=KvuRole.CORE,
        stage=Stage.INTERESTED,
        interests="",
    )
    assert not _step(project).done
    ConcernFactory(participation=club, status=ConcernStatus.RESOLVED)
    with translation.override("en"):
        evidence = _step(project).evidence[0]
    assert _step(project).done
    assert evidence.text == "5 of 5 core partners have their interests or concerns recorded."
    assert evidence.url == reverse("partner_list", args=[project.pk])


def test_the_guide_evidence_names_the_open_concerns_and_links_to_them(project):
    participation = core_partners(project, Stage.INTERESTED)[K.KHN]
    ConcernFactory(participation=participation)
    ConcernFactory(participation=participation, status=ConcernStatus.IN_PROGRESS)
    ConcernFactory(participation=participation, status=ConcernStatus.RESOLVED)
    with translation.override("en"):
        evidence = _step(project).evidence[0]
        assert "2 concerns are still open" in evidence.text
    assert evidence.url == reverse("concern_list", args=[project.pk]) + "?status=still_open"


def test_the_guide_keeps_its_query_count_with_more_concerns(project):
    core_partners(project, Stage.INTERESTED, interests="")
    participation = project.participations.first()
    ConcernFactory(participation=participation)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            guide.evaluate([project])
        return len(ctx.captured_queries)

    small = count()
    for p in project.participations.all():
        for _i in range(5):
            ConcernFactory(participation=p)
    assert count() == small


# --- privacy ---


def test_anonymising_lists_concern_texts_that_name_the_person(partner):
    person = PersonFactory(organisation=partner.organisation, name="Gerrit Oude Egberink")
    ConcernFactory(participation=partner, partner_text="Gerrit Oude Egberink vreest de kosten.")
    ConcernFactory(participation=partner, response="Bellen met Gerrit Oude Egberink.")
    ConcernFactory(participation=partner, partner_text="Niemand genoemd.")
    found = sorted(
        m.key.split(":")[2] for m in mentions(person) if m.key.startswith("partners.concern:")
    )
    assert found == ["partner_text", "response"]
    assert all(m.url == partner.get_absolute_url() for m in mentions(person) if "concern" in m.key)


def test_the_audit_trail_records_a_concern_of_the_partners_municipality(partner):
    concern = services.add_concern(participation=partner, kind=ConcernKind.OTHER)
    entry = LogEntry.objects.get_for_object(concern).get()
    assert entry.additional_data["municipality_id"] == partner.project.municipality_id


def test_a_user_without_membership_is_not_offered_as_owner(client_for, leader, partner):
    stranger = UserFactory(username="vreemde")
    form = client_for(leader).get(_create_url(partner)).context["form"]
    owners = set(form.fields["owner"].queryset)
    assert leader in owners
    assert stranger not in owners
