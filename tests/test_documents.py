"""Documents attached to a project, a partner, a meeting or a contact moment (kvu/documents.py)."""

import io
import zipfile
from urllib.parse import quote

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from kvu.demo import demo_pdf
from kvu.documents import add_document, delete_document
from kvu.models import Document, Project
from partners.privacy.services import anonymise_person, mentions
from tests.factories import (
    ContactMomentFactory,
    MeetingFactory,
    ParticipationFactory,
    PersonFactory,
    ProjectFactory,
)

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PDF = demo_pdf("Politiecijfers", ["Geweld 2025: 104"])


@pytest.fixture(autouse=True)
def stored(settings, tmp_path):
    """Documents go to a folder of this test; the fixture's value lists the files in it."""
    root = tmp_path / "documents"
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return lambda: sorted(path for path in root.rglob("*") if path.is_file())


@pytest.fixture(autouse=True)
def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the language switch's cookie
    with translation.override("en"):
        yield


def _zip(entries: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in entries.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _ooxml(main: str) -> bytes:
    types = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/main.xml" ContentType="{main}"/></Types>'
    )
    return _zip({"[Content_Types].xml": types, "main.xml": "<x/>"})


OOXML = "application/vnd.openxmlformats-officedocument."
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)

ACCEPTED = {
    "cijfers.pdf": (PDF, "application/pdf"),
    "presentatie.pptx": (
        _ooxml(OOXML + "presentationml.presentation.main+xml"),
        OOXML + "presentationml.presentation",
    ),
    "verslag.docx": (
        _ooxml(OOXML + "wordprocessingml.document.main+xml"),
        OOXML + "wordprocessingml.document",
    ),
    "cijfers.xlsx": (_ooxml(OOXML + "spreadsheetml.sheet.main+xml"), OOXML + "spreadsheetml.sheet"),
    "oud.doc": (OLE2, "application/msword"),
    "oud.xls": (OLE2, "application/vnd.ms-excel"),
    "oud.ppt": (OLE2, "application/vnd.ms-powerpoint"),
    "tekst.odt": (
        _zip({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"}),
        "application/vnd.oasis.opendocument.text",
    ),
    "blad.ods": (
        _zip({"mimetype": "application/vnd.oasis.opendocument.spreadsheet"}),
        "application/vnd.oasis.opendocument.spreadsheet",
    ),
    "dia.odp": (
        _zip({"mimetype": "application/vnd.oasis.opendocument.presentation"}),
        "application/vnd.oasis.opendocument.presentation",
    ),
    "scan.png": (b"\x89PNG\r\n\x1a\n" + bytes(32), "image/png"),
    "scan.jpg": (b"\xff\xd8\xff\xe0" + bytes(32), "image/jpeg"),
    "scan.jpeg": (b"\xff\xd8\xff\xdb" + bytes(32), "image/jpeg"),
    "plan.gif": (b"GIF89a" + bytes(32), "image/gif"),
    "foto.webp": (b"RIFF\x24\x00\x00\x00WEBPVP8 " + bytes(32), "image/webp"),
}


def _upload(client, project, name, data, **extra):
    return client.post(
        reverse("document_upload", args=[project.pk]),
        {"file": SimpleUploadedFile(name, data), **extra},
        **EN,
    )


def _messages(response):
    return [str(message) for message in response.wsgi_request._messages]


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_each_accepted_kind_is_recognised_by_its_content(client_for, leader, project, stored, name):
    data, mime = ACCEPTED[name]
    response = _upload(client_for(leader), project, name, data, title="")
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.content_type_detected == mime
    assert document.original_name == name
    assert document.title == name.rpartition(".")[0]
    assert document.size == len(data)
    assert document.uploaded_by == leader
    # Stored under a random name, not the user's.
    [path] = stored()
    assert path.read_bytes() == data
    assert name.rpartition(".")[0] not in path.name


REFUSED = [
    ("cijfers.pdf", b"Dit is gewoon tekst.", "is not what its name says (PDF)"),
    ("leeg.pdf", b"", "is empty"),
    ("programma.exe", b"MZ\x90\x00", "cannot be attached"),
    ("geen-extensie", PDF, "cannot be attached"),
    ("foto.png", PDF, "is not what its name says (PNG)"),
    ("zip.docx", _zip({"a.txt": "a"}), "is not what its name says (Word)"),
    (
        "macro.docx",
        _ooxml("application/vnd.ms-word.document.macroEnabled.main+xml"),
        "is not what its name says (Word)",
    ),
    ("kapot.xlsx", b"PK\x03\x04 not really a zip", "is not what its name says (Excel)"),
    ("oud.doc", b"\xd0\xcf\x11\xe0 truncated", "is not what its name says (Word 97-2003)"),
    ("C:a.pdf", PDF, "contains a path"),
]


@pytest.mark.parametrize(("name", "data", "message"), REFUSED)
def test_refused_upload_says_why_and_stores_nothing(
    client_for, leader, project, stored, name, data, message
):
    response = _upload(client_for(leader), project, name, data)
    assert response.status_code == 302
    assert any(message in text for text in _messages(response)), _messages(response)
    assert not Document.objects.exists()
    assert stored() == []
    assert not LogEntry.objects.filter(content_type__model="document").exists()


@pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "C:\\x\\a.pdf", "..", "a/b.pdf"])
def test_a_file_name_with_a_path_is_refused_by_the_service(project, leader, stored, name):
    with pytest.raises(ValidationError) as refused:
        add_document(project=project, title="x", name=name, data=PDF, user=leader)
    assert "path" in refused.value.messages[0] or "name" in refused.value.messages[0]
    assert not Document.objects.exists()
    assert stored() == []


def test_the_size_limit_comes_from_the_settings(client_for, leader, project, stored, settings):
    settings.KVU_DOCUMENT_MAX_BYTES = len(PDF) - 1
    response = _upload(client_for(leader), project, "cijfers.pdf", PDF)
    assert any("larger than" in text for text in _messages(response))
    assert not Document.objects.exists()
    assert stored() == []
    settings.KVU_DOCUMENT_MAX_BYTES = len(PDF)
    _upload(client_for(leader), project, "cijfers.pdf", PDF)
    assert Document.objects.count() == 1


def test_the_default_limit_is_twenty_megabytes():
    from kvu import settings as project_settings

    assert project_settings.KVU_DOCUMENT_MAX_BYTES == 20 * 1024 * 1024


def test_download_is_an_attachment_with_a_safe_name(client_for, leader, viewer, project):
    document = add_document(
        project=project, title="Cijfers", name='Politie "cijfers" é.pdf', data=PDF, user=leader
    )
    response = client_for(viewer).get(reverse("document_download", args=[project.pk, document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert 'filename="Politie _cijfers_ e.pdf"' in disposition
    assert "filename*=UTF-8''" + quote('Politie "cijfers" é.pdf', safe="") in disposition


def test_outsider_gets_404_on_download_and_list(client_for, leader, outsider, project):
    document = add_document(project=project, title="Cijfers", name="c.pdf", data=PDF, user=leader)
    client = client_for(outsider)
    assert (
        client.get(reverse("document_download", args=[project.pk, document.pk])).status_code == 404
    )
    assert client.get(reverse("document_list", args=[project.pk])).status_code == 404
    # Nor through a project of the outsider's own municipality.
    own = ProjectFactory(municipality=outsider.memberships.get().municipality)
    assert client.get(reverse("document_download", args=[own.pk, document.pk])).status_code == 404


def test_viewer_gets_403_on_upload_and_delete(client_for, leader, viewer, project, stored):
    document = add_document(project=project, title="Cijfers", name="c.pdf", data=PDF, user=leader)
    client = client_for(viewer)
    assert _upload(client, project, "b.pdf", PDF).status_code == 403
    delete_url = reverse("document_delete", args=[project.pk, document.pk])
    assert client.get(delete_url).status_code == 403
    assert client.post(delete_url).status_code == 403
    assert Document.objects.count() == 1
    assert len(stored()) == 1


def test_delete_asks_first_then_removes_row_and_file(
    client_for, editor, project, stored, django_capture_on_commit_callbacks
):
    document = add_document(project=project, title="Cijfers", name="c.pdf", data=PDF, user=editor)
    client = client_for(editor)
    url = reverse("document_delete", args=[project.pk, document.pk])
    confirm = client.get(url, **EN)
    assert confirm.status_code == 200
    assert "Delete “Cijfers”" in confirm.content.decode()
    assert Document.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, **EN)
    assert response.status_code == 302
    assert not Document.objects.exists()
    assert stored() == []
    entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Document), action=LogEntry.Action.DELETE
    )
    assert entry.additional_data == {"municipality_id": project.municipality_id}


def test_upload_and_delete_appear_in_the_municipality_change_log(
    client_for, leader, project, django_capture_on_commit_callbacks
):
    client = client_for(leader)
    _upload(client, project, "cijfers.pdf", PDF, title="Politiecijfers 2025")
    document = Document.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("document_delete", args=[project.pk, document.pk]))
    log = client.get(reverse("audit_log", args=[project.municipality_id]), **EN)
    assert log.status_code == 200
    actions = set(
        LogEntry.objects.filter(
            object_pk=str(document.pk), content_type__model="document"
        ).values_list("action", flat=True)
    )
    assert actions == {LogEntry.Action.CREATE, LogEntry.Action.DELETE}
    assert "Politiecijfers 2025" in log.content.decode()


def test_attach_to_a_meeting_participation_and_contact_moment(client_for, leader, project):
    meeting = MeetingFactory(project=project)
    participation = ParticipationFactory(project=project)
    moment = ContactMomentFactory(participation=participation)
    client = client_for(leader)
    for target in (meeting, participation, moment):
        _upload(
            client,
            project,
            "c.pdf",
            PDF,
            title=f"bij {target.pk}",
            target=f"{target._meta.label_lower}:{target.pk}",
        )
    assert Document.objects.count() == 3
    assert {d.target for d in Document.objects.all()} == {meeting, participation, moment}
    meeting_page = client.get(meeting.get_absolute_url(), **EN).content.decode()
    assert f"bij {meeting.pk}" in meeting_page
    partner_page = client.get(participation.get_absolute_url(), **EN).content.decode()
    assert f"bij {participation.pk}" in partner_page
    assert f"bij {moment.pk}" in partner_page  # listed with its contact moment
    assert "Contact moment" in partner_page


def test_a_target_of_another_project_is_refused(client_for, leader, project, stored):
    other = MeetingFactory(project=ProjectFactory(municipality=project.municipality))
    client = client_for(leader)
    response = _upload(client, project, "c.pdf", PDF, target=f"meetings.meeting:{other.pk}")
    assert response.status_code == 404
    response = _upload(client, project, "c.pdf", PDF, target=f"auth.user:{leader.pk}")
    assert response.status_code == 404
    assert _upload(client, project, "c.pdf", PDF, target="x:1").status_code == 404
    # A row of this very project that does not take documents (its guide's records, its
    # declaration, its agreements) is refused too.
    from partners.models import Agreement

    agreement = Agreement.objects.create(project=project, date=timezone.localdate(), text="x")
    target = f"partners.agreement:{agreement.pk}"
    assert _upload(client, project, "c.pdf", PDF, target=target).status_code == 404
    assert not Document.objects.exists()
    assert stored() == []


def _list_queries(client, project):
    url = reverse("document_list", args=[project.pk])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _documents(project, count, leader):
    meeting = MeetingFactory(project=project)
    participation = ParticipationFactory(project=project)
    moment = ContactMomentFactory(participation=participation)
    for number in range(count):
        target = (None, meeting, participation, moment)[number % 4]
        add_document(
            project=project,
            target=target,
            title=f"Doc {number}",
            name="d.pdf",
            data=PDF,
            user=leader,
        )
    return meeting, participation


def test_document_list_queries_stay_constant(client_for, leader, project):
    """Prevents a query per row: uploader, content type and target are read per page."""
    client = client_for(leader)
    _documents(project, 4, leader)
    few = _list_queries(client, project)
    _documents(project, 40, leader)
    assert _list_queries(client, project) == few


def test_sections_queries_stay_constant(client_for, leader, project):
    """Prevents a query per document in the sections of the meeting and partner pages."""
    client = client_for(leader)
    meeting, participation = _documents(project, 4, leader)
    pages = [meeting.get_absolute_url(), participation.get_absolute_url()]

    def counts():
        result = []
        for url in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    few = counts()
    for number in range(40):
        add_document(
            project=project,
            target=(meeting, participation)[number % 2],
            title=f"Meer {number}",
            name="d.pdf",
            data=PDF,
            user=leader,
        )
    assert counts() == few


def test_anonymising_lists_and_deletes_the_persons_documents(
    leader, project, stored, django_capture_on_commit_callbacks
):
    participation = ParticipationFactory(project=project)
    person = PersonFactory(organisation=participation.organisation, name="Bart de Vries")
    moment = ContactMomentFactory(participation=participation)
    moment.persons.add(person)
    by_moment = add_document(
        project=project, target=moment, title="Gespreksverslag", name="verslag.pdf", data=PDF
    )
    by_title = add_document(
        project=project, title="Verklaring Bart de Vries", name="scan.pdf", data=PDF
    )
    by_name = add_document(project=project, title="Scan", name="bart de vries.pdf", data=PDF)
    unrelated = add_document(project=project, title="Politiecijfers", name="c.pdf", data=PDF)
    keys = {m.key for m in mentions(person) if m.key.startswith("kvu.document:")}
    expected = {f"kvu.document:{d.pk}:file" for d in (by_moment, by_title, by_name)}
    assert keys == expected
    with django_capture_on_commit_callbacks(execute=True):
        anonymise_person(person=person, redact=sorted(expected))
    assert list(Document.objects.all()) == [unrelated]
    assert len(stored()) == 1
    # The change log keeps that they were deleted, without the person's name.
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Document), object_pk=str(by_title.pk)
    )
    assert entries.filter(action=LogEntry.Action.DELETE).exists()
    assert not any(
        "Bart de Vries" in (e.object_repr + e.changes_text + str(e.changes)) for e in entries
    )


def test_anonymising_keeps_documents_that_were_not_ticked(leader, project):
    participation = ParticipationFactory(project=project)
    person = PersonFactory(organisation=participation.organisation, name="Bart de Vries")
    document = add_document(project=project, title="Bart de Vries", name="a.pdf", data=PDF)
    anonymise_person(person=person, redact=[])
    assert Document.objects.filter(pk=document.pk).exists()


def test_a_document_of_another_municipality_is_no_mention(leader, project, outsider):
    participation = ParticipationFactory(project=project)
    person = PersonFactory(organisation=participation.organisation, name="Bart de Vries")
    elsewhere = ProjectFactory(municipality=outsider.memberships.get().municipality)
    add_document(project=elsewhere, title="Bart de Vries", name="a.pdf", data=PDF)
    assert not [m for m in mentions(person) if m.key.startswith("kvu.document:")]


def test_delete_document_service_removes_the_file(
    project, leader, stored, django_capture_on_commit_callbacks
):
    document = add_document(project=project, title="x", name="a.pdf", data=PDF, user=leader)
    assert len(stored()) == 1
    with django_capture_on_commit_callbacks(execute=True):
        delete_document(document=document)
    assert stored() == []


def test_project_has_a_documents_tab(client_for, viewer, project):
    page = client_for(viewer).get(project.get_absolute_url(), **EN).content.decode()
    assert reverse("document_list", args=[project.pk]) in page
    listing = client_for(viewer).get(reverse("document_list", args=[project.pk]), **EN)
    assert "Attach document" not in listing.content.decode()  # a viewer gets no upload form


def test_the_demo_attaches_readable_pdfs_to_project_meeting_and_partner(db, settings, stored):
    settings.DEBUG = True
    call_command("demo", stdout=io.StringIO())
    call_command("demo", stdout=io.StringIO())  # idempotent: no second set
    project = Project.objects.get(name="KVU Binnenstad Enschede")
    every = list(project.documents.select_related("content_type"))
    assert len(every) == len(stored())  # one file per document, none twice
    # The safety analysis' demo adds photos and sources' files; these are the outreach's.
    documents = {
        d.title: d
        for d in every
        if d.content_type is None or d.content_type.app_label != "analysis"
    }
    assert len(documents) == 3
    kinds = {d.content_type.model if d.content_type else None for d in documents.values()}
    assert kinds == {None, "meeting", "participation"}
    figures = documents["Politiecijfers uitgaansgebied 2023-2025"]
    with figures.storage.open(figures.stored_name) as handle:
        text = PdfReader(io.BytesIO(handle.read())).pages[0].extract_text()
    assert "Geweldsincidenten" in text


def test_deleting_a_contact_moment_deletes_its_documents_and_their_files(
    db, stored, django_capture_on_commit_callbacks
):
    from partners.services import delete_contact_moment
    from tests.factories import ContactMomentFactory

    moment = ContactMomentFactory()
    project = moment.participation.project
    kept = add_document(project=project, title="Projectplan", name="plan.pdf", data=PDF)
    with django_capture_on_commit_callbacks(execute=True):
        add_document(project=project, target=moment, title="Verslag", name="v.pdf", data=PDF)
    assert len(stored()) == 2
    with django_capture_on_commit_callbacks(execute=True):
        delete_contact_moment(contact_moment=moment)
    assert list(Document.objects.all()) == [kept]
    assert len(stored()) == 1


def test_deleting_a_project_removes_its_files_once_committed(
    db, stored, django_capture_on_commit_callbacks
):
    from tests.factories import ProjectFactory

    project = ProjectFactory()
    with django_capture_on_commit_callbacks(execute=True):
        add_document(project=project, title="Cijfers", name="c.pdf", data=PDF)
    assert len(stored()) == 1
    with django_capture_on_commit_callbacks(execute=True):
        project.delete()  # as the admin does: the documents go by cascade
    assert not Document.objects.exists()
    assert stored() == []


@pytest.mark.parametrize(
    ("name", "data", "dutch"),
    [
        ("cijfers.pdf", b"Dit is gewoon tekst.", "is niet wat de naam zegt"),
        ("C:a.pdf", PDF, "bevat een pad"),
        ("groot.pdf", PDF, "is groter dan"),
    ],
)
def test_the_leader_reads_why_in_dutch(
    client, leader, project, stored, settings, name, data, dutch
):
    """The refusals of the acceptance list, as a Dutch leader sees them (no language chosen)."""
    settings.KVU_DOCUMENT_MAX_BYTES = len(PDF) - 1
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    client.force_login(leader)
    with translation.override("nl"):
        response = client.post(
            reverse("document_upload", args=[project.pk]),
            {"file": SimpleUploadedFile(name, data)},
            follow=True,
        )
    assert dutch in response.text
    assert not Document.objects.exists()
    assert stored() == []
