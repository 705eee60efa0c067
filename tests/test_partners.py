"""Partners of a project: adding, the board, stages, the participation page and its forms."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.models import (
    Agreement,
    Concern,
    ConcernKind,
    ContactMoment,
    KvuRole,
    Organisation,
    OrganisationKind,
    Participation,
    Person,
    Stage,
    StageChange,
)
from tests.factories import (
    AgreementFactory,
    ContactMomentFactory,
    OrganisationFactory,
    ParticipationFactory,
    PersonFactory,
    ProjectFactory,
)


@pytest.fixture
def foreign_partner(other_municipality):
    """A participation in a project of another municipality."""
    return ParticipationFactory(
        project=ProjectFactory(municipality=other_municipality),
        organisation__name="Café Buitenland",
    )


def _url(name, participation, **extra):
    return reverse(
        name, kwargs={"project_pk": participation.project_id, "pk": participation.pk, **extra}
    )


# Adding partners


def test_adding_an_existing_organisation_takes_the_role_from_its_kind(client_for, leader, project):
    police = OrganisationFactory(municipality=project.municipality, kind=OrganisationKind.POLICE)
    response = client_for(leader).post(
        reverse("participation_add", args=[project.pk]),
        {"which": "existing", "existing-organisation": police.pk, "existing-stage": "approached"},
    )
    participation = Participation.objects.get(project=project, organisation=police)
    assert response.status_code == 302
    assert participation.role == KvuRole.CORE
    assert participation.stage == Stage.APPROACHED
    change = participation.stage_changes.get()
    assert (change.from_stage, change.to_stage, change.changed_by) == ("", "approached", leader)


def test_a_new_organisation_is_created_in_place_in_the_projects_municipality(
    client_for, editor, project
):
    response = client_for(editor).post(
        reverse("participation_add", args=[project.pk]),
        {
            "which": "new",
            "new-name": "Taxi Zwolle",
            "new-kind": OrganisationKind.TAXI,
            "new-postcode": "8011ab",
            "new-stage": Stage.NOT_APPROACHED,
        },
    )
    assert response.status_code == 302
    org = Organisation.objects.get(name="Taxi Zwolle")
    assert org.municipality == project.municipality
    assert org.postcode == "8011 AB"
    assert Participation.objects.get(organisation=org).role == KvuRole.OPTIONAL


def test_an_explicit_role_overrides_the_default(client_for, leader, project):
    client_for(leader).post(
        reverse("participation_add", args=[project.pk]),
        {
            "which": "new",
            "new-name": "Brandweer IJsselland",
            "new-kind": OrganisationKind.FIRE_SERVICE,
            "new-role": KvuRole.CORE,
            "new-stage": Stage.NOT_APPROACHED,
        },
    )
    assert Participation.objects.get(organisation__name="Brandweer IJsselland").role == "core"


def test_an_organisation_of_another_municipality_cannot_be_added(
    client_for, leader, project, other_municipality
):
    foreign = OrganisationFactory(municipality=other_municipality)
    response = client_for(leader).post(
        reverse("participation_add", args=[project.pk]),
        {"which": "existing", "existing-organisation": foreign.pk, "existing-stage": "approached"},
    )
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.text
    assert not Participation.objects.filter(organisation=foreign).exists()


def test_bad_input_for_a_new_organisation_gives_dutch_messages(client_for, leader, project):
    OrganisationFactory(municipality=project.municipality, kvk_number="12345678")
    response = client_for(leader).post(
        reverse("participation_add", args=[project.pk]),
        {
            "which": "new",
            "new-name": "",
            "new-kind": "nachtclub",
            "new-postcode": "12345",
            "new-kvk_number": "12345678",
            "new-stage": Stage.NOT_APPROACHED,
        },
    )
    assert response.status_code == 200
    text = response.text
    assert "Dit veld is verplicht" in text
    assert "Vul een Nederlandse postcode in" in text
    assert "Deze gemeente heeft al een organisatie met dit KvK-nummer" in text
    assert Organisation.objects.count() == 1


def test_a_kvk_number_must_have_eight_digits(client_for, leader, project):
    response = client_for(leader).post(
        reverse("participation_add", args=[project.pk]),
        {
            "which": "new",
            "new-name": "Café Het Hoekje",
            "new-kind": OrganisationKind.HOSPITALITY,
            "new-kvk_number": "1234",
            "new-stage": Stage.NOT_APPROACHED,
        },
    )
    assert "Een KvK-nummer bestaat uit precies acht cijfers" in response.text
    assert not Organisation.objects.exists()


def test_a_participation_is_unique_per_project_so_added_organisations_are_not_offered(
    client_for, leader, partner
):
    response = client_for(leader).get(reverse("participation_add", args=[partner.project_id]))
    assert "Café De Pijp" not in response.text


# Stages


def test_moving_a_card_records_the_stage_change(client_for, leader, partner):
    board = reverse("partner_board", args=[partner.project_id])
    response = client_for(leader).post(
        _url("participation_stage", partner), {"stage": Stage.INTERESTED, "next": board}
    )
    assert response.status_code == 302
    assert response["Location"] == board
    partner.refresh_from_db()
    assert partner.stage == Stage.INTERESTED
    change = StageChange.objects.get(participation=partner)
    assert (change.from_stage, change.to_stage, change.changed_by) == (
        Stage.NOT_APPROACHED,
        Stage.INTERESTED,
        leader,
    )


def test_moving_to_the_same_stage_records_nothing_and_says_so(client_for, leader, partner):
    response = client_for(leader).post(
        _url("participation_stage", partner), {"stage": partner.stage}, follow=True
    )
    assert not StageChange.objects.exists()
    assert (
        "Café De Pijp staat al in de fase “nog niet benaderd”; er is niets gewijzigd."
        in response.text
    )


def test_an_unknown_stage_changes_nothing_and_says_so_in_dutch(client_for, leader, partner):
    response = client_for(leader).post(
        _url("participation_stage", partner), {"stage": "gewonnen"}, follow=True
    )
    partner.refresh_from_db()
    assert partner.stage == Stage.NOT_APPROACHED
    assert "Kies een van de fases; er is niets gewijzigd." in response.text


def test_an_offsite_next_url_is_ignored(client_for, leader, partner):
    response = client_for(leader).post(
        _url("participation_stage", partner),
        {"stage": Stage.APPROACHED, "next": "https://evil.example/"},
    )
    assert response["Location"] == partner.get_absolute_url()


def test_the_board_has_a_column_per_stage_and_a_move_form_per_card(client_for, leader, partner):
    response = client_for(leader).get(reverse("partner_board", args=[partner.project_id]))
    text = response.text
    for label in ("Nog niet benaderd", "Benaderd", "Geïnteresseerd", "Toegezegd", "Getekend"):
        assert label in text
    assert _url("participation_stage", partner) in text


def test_a_full_column_shows_its_first_cards_and_links_to_the_list_for_the_rest(
    client_for, viewer, project
):
    from partners.views import BOARD_CARDS_PER_STAGE

    extra = 3
    for number in range(BOARD_CARDS_PER_STAGE + extra):
        ParticipationFactory(
            project=project, organisation__name=f"Café {number:02d}", stage=Stage.INTERESTED
        )
    ParticipationFactory(project=project, organisation__name="Politie", stage=Stage.COMMITTED)
    response = client_for(viewer).get(reverse("partner_board", args=[project.pk]))
    columns = {column["stage"]: column for column in response.context["columns"]}
    interested = columns[Stage.INTERESTED]
    assert [p.organisation.name for p in interested["cards"]] == [
        f"Café {number:02d}" for number in range(BOARD_CARDS_PER_STAGE)
    ]
    assert (interested["total"], interested["hidden"]) == (BOARD_CARDS_PER_STAGE + extra, extra)
    assert (columns[Stage.COMMITTED]["total"], columns[Stage.COMMITTED]["hidden"]) == (1, 0)
    list_url = reverse("partner_list", args=[project.pk]) + "?stage=interested"
    assert list_url in response.text
    assert f"Alle {BOARD_CARDS_PER_STAGE + extra} partners" in response.text
    assert f"Café {BOARD_CARDS_PER_STAGE + extra - 1:02d}" not in response.text


def test_the_list_is_paged(client_for, viewer, project):
    from partners.views import PARTNER_PAGE_SIZE

    for number in range(PARTNER_PAGE_SIZE + 2):
        ParticipationFactory(project=project, organisation__name=f"Café {number:03d}")
    client = client_for(viewer)
    url = reverse("partner_list", args=[project.pk])
    first = client.get(url, {"order": "name"})
    assert len(first.context["page"].object_list) == PARTNER_PAGE_SIZE
    assert "52 partners" in first.text
    second = client.get(url, {"order": "name", "page": 2})
    assert [p.organisation.name for p in second.context["page"].object_list] == [
        "Café 050",
        "Café 051",
    ]
    assert client.get(url, {"page": "x"}).status_code == 200


def test_a_viewer_sees_the_board_without_move_forms(client_for, viewer, partner):
    response = client_for(viewer).get(reverse("partner_board", args=[partner.project_id]))
    assert response.status_code == 200
    assert "Café De Pijp" in response.text
    assert _url("participation_stage", partner) not in response.text


def test_a_participation_of_another_project_is_404_under_this_project(
    client_for, leader, project, foreign_partner
):
    url = reverse(
        "participation_detail", kwargs={"project_pk": project.pk, "pk": foreign_partner.pk}
    )
    assert client_for(leader).get(url).status_code == 404
    url = reverse(
        "participation_stage", kwargs={"project_pk": project.pk, "pk": foreign_partner.pk}
    )
    assert client_for(leader).post(url, {"stage": "declined"}).status_code == 404
    foreign_partner.refresh_from_db()
    assert foreign_partner.stage == Stage.NOT_APPROACHED


# Participation page and its forms


def test_the_participation_page_shows_persons_history_concerns_agreements_and_timeline(
    client_for, viewer, partner, leader
):
    PersonFactory(organisation=partner.organisation, name="Jan Pijpers", function="eigenaar")
    Concern.objects.create(participation=partner, kind=ConcernKind.EXTRA_COSTS)
    partner.interests = "Langer open op zaterdag."
    partner.save()
    StageChange.objects.create(
        participation=partner, from_stage="not_approached", to_stage="approached", changed_by=leader
    )
    agreement = AgreementFactory(
        project=partner.project, recorded_by=leader, about_double_role=True
    )
    agreement.participations.add(partner)
    ContactMomentFactory(participation=partner, summary="Eerste belletje over de KVU.")
    text = client_for(viewer).get(partner.get_absolute_url()).text
    for expected in (
        "Jan Pijpers",
        "Langer open op zaterdag.",
        "extra kosten",
        agreement.text,
        "over de dubbele rol van de gemeente",
        "Eerste belletje over de KVU.",
        "Benaderd",
    ):
        assert expected.lower() in text.lower(), expected
    assert "Contact vastleggen" not in text  # a viewer gets no forms


def test_the_partner_form_saves_scores_and_interests_and_has_no_concern_tick_boxes(
    client_for, leader, partner
):
    """Concerns are rows of their own now (tests/test_concerns.py): old tick-box input is
    ignored and creates none."""
    response = client_for(leader).post(
        _url("participation_edit", partner),
        {
            "role": KvuRole.CORE,
            "concerns": [ConcernKind.EXTRA_RULES, ConcernKind.OPENING_HOURS],
            "influence": "4",
            "interest_level": "2",
            "interests": "Langere openingstijden",
        },
    )
    assert response.status_code == 302
    partner.refresh_from_db()
    assert (partner.influence, partner.interest_level) == (4, 2)
    assert partner.interests == "Langere openingstijden"
    assert not Concern.objects.filter(participation=partner).exists()
    form_page = client_for(leader).get(_url("participation_edit", partner)).text
    assert 'name="concerns"' not in form_page


def test_bad_scores_change_nothing(client_for, leader, partner):
    response = client_for(leader).post(
        _url("participation_edit", partner), {"role": KvuRole.CORE, "influence": "9"}
    )
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.text
    partner.refresh_from_db()
    assert partner.influence is None


def test_main_contact_of_another_organisation_is_refused(
    client_for, leader, partner, foreign_partner
):
    stranger = PersonFactory(organisation=foreign_partner.organisation)
    colleague = PersonFactory(
        organisation=OrganisationFactory(municipality=partner.project.municipality)
    )
    for person in (stranger, colleague):
        response = client_for(leader).post(
            _url("participation_edit", partner), {"role": KvuRole.CORE, "main_contact": person.pk}
        )
        assert response.status_code == 200
        assert "Selecteer een geldige keuze" in response.text
    partner.refresh_from_db()
    assert partner.main_contact is None


def test_a_contact_is_logged_with_the_persons_spoken_to(client_for, leader, partner):
    person = PersonFactory(organisation=partner.organisation)
    response = client_for(leader).post(
        _url("contact_create", partner),
        {
            "contact-occurred_at": "2026-11-20T14:30",
            "contact-channel": "phone",
            "contact-direction": "outgoing",
            "contact-persons": [person.pk],
            "contact-summary": "Uitleg over de KVU gegeven.",
            "contact-follow_up_on": "2026-12-01",
        },
    )
    assert response.status_code == 302
    moment = ContactMoment.objects.get()
    assert moment.recorded_by == leader
    assert list(moment.persons.all()) == [person]
    assert moment.follow_up_on == datetime.date(2026, 12, 1)


def test_persons_of_another_organisation_cannot_be_named_in_a_contact(
    client_for, leader, partner, foreign_partner
):
    PersonFactory(organisation=partner.organisation)
    stranger = PersonFactory(organisation=foreign_partner.organisation)
    response = client_for(leader).post(
        _url("contact_create", partner),
        {
            "contact-occurred_at": "2026-11-20T14:30",
            "contact-channel": "phone",
            "contact-direction": "outgoing",
            "contact-persons": [stranger.pk],
            "contact-summary": "Uitleg.",
        },
    )
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.text
    assert not ContactMoment.objects.exists()


def test_an_empty_contact_gives_dutch_messages(client_for, leader, partner):
    response = client_for(leader).post(_url("contact_create", partner), {"contact-channel": "fax"})
    assert response.status_code == 200
    assert "Dit veld is verplicht" in response.text
    assert "Selecteer een geldige keuze" in response.text
    assert not ContactMoment.objects.exists()


def test_an_agreement_is_recorded_with_who_and_when(client_for, editor, partner):
    response = client_for(editor).post(
        _url("agreement_create", partner),
        {
            "agreement-date": "2026-11-15",
            "agreement-text": "Controles worden vooraf aangekondigd.",
            "agreement-about_double_role": "on",
        },
    )
    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert agreement.recorded_by == editor
    assert agreement.about_double_role
    assert list(agreement.participations.all()) == [partner]
    assert agreement.project == partner.project


def test_an_agreement_is_recorded_on_its_own_page_linked_from_the_partner(
    client_for, editor, partner
):
    client = client_for(editor)
    url = _url("agreement_create", partner)
    assert f'href="{url}"' in client.get(partner.get_absolute_url()).text
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="agreement-text"' in page.text
    assert "Afspraak vastleggen" in page.text


def test_an_agreement_without_text_is_refused(client_for, editor, partner):
    response = client_for(editor).post(
        _url("agreement_create", partner), {"agreement-date": "gisteren"}
    )
    assert response.status_code == 200
    assert "Voer een geldige datum in." in response.text
    assert "Er is niets opgeslagen" in response.text
    assert not Agreement.objects.exists()


# Persons and organisations


def test_a_person_is_added_and_becomes_main_contact(client_for, leader, partner):
    response = client_for(leader).post(
        _url("person_create", partner),
        {"name": "Sanne Pijpers", "function": "bedrijfsleider", "make_main_contact": "1"},
    )
    assert response.status_code == 302
    person = Person.objects.get(name="Sanne Pijpers")
    assert person.organisation == partner.organisation
    partner.refresh_from_db()
    assert partner.main_contact == person


def test_a_person_with_a_bad_email_is_refused_in_dutch(client_for, leader, partner):
    response = client_for(leader).post(
        _url("person_create", partner), {"name": "Sanne", "email": "geen-adres"}
    )
    assert "Voer een geldig e-mailadres in." in response.text
    assert not Person.objects.exists()


def test_a_person_of_another_organisation_cannot_be_edited_through_this_partner(
    client_for, leader, partner, foreign_partner
):
    stranger = PersonFactory(organisation=foreign_partner.organisation, name="Vreemde")
    neighbour = PersonFactory(
        organisation=OrganisationFactory(municipality=partner.project.municipality)
    )
    for person in (stranger, neighbour):
        url = _url("person_edit", partner, person_pk=person.pk)
        assert client_for(leader).post(url, {"name": "Gewijzigd"}).status_code == 404
    assert not Person.objects.filter(name="Gewijzigd").exists()


def test_an_organisation_is_edited_and_deactivated_not_deleted(client_for, leader, partner):
    client = client_for(leader)
    response = client.post(
        _url("organisation_edit", partner),
        {"name": "Café De Pijp BV", "kind": OrganisationKind.HOSPITALITY, "postcode": "7511HN"},
    )
    assert response.status_code == 302
    response = client.post(_url("organisation_set_active", partner), {"active": "0"}, follow=True)
    assert "De organisatie is gedeactiveerd" in response.text
    org = Organisation.objects.get(pk=partner.organisation_id)
    assert (org.name, org.postcode, org.is_active) == ("Café De Pijp BV", "7511 HN", False)
    other_project = ProjectFactory(municipality=partner.project.municipality)
    add_page = client.get(reverse("participation_add", args=[other_project.pk])).text
    assert "Café De Pijp BV" not in add_page
    client.post(_url("organisation_set_active", partner), {"active": "1"})
    org.refresh_from_db()
    assert org.is_active


# Lists, grid, panels


def test_the_list_filters_on_stage_kind_role_and_search_and_sorts(client_for, viewer, project):
    ParticipationFactory(
        project=project, organisation__name="Politie Zwolle", organisation__kind="police"
    )
    ParticipationFactory(project=project, organisation__name="Café Zon", stage=Stage.INTERESTED)
    ParticipationFactory(project=project, organisation__name="Café Maan")
    client = client_for(viewer)
    url = reverse("partner_list", args=[project.pk])

    def names(params):
        page = client.get(url, params).context["page"]
        return [p.organisation.name for p in page.object_list]

    assert names({"stage": "interested"}) == ["Café Zon"]
    assert names({"kind": "police"}) == ["Politie Zwolle"]
    assert names({"role": "core", "q": "café"}) == ["Café Maan", "Café Zon"]
    assert names({"order": "-name"}) == ["Politie Zwolle", "Café Zon", "Café Maan"]


def test_the_grid_puts_each_partner_in_its_quadrant(client_for, viewer, project):
    for name, influence, interest in [
        ("Politie", 5, 5),
        ("OM", 4, 1),
        ("Bewoners", 1, 5),
        ("Taxi", 1, 1),
        ("Nieuw", None, None),
    ]:
        ParticipationFactory(
            project=project,
            organisation__name=name,
            influence=influence,
            interest_level=interest,
        )
    context = client_for(viewer).get(reverse("partner_grid", args=[project.pk])).context
    placed = {
        key: [p.organisation.name for p in quadrant["partners"]]
        for key, quadrant in context["quadrants"].items()
    }
    assert placed == {
        "manage": ["Politie"],
        "satisfied": ["OM"],
        "informed": ["Bewoners"],
        "monitor": ["Taxi"],
    }
    assert [p.organisation.name for p in context["unscored"]] == ["Nieuw"]
    assert (
        "Nauw betrekken" in client_for(viewer).get(reverse("partner_grid", args=[project.pk])).text
    )


def test_the_project_overview_counts_stages_and_lists_uncommitted_core_partners(
    client_for, viewer, project
):
    ParticipationFactory(project=project, organisation__name="Politie", stage=Stage.COMMITTED)
    ParticipationFactory(project=project, organisation__name="KHN Zwolle", stage=Stage.APPROACHED)
    ParticipationFactory(
        project=project,
        organisation__name="Taxi",
        organisation__kind=OrganisationKind.TAXI,
        stage=Stage.APPROACHED,
    )
    text = client_for(viewer).get(project.get_absolute_url()).text
    assert "3 partners op de lijst." in text
    section = text.split("Kernpartners die nog niet hebben toegezegd")[1].split("</ul>")[0]
    assert "KHN Zwolle" in section
    assert "Politie" not in section
    assert "Taxi" not in section
    assert '<span class="fw-semibold">2</span> benaderd' in text


def test_the_project_nav_has_partners_and_log_tabs(client_for, viewer, project):
    text = client_for(viewer).get(project.get_absolute_url()).text
    assert reverse("partner_board", args=[project.pk]) in text
    assert reverse("contact_log", args=[project.pk]) in text
    assert ">Logboek<" in text


def test_dashboard_shows_overdue_and_upcoming_follow_ups_of_my_projects_only(
    client_for, leader, partner, foreign_partner
):
    today = timezone.localdate()
    ContactMomentFactory(
        participation=partner, summary="Te laat", follow_up_on=today - datetime.timedelta(days=3)
    )
    ContactMomentFactory(
        participation=partner, summary="Binnenkort", follow_up_on=today + datetime.timedelta(days=3)
    )
    ContactMomentFactory(
        participation=partner,
        summary="Al gedaan",
        follow_up_on=today - datetime.timedelta(days=1),
        follow_up_done=True,
    )
    ContactMomentFactory(participation=foreign_partner, summary="Elders", follow_up_on=today)
    text = client_for(leader).get(reverse("dashboard")).text
    overdue, upcoming = text.split("Komende twee weken")
    assert "Te laat" in overdue.split("Opvolgingen")[-1]
    assert "Binnenkort" in upcoming
    assert "Al gedaan" not in text
    assert "Elders" not in text


def test_overview_shows_the_most_urgent_follow_ups_of_each_kind_and_links_to_the_rest(
    client_for, leader, partner
):
    """Many overdue follow-ups never push the upcoming ones out of the overview."""
    from partners.panels import OVERVIEW_LIMIT

    today = timezone.localdate()
    for days in range(OVERVIEW_LIMIT + 2):
        ContactMomentFactory(
            participation=partner,
            summary=f"Achterstand {days:02d}",
            follow_up_on=today - datetime.timedelta(days=30 - days),
        )
    ContactMomentFactory(
        participation=partner, summary="Volgende week", follow_up_on=today + datetime.timedelta(7)
    )
    ContactMomentFactory(
        participation=partner, summary="Veel later", follow_up_on=today + datetime.timedelta(60)
    )
    project = partner.project
    text = client_for(leader).get(reverse("project_detail", args=[project.pk])).text
    shown = [f"Achterstand {days:02d}" in text for days in range(OVERVIEW_LIMIT + 2)]
    assert shown == [True] * OVERVIEW_LIMIT + [False, False]  # the oldest first
    assert "Volgende week" in text
    assert "Veel later" not in text  # beyond the two weeks
    link = f"{reverse('contact_log', args=[project.pk])}?open_follow_up=true"
    assert text.count(link) == 1  # only the overdue list has more than it shows


def test_demo_has_a_full_preparatory_phase_for_enschede_and_a_smaller_one_for_apeldoorn(
    db, settings
):
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    enschede = Participation.objects.filter(project__name="KVU Binnenstad Enschede")
    assert 14 <= enschede.count() <= 20
    assert set(enschede.values_list("organisation__kind", flat=True)) == set(
        OrganisationKind.values
    )
    assert set(enschede.values_list("stage", flat=True)) == set(Stage.values)
    assert enschede.exclude(interests="").count() >= 8
    concerns = Concern.objects.filter(participation__in=enschede)
    assert concerns.values("participation").distinct().count() >= 5
    assert concerns.filter(status="open").exists()
    assert concerns.filter(status="in_progress").exists()
    assert concerns.filter(status="resolved", agreement__isnull=False).exists()
    today = timezone.localdate()
    moments = ContactMoment.objects.filter(participation__in=enschede)
    assert moments.count() >= 24
    assert moments.follow_ups_open().filter(follow_up_on__lt=today).exists()
    assert moments.follow_ups_open().filter(follow_up_on__gte=today).exists()
    assert Agreement.objects.filter(
        project__name="KVU Binnenstad Enschede", about_double_role=True
    ).exists()
    apeldoorn = Participation.objects.filter(project__name="KVU Centrum Apeldoorn")
    assert 3 <= apeldoorn.count() < enschede.count()


@pytest.mark.parametrize("page", ["partner_list", "partner_board"])
def test_list_and_board_count_each_partners_own_follow_ups(client_for, leader, project, page):
    """The counts are added after paging; each row or card shows its own partner's figures."""
    today = timezone.localdate()
    late, planned, quiet = (ParticipationFactory(project=project) for _ in range(3))
    for days, done in ((-3, False), (-1, False), (-2, True)):
        ContactMomentFactory(
            participation=late,
            follow_up_on=today + datetime.timedelta(days=days),
            follow_up_done=done,
        )
    ContactMomentFactory(participation=planned, follow_up_on=today + datetime.timedelta(days=4))
    ContactMomentFactory(participation=quiet)
    response = client_for(leader).get(reverse(page, args=[project.pk]))
    shown = {p.pk: p for p in _shown_partners(response, page)}
    assert (shown[late.pk].overdue_follow_ups, shown[late.pk].open_follow_ups) == (2, 2)
    assert (shown[planned.pk].overdue_follow_ups, shown[planned.pk].open_follow_ups) == (0, 1)
    assert (shown[quiet.pk].overdue_follow_ups, shown[quiet.pk].open_follow_ups) == (0, 0)
    assert shown[quiet.pk].last_contact is not None
    text = response.text
    if page == "partner_board":
        assert "2 opvolgingen te laat" in text
        assert "1 openstaande opvolging" in text
    else:
        assert "2 te laat" in text


def _shown_partners(response, page):
    if page == "partner_list":
        return response.context["page"].object_list
    return [card for column in response.context["columns"] for card in column["cards"]]


def test_overview_lists_the_first_core_partners_not_committed_and_links_to_the_rest(
    client_for, leader, project
):
    for i in range(17):
        ParticipationFactory(
            project=project,
            role=KvuRole.CORE,
            stage=Stage.APPROACHED,
            organisation__name=f"Kernpartner {i:02d}",
        )
    ParticipationFactory(
        project=project, role=KvuRole.CORE, stage=Stage.COMMITTED, organisation__name="Toegezegd"
    )
    text = client_for(leader).get(reverse("project_detail", args=[project.pk])).text
    assert "Kernpartner 04" in text
    assert "Kernpartner 05" not in text
    assert "Toegezegd" not in text
    assert "en nog 12: alle kernpartners in de lijst" in text
    assert f"{reverse('partner_list', args=[project.pk])}?role=core" in text
