"""CSV export of partners and the contact log, and the import with its preview step."""

import csv
import io

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partners.models import Organisation, OrganisationKind, Participation, Person, Stage
from tests.factories import (
    ContactMomentFactory,
    OrganisationFactory,
    ParticipationFactory,
    PersonFactory,
    ProjectFactory,
)


def _rows(response):
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff"), "Excel needs the byte order mark to read UTF-8"
    return list(csv.reader(io.StringIO(content[1:]), delimiter=";"))


def _import(client, project, content: str, *, confirm: bool):
    url = reverse("partner_import", args=[project.pk])
    upload = SimpleUploadedFile("partners.csv", content.encode("utf-8-sig"), "text/csv")
    response = client.post(url, {"file": upload})
    if confirm and response.context["plan"] and response.context["plan"].is_valid:
        response = client.post(
            url, {"content": response.context["form"]["content"].value(), "confirm": "1"}
        )
    return response


def _snapshot(project):
    return (
        sorted(
            Organisation.objects.filter(municipality=project.municipality).values_list(
                "name", "kind", "kvk_number", "postcode", "email", "notes", "is_active"
            )
        ),
        sorted(
            Person.objects.values_list("organisation__name", "name", "function", "email", "phone")
        ),
        sorted(
            Participation.objects.filter(project=project).values_list(
                "organisation__name", "stage", "role"
            )
        ),
    )


def _fill(project):
    cafe = ParticipationFactory(
        project=project,
        organisation__name="Café ’t Hoekje – Zwolle",
        organisation__kvk_number="12345678",
        organisation__postcode="8011 AB",
        organisation__notes="Eigenaar: “altijd bereikbaar”;\nook ’s nachts",
        stage=Stage.INTERESTED,
    )
    PersonFactory(organisation=cafe.organisation, name="Jürgen Ödegaard", function="eigenaar")
    PersonFactory(organisation=cafe.organisation, name="Zoë Janssen", phone="+31 6 12345678")
    ParticipationFactory(
        project=project,
        organisation__name="Politie IJsselland",
        organisation__kind=OrganisationKind.POLICE,
    )
    return cafe


def test_partner_export_is_excel_friendly_with_one_row_per_person(client_for, viewer, project):
    _fill(project)
    response = client_for(viewer).get(reverse("partner_export", args=[project.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = _rows(response)
    assert rows[0][:3] == ["organisatie", "soort", "kvk_nummer"]
    names = [(row[0], row[12]) for row in rows[1:]]
    assert names == [
        ("Café ’t Hoekje – Zwolle", "Jürgen Ödegaard"),
        ("Café ’t Hoekje – Zwolle", "Zoë Janssen"),
        ("Politie IJsselland", ""),
    ]
    assert rows[1][10] == "geïnteresseerd"


def test_partner_export_holds_only_this_projects_partners(client_for, leader, project):
    _fill(project)
    ParticipationFactory(project=ProjectFactory(), organisation__name="Café Elders")
    content = client_for(leader).get(reverse("partner_export", args=[project.pk])).text
    assert "Café Elders" not in content


def test_a_formula_in_a_cell_is_neutralised(client_for, leader, project):
    ParticipationFactory(project=project, organisation__name='=HYPERLINK("x")')
    rows = _rows(client_for(leader).get(reverse("partner_export", args=[project.pk])))
    assert rows[1][0].startswith("'=")


def test_round_trip_export_and_reimport_duplicates_and_loses_nothing(client_for, leader, project):
    _fill(project)
    client = client_for(leader)
    before = _snapshot(project)
    exported = client.get(reverse("partner_export", args=[project.pk])).content.decode("utf-8-sig")
    response = _import(client, project, exported, confirm=True)
    assert response.status_code == 302
    assert _snapshot(project) == before


def test_import_into_another_project_of_the_same_municipality_adds_participations(
    client_for, leader, project
):
    _fill(project)
    client = client_for(leader)
    exported = client.get(reverse("partner_export", args=[project.pk])).content.decode("utf-8-sig")
    second = ProjectFactory(municipality=project.municipality)
    orgs = Organisation.objects.count()
    assert _import(client, second, exported, confirm=True).status_code == 302
    assert Organisation.objects.count() == orgs
    assert Participation.objects.filter(project=second).count() == 2


def test_import_matches_by_kvk_number_and_updates(client_for, leader, project):
    org = OrganisationFactory(
        municipality=project.municipality, name="Oude naam", kvk_number="87654321"
    )
    content = "organisatie;soort;kvk_nummer;plaats\nNieuwe naam;horecaondernemer;87654321;Zwolle\n"
    _import(client_for(leader), project, content, confirm=True)
    org.refresh_from_db()
    assert (org.name, org.city) == ("Nieuwe naam", "Zwolle")
    assert Organisation.objects.count() == 1
    assert Participation.objects.filter(project=project, organisation=org).exists()


def test_import_never_touches_another_municipalitys_organisation(
    client_for, leader, project, other_municipality
):
    foreign = OrganisationFactory(
        municipality=other_municipality, name="Café Gedeeld", kvk_number="11112222"
    )
    content = "organisatie;soort;kvk_nummer;email\nCafé Gedeeld;politie;11112222;info@example.org\n"
    _import(client_for(leader), project, content, confirm=True)
    foreign.refresh_from_db()
    assert foreign.email == ""
    assert foreign.kind == OrganisationKind.HOSPITALITY
    mine = Organisation.objects.get(municipality=project.municipality)
    assert (mine.name, mine.kind) == ("Café Gedeeld", OrganisationKind.POLICE)


def test_a_file_with_a_bad_row_changes_nothing_and_names_row_and_problem(
    client_for, leader, project
):
    _fill(project)
    before = _snapshot(project)
    content = (
        "organisatie;soort;kvk_nummer;postcode;contactpersoon;email_contactpersoon\n"
        "Café Nieuw;horecaondernemer;;8011 AB;Piet;piet@example.org\n"
        "Café Fout;kroeg;123;80AB;Klaas;geen-mail\n"
    )
    client = client_for(leader)
    response = _import(client, project, content, confirm=True)
    assert response.status_code == 200
    text = response.text
    assert "Het bestand kan niet worden geïmporteerd; er is niets opgeslagen." in text
    assert "Rij 2:" not in text
    message = text.split("<li>Rij 3: ")[1].split("</li>")[0]
    # The messages of the organisation and person forms of the pages, named by column.
    assert "soort “kroeg”: Selecteer een geldige keuze" in message
    assert "kvk_nummer “123”: Een KvK-nummer bestaat uit precies acht cijfers" in message
    assert "postcode “80AB”: Vul een Nederlandse postcode in" in message
    assert "email_contactpersoon “geen-mail”: Voer een geldig e-mailadres in" in message
    assert "Deze rijen importeren" not in text
    # Even a forged confirmation of the faulty content saves nothing.
    client.post(reverse("partner_import", args=[project.pk]), {"content": content, "confirm": "1"})
    assert _snapshot(project) == before


def test_the_preview_saves_nothing_until_confirmed(client_for, leader, project):
    content = "organisatie;soort\nCafé Voorbeeld;horecaondernemer\n"
    response = _import(client_for(leader), project, content, confirm=False)
    assert "Café Voorbeeld" in response.text
    assert "nieuwe organisatie" in response.text
    assert not Organisation.objects.exists()


def test_a_file_without_the_organisation_column_is_refused_in_dutch(client_for, leader, project):
    response = _import(client_for(leader), project, "naam;soort\nCafé;politie\n", confirm=True)
    assert "De eerste rij moet de kolomnamen bevatten" in response.text
    assert not Organisation.objects.exists()


def test_posting_no_file_gives_a_dutch_message(client_for, leader, project):
    response = client_for(leader).post(reverse("partner_import", args=[project.pk]), {})
    assert "Kies een CSV-bestand om te importeren." in response.text


def test_a_comma_separated_windows_file_is_read_too(client_for, leader, project):
    url = reverse("partner_import", args=[project.pk])
    raw = "organisatie,soort\nCafé Bühne,police\n".encode("cp1252")
    client = client_for(leader)
    response = client.post(url, {"file": SimpleUploadedFile("x.csv", raw, "text/csv")})
    client.post(url, {"content": response.context["form"]["content"].value(), "confirm": "1"})
    assert Organisation.objects.get().name == "Café Bühne"


def test_contact_log_export_follows_the_filters(client_for, viewer, project):
    a = ParticipationFactory(project=project, organisation__name="Café Één")
    ContactMomentFactory(participation=a, channel="phone", summary="Gebeld over de sluitingstijden")
    ContactMomentFactory(participation=a, channel="email", summary="Mail gestuurd")
    ContactMomentFactory(
        participation=ParticipationFactory(project=ProjectFactory()), summary="Elders"
    )
    response = client_for(viewer).get(
        reverse("contact_log_export", args=[project.pk]), {"channel": "phone"}
    )
    rows = _rows(response)
    assert rows[0][0] == "datum"
    assert [(row[2], row[3], row[7]) for row in rows[1:]] == [
        ("Café Één", "telefoon", "Gebeld over de sluitingstijden")
    ]


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the language switch's cookie
    return client


def test_the_preview_names_a_stage_change_and_the_import_applies_it(client_for, leader, project):
    """The file's stage for a partner already in the project was dropped without a word."""
    from partners.models import StageChange

    participation = ParticipationFactory(
        project=project, organisation__name="Café Bestaand", stage=Stage.APPROACHED
    )
    client = _english(client_for(leader))
    url = reverse("partner_import", args=[project.pk])
    content = "organisatie;fase\nCafé Bestaand;geïnteresseerd\n"
    upload = SimpleUploadedFile("partners.csv", content.encode("utf-8-sig"), "text/csv")
    response = client.post(url, {"file": upload})
    assert response.context["plan"].is_valid
    assert "stage: approached -&gt; interested" in response.text
    participation.refresh_from_db()
    assert participation.stage == Stage.APPROACHED  # the preview saves nothing
    _import(client, project, content, confirm=True)
    participation.refresh_from_db()
    assert participation.stage == Stage.INTERESTED
    change = participation.stage_changes.latest("pk")
    assert isinstance(change, StageChange)
    assert (change.from_stage, change.to_stage, change.changed_by) == (
        Stage.APPROACHED,
        Stage.INTERESTED,
        leader,
    )
    history = client.get(participation.get_absolute_url()).text
    assert "CSV import" in history


def test_the_preview_shows_no_stage_change_when_the_stage_is_the_same(client_for, leader, project):
    ParticipationFactory(
        project=project, organisation__name="Café Bestaand", stage=Stage.APPROACHED
    )
    content = "organisatie;fase\nCafé Bestaand;benaderd\n"
    response = _import(client_for(leader), project, content, confirm=False)
    assert response.context["plan"].rows[0].stage_change is None
    assert "-&gt;" not in response.text


def test_an_unknown_stage_is_a_row_error_that_names_the_stages(client_for, leader, project):
    participation = ParticipationFactory(
        project=project, organisation__name="Café Bestaand", stage=Stage.APPROACHED
    )
    url = reverse("partner_import", args=[project.pk])
    content = "organisatie;fase\nCafé Bestaand;misschien\n"
    upload = SimpleUploadedFile("partners.csv", content.encode("utf-8-sig"), "text/csv")
    response = _english(client_for(leader)).post(url, {"file": upload})
    plan = response.context["plan"]
    assert not plan.is_valid
    assert plan.rows[0].errors == [
        "fase “misschien” is not a stage; use one of: not yet approached, approached, "
        "interested, committed, signed, declined, on hold"
    ]
    assert "Row 2: fase “misschien” is not a stage" in response.text
    participation.refresh_from_db()
    assert participation.stage == Stage.APPROACHED


def test_two_rows_that_give_one_organisation_different_stages_are_refused(
    client_for, leader, project
):
    ParticipationFactory(
        project=project, organisation__name="Café Bestaand", stage=Stage.APPROACHED
    )
    content = (
        "organisatie;fase;contactpersoon\n"
        "Café Bestaand;geïnteresseerd;Piet\n"
        "Café Bestaand;afgehaakt;Marie\n"
    )
    url = reverse("partner_import", args=[project.pk])
    upload = SimpleUploadedFile("partners.csv", content.encode("utf-8-sig"), "text/csv")
    response = _english(client_for(leader)).post(url, {"file": upload})
    plan = response.context["plan"]
    assert not plan.rows[0].errors
    assert plan.rows[1].errors == [
        "fase “afgehaakt”: row 2 gives this organisation stage “interested”"
    ]
