"""The confirmed CSV import as a background task: progress, all-or-nothing, access."""

from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse

from partners import csv_io, tasks
from partners.models import (
    CsvImport,
    CsvImportStatus,
    Organisation,
    Participation,
    Person,
)
from tests.factories import OrganisationFactory, ProjectFactory

GOOD = (
    "organisatie;soort;kvk_nummer;postcode;contactpersoon;email_contactpersoon\n"
    "Café Nieuw;horecaondernemer;12345678;8011ab;Piet;piet@example.org\n"
    "Café Nieuw;horecaondernemer;12345678;8011ab;Marie;marie@example.org\n"
    "Politie IJsselland;politie;;;;\n"
)
ONE_BAD_ROW = GOOD + "Café Fout;kroeg;;;;\n"


def _confirm(client, project, content):
    """Post a confirmed import, as the preview's button does."""
    return client.post(
        reverse("partner_import", args=[project.pk]), {"content": content, "confirm": "1"}
    )


def _status(client, project, csv_import):
    url = reverse("partner_import_status", args=[project.pk, csv_import.pk])
    return client.get(url)


def test_a_valid_file_is_imported_by_the_task_and_the_status_says_done(client_for, leader, project):
    client = client_for(leader)
    response = _confirm(client, project, GOOD)
    csv_import = CsvImport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("partner_import_progress", args=[project.pk, csv_import.pk])
    status = _status(client, project, csv_import).json()
    assert status["status"] == "done"
    assert status["finished"] is True
    assert status["counts"] == {
        "created": 2,
        "updated": 0,
        "persons": 2,
        "added": 2,
        "stages": 0,
    }
    assert "2 nieuwe organisaties" in status["text"]
    assert Organisation.objects.get(kvk_number="12345678").postcode == "8011 AB"
    assert Participation.objects.filter(project=project).count() == 2
    assert Person.objects.count() == 2
    page = client.get(response.url).text
    assert "2 nieuwe organisaties" in page


def test_progress_counts_every_row_and_the_file_is_not_kept(client_for, leader, project):
    _confirm(client_for(leader), project, GOOD)
    csv_import = CsvImport.objects.get()
    assert (csv_import.rows_done, csv_import.rows_total, csv_import.errors_so_far) == (3, 3, 0)
    assert csv_import.content == ""


def test_progress_is_reported_in_chunks_while_checking(project, monkeypatch):
    monkeypatch.setattr(csv_io, "PROGRESS_EVERY", 2)
    content = "organisatie;soort\n" + "".join(f"Café {n};politie\n" for n in range(5))
    content += "Café Fout;kroeg\n"
    seen = []
    csv_io.plan_import(project=project, content=content, progress=lambda *a: seen.append(a))
    assert seen == [(2, 6, 0), (4, 6, 0), (6, 6, 1)]


def test_a_file_with_one_bad_row_imports_nothing_and_the_status_names_the_row(
    client_for, leader, project
):
    client = client_for(leader)
    _confirm(client, project, ONE_BAD_ROW)
    csv_import = CsvImport.objects.get()
    status = _status(client, project, csv_import).json()
    assert status["status"] == "failed"
    assert status["errors_so_far"] == 1
    assert status["rows_done"] == status["rows_total"] == 4
    assert not Organisation.objects.exists()
    assert not Participation.objects.exists()
    page = client.get(reverse("partner_import_progress", args=[project.pk, csv_import.pk])).text
    assert "Het bestand kan niet worden geïmporteerd; er is niets opgeslagen." in page
    assert "Rij 5: soort “kroeg”: Selecteer een geldige keuze" in page


def test_a_failure_while_saving_rolls_back_every_row(client_for, leader, project, monkeypatch):
    calls = []

    def fail_on_second(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise IntegrityError("duplicate")
        return original(**kwargs)

    original = csv_io.services.add_participation
    monkeypatch.setattr(csv_io.services, "add_participation", fail_on_second)
    _confirm(client_for(leader), project, GOOD)
    csv_import = CsvImport.objects.get()
    assert csv_import.status == CsvImportStatus.FAILED
    assert csv_import.counts == {}
    assert "er is niets gewijzigd" in csv_import.messages[0]
    assert not Organisation.objects.exists()
    assert not Participation.objects.exists()


def test_the_import_is_recorded_in_the_audit_trail_with_the_user_who_confirmed(editor, project):
    # Called as a worker calls it: outside any request, so no middleware names the user.
    csv_import = CsvImport.objects.create(
        project=project, content=GOOD, language="nl", created_by=editor
    )
    tasks.import_partners.call(csv_import.pk)
    org = Organisation.objects.get(kvk_number="12345678")
    entry = LogEntry.objects.get_for_object(org).get()
    assert entry.actor == editor


def test_a_task_run_twice_imports_once(client_for, leader, project):
    _confirm(client_for(leader), project, GOOD)
    csv_import = CsvImport.objects.get()
    tasks.import_partners.call(csv_import.pk)
    assert Organisation.objects.count() == 2
    csv_import.refresh_from_db()
    assert csv_import.status == CsvImportStatus.DONE


def test_messages_are_in_the_language_of_the_user_who_confirmed(project, leader):
    csv_import = CsvImport.objects.create(
        project=project, content=ONE_BAD_ROW, language="en", created_by=leader
    )
    tasks.import_partners.call(csv_import.pk)
    csv_import.refresh_from_db()
    assert csv_import.messages[0].startswith("Row 5: soort “kroeg”: Select a valid choice")


def test_an_existing_organisation_keeps_what_the_file_leaves_out(client_for, leader, project):
    org = OrganisationFactory(
        municipality=project.municipality, name="Café Nieuw", city="Zwolle", phone="038 123"
    )
    _confirm(client_for(leader), project, "organisatie;plaats\nCafé Nieuw;Kampen\n")
    org.refresh_from_db()
    assert (org.city, org.phone, CsvImport.objects.get().status) == ("Kampen", "038 123", "done")


def test_the_progress_page_polls_through_a_script_file_and_offers_a_refresh_link(
    client_for, viewer, project, leader
):
    csv_import = CsvImport.objects.create(
        project=project, content=GOOD, language="nl", created_by=leader, rows_total=3
    )
    url = reverse("partner_import_progress", args=[project.pk, csv_import.pk])
    page = client_for(viewer).get(url).text
    assert "<progress" in page
    assert 'src="/static/js/import-progress.js"' in page
    assert reverse("partner_import_status", args=[project.pk, csv_import.pk]) in page
    assert f'href="{url}"' in page  # works without JavaScript
    assert "<script>" not in page


def test_outsider_gets_404_on_the_import_status_and_page(client_for, outsider, leader, project):
    _confirm(client_for(leader), project, GOOD)
    csv_import = CsvImport.objects.get()
    client = client_for(outsider)
    assert _status(client, project, csv_import).status_code == 404
    url = reverse("partner_import_progress", args=[project.pk, csv_import.pk])
    assert client.get(url).status_code == 404


def test_an_import_of_another_project_is_404_under_this_one(client_for, leader, project):
    other = ProjectFactory(municipality=project.municipality)
    _confirm(client_for(leader), other, GOOD)
    csv_import = CsvImport.objects.get()
    assert _status(client_for(leader), project, csv_import).status_code == 404


def test_viewer_sees_the_status_but_gets_403_when_starting_an_import(
    client_for, viewer, leader, project
):
    _confirm(client_for(leader), project, GOOD)
    csv_import = CsvImport.objects.get()
    client = client_for(viewer)
    assert _status(client, project, csv_import).json()["status"] == "done"
    assert _confirm(client, project, GOOD).status_code == 403
    assert CsvImport.objects.count() == 1


def test_a_file_too_large_for_a_preview_is_checked_and_imported_by_the_task(
    client_for, leader, project, monkeypatch
):
    monkeypatch.setattr(csv_io, "PREVIEW_MAX_ROWS", 2)
    client = client_for(leader)
    url = reverse("partner_import", args=[project.pk])
    upload = SimpleUploadedFile("partners.csv", GOOD.encode("utf-8-sig"), "text/csv")
    response = client.post(url, {"file": upload})
    assert response.context["plan"] is None
    assert response.context["rows_without_preview"] == 3
    assert "<table" not in response.text
    content = response.context["form"]["content"].value()
    assert client.post(url, {"content": content, "confirm": "1"}).status_code == 302
    assert CsvImport.objects.get().status == CsvImportStatus.DONE
    assert Organisation.objects.count() == 2


def test_the_task_moves_an_existing_partner_to_the_files_stage_in_its_history(
    client_for, leader, project
):
    """A changed stage in the file was ignored silently: now it is a move like the board's."""
    from partners.models import Stage, StageChange
    from tests.factories import ParticipationFactory

    participation = ParticipationFactory(
        project=project, organisation__name="Café Bestaand", stage=Stage.APPROACHED
    )
    _confirm(client_for(leader), project, "organisatie;fase\nCafé Bestaand;geïnteresseerd\n")
    csv_import = CsvImport.objects.get()
    assert csv_import.status == CsvImportStatus.DONE
    assert csv_import.counts["stages"] == 1
    participation.refresh_from_db()
    assert participation.stage == Stage.INTERESTED
    change = StageChange.objects.filter(participation=participation).latest("pk")
    assert (change.from_stage, change.to_stage, change.changed_by) == (
        Stage.APPROACHED,
        Stage.INTERESTED,
        leader,
    )
    assert LogEntry.objects.get_for_object(participation).filter(actor=leader).exists()
    # Run again with the same file: already there, so no second entry in the history.
    moves = StageChange.objects.filter(participation=participation).count()
    _confirm(client_for(leader), project, "organisatie;fase\nCafé Bestaand;geïnteresseerd\n")
    assert StageChange.objects.filter(participation=participation).count() == moves


def test_the_task_refuses_an_unknown_stage_and_changes_nothing(project, leader):
    from partners.models import Stage, StageChange
    from tests.factories import ParticipationFactory

    participation = ParticipationFactory(
        project=project, organisation__name="Café Bestaand", stage=Stage.APPROACHED
    )
    csv_import = CsvImport.objects.create(
        project=project,
        content="organisatie;fase\nCafé Bestaand;misschien\n",
        language="en",
        created_by=leader,
    )
    moves = StageChange.objects.filter(participation=participation).count()
    tasks.import_partners.call(csv_import.pk)
    csv_import.refresh_from_db()
    assert csv_import.status == CsvImportStatus.FAILED
    assert csv_import.messages[0].startswith("Row 2: fase “misschien” is not a stage; use one of:")
    assert "interested" in csv_import.messages[0]
    participation.refresh_from_db()
    assert participation.stage == Stage.APPROACHED
    assert StageChange.objects.filter(participation=participation).count() == moves
