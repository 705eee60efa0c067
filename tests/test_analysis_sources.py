"""The sources of the safety analysis: CCV's ten as a checklist, each with status, who is
responsible, dates and its documents; the first six marked indispensable."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from analysis.models import INDISPENSABLE_SOURCES, Source, SourceKind
from analysis.sources.selectors import indispensable_progress
from kvu.demo import demo_pdf
from kvu.documents import add_document
from kvu.models import Document
from tests.factories import MembershipFactory, ParticipationFactory


@pytest.fixture
def police(analysis):
    return analysis.sources.get(kind=SourceKind.POLICE_FIGURES)


def _logged(model, pk, action):
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_pk=str(pk), action=action
    ).exists()


def _pdf(name="bvh.pdf"):
    return SimpleUploadedFile(name, demo_pdf("Politiecijfers", ["2025: 356"]), "application/pdf")


def _data(**changes):
    return {
        "status": "in_progress",
        "reason_not_used": "",
        "responsible_user": "",
        "responsible_partner": "",
        "planned_on": "",
        "done_on": "",
        "notes": "",
        **changes,
    }


# --- access ---------------------------------------------------------------------------------


def test_outsider_gets_404_on_every_sources_url(client_for, outsider, project, police):
    client = client_for(outsider)
    assert client.get(reverse("sources", args=[project.pk])).status_code == 404
    edit = reverse("source_edit", args=[project.pk, police.pk])
    assert client.get(edit).status_code == 404
    assert client.post(edit, _data()).status_code == 404
    upload = reverse("source_document_add", args=[project.pk, police.pk])
    assert client.post(upload, {"file": _pdf()}).status_code == 404
    assert not Document.objects.exists()


def test_viewer_reads_the_checklist_but_gets_403_on_changes(client_for, viewer, project, police):
    client = client_for(viewer)
    page = client.get(reverse("sources", args=[project.pk]))
    assert page.status_code == 200
    assert reverse("source_edit", args=[project.pk, police.pk]) not in page.content.decode()
    edit = reverse("source_edit", args=[project.pk, police.pk])
    assert client.get(edit).status_code == 403
    assert client.post(edit, _data(status="done")).status_code == 403
    upload = reverse("source_document_add", args=[project.pk, police.pk])
    assert client.post(upload, {"file": _pdf()}).status_code == 403
    police.refresh_from_db()
    assert police.status == "planned"
    assert not Document.objects.exists()


def test_source_of_another_project_is_404(client_for, leader, project, analysis):
    from analysis.services import start_analysis
    from tests.factories import ProjectFactory

    other = start_analysis(project=ProjectFactory(), user=None).sources.first()
    url = reverse("source_edit", args=[project.pk, other.pk])
    assert client_for(leader).get(url).status_code == 404


# --- the checklist --------------------------------------------------------------------------


def test_checklist_lists_ccvs_ten_in_order_and_marks_the_first_six(
    client_for, leader, project, analysis
):
    response = client_for(leader).get(reverse("sources", args=[project.pk]))
    rows = response.context["rows"]
    assert [source.kind for source, _documents in rows] == list(SourceKind.values)
    html = response.content.decode()
    for position, kind in enumerate(SourceKind.values):
        expected = "true" if position < 6 else "false"
        assert f'id="source-{kind}" data-indispensable="{expected}"' in html
    assert 'id="indispensable-note"' in html
    assert [k.value for k in INDISPENSABLE_SOURCES] == list(SourceKind.values)[:6]


def test_progress_counts_indispensable_sources_done_or_consciously_skipped(analysis):
    sources = {s.kind: s for s in analysis.sources.all()}
    sources["police_figures"].status = "done"
    sources["resident_survey"].status = "not_used"
    sources["walk_through"].status = "in_progress"
    sources["observations"].status = "done"  # not one of the six
    progress = indispensable_progress(list(sources.values()))
    assert (progress.settled, progress.total, progress.complete) == (2, 6, False)


# --- editing a source -----------------------------------------------------------------------


def test_leader_records_status_responsible_and_dates(client_for, leader, project, police):
    colleague = MembershipFactory(municipality=project.municipality, role="editor").user
    partner = ParticipationFactory(project=project, organisation__name="Politie Zwolle")
    data = _data(
        status="done",
        responsible_user=colleague.pk,
        responsible_partner=partner.pk,
        planned_on="2026-10-01",
        done_on="2026-11-15",
        notes="BVH-bevraging over drie jaar.",
    )
    url = reverse("source_edit", args=[project.pk, police.pk])
    assert client_for(leader).post(url, data).status_code == 302
    police.refresh_from_db()
    assert police.status == "done"
    assert police.responsible_user == colleague
    assert police.responsible_partner == partner
    assert police.done_on == datetime.date(2026, 11, 15)
    assert _logged(Source, police.pk, LogEntry.Action.UPDATE)
    page = client_for(leader).get(reverse("sources", args=[project.pk]))
    assert "Politie Zwolle" in page.content.decode()


def test_an_inactive_colleague_is_not_offered_as_responsible(client_for, leader, project, police):
    active = MembershipFactory(municipality=project.municipality, role="editor").user
    gone = MembershipFactory(municipality=project.municipality, role="editor").user
    gone.is_active = False
    gone.save()
    url = reverse("source_edit", args=[project.pk, police.pk])
    client = client_for(leader)
    offered = list(client.get(url).context["form"].fields["responsible_user"].queryset)
    assert active in offered
    assert gone not in offered
    response = client.post(url, _data(responsible_user=gone.pk))
    assert response.context["form"].errors["responsible_user"]
    police.refresh_from_db()
    assert police.responsible_user is None


def test_not_used_without_a_reason_is_refused(client_for, leader, project, analysis):
    source = analysis.sources.get(kind=SourceKind.RESIDENT_SURVEY)
    url = reverse("source_edit", args=[project.pk, source.pk])
    response = client_for(leader).post(url, _data(status="not_used", reason_not_used="   "))
    assert response.status_code == 200
    assert response.context["form"].errors["reason_not_used"]
    assert not response.context["form"].non_field_errors()  # no raw constraint message
    source.refresh_from_db()
    assert source.status == "planned"

    reason = "De bewonersvereniging hield zelf een enquête."
    response = client_for(leader).post(url, _data(status="not_used", reason_not_used=reason))
    assert response.status_code == 302
    source.refresh_from_db()
    assert (source.status, source.reason_not_used) == ("not_used", reason)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("status", "maybe"),
        ("planned_on", "1999-12-31"),
        ("done_on", "2026-02-30"),
        ("notes", "x" * 5001),
        ("responsible_user", "999999"),
        ("responsible_partner", str(2**63)),
    ],
)
def test_bad_source_input_changes_nothing(client_for, leader, project, police, field, value):
    url = reverse("source_edit", args=[project.pk, police.pk])
    response = client_for(leader).post(url, _data(**{"status": "done", field: value}))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    police.refresh_from_db()
    assert police.status == "planned"


def test_responsible_must_belong_to_the_project(client_for, leader, outsider, project, police):
    foreign_partner = ParticipationFactory()  # of another project
    url = reverse("source_edit", args=[project.pk, police.pk])
    client = client_for(leader)
    response = client.post(url, _data(responsible_user=outsider.pk))
    assert response.context["form"].errors["responsible_user"]
    response = client.post(url, _data(responsible_partner=foreign_partner.pk))
    assert response.context["form"].errors["responsible_partner"]
    police.refresh_from_db()
    assert police.responsible_user is None
    assert police.responsible_partner is None


# --- documents ------------------------------------------------------------------------------


def test_leader_attaches_a_document_to_a_source_and_the_checklist_links_it(
    client_for, leader, project, police
):
    client = client_for(leader)
    url = reverse("source_document_add", args=[project.pk, police.pk])
    response = client.post(url, {"file": _pdf(), "title": "BVH-overzicht 2025"})
    assert response.status_code == 302
    document = Document.objects.get(title="BVH-overzicht 2025")
    assert document.target == police
    assert document.uploaded_by == leader
    assert _logged(Document, document.pk, LogEntry.Action.CREATE)
    download = reverse("document_download", args=[project.pk, document.pk])
    for page in ("sources", "source_edit"):
        args = [project.pk] if page == "sources" else [project.pk, police.pk]
        assert download in client.get(reverse(page, args=args)).content.decode()
    assert client.get(download).status_code == 200


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("bvh.pdf", b"just text, no pdf", "application/pdf"),
        SimpleUploadedFile("script.exe", b"MZ\x90\x00", "application/octet-stream"),
        SimpleUploadedFile("leeg.pdf", b"", "application/pdf"),
        None,
    ],
)
def test_refused_upload_stores_nothing_and_says_why(client_for, leader, project, police, upload):
    url = reverse("source_document_add", args=[project.pk, police.pk])
    data = {"title": "Poging"} if upload is None else {"file": upload, "title": "Poging"}
    response = client_for(leader).post(url, data, follow=True)
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert any(
        m.startswith("Het document is niet opgeslagen") or "not been saved" in m for m in messages
    )
    assert not Document.objects.exists()


def test_documents_of_one_source_stay_with_it(client_for, leader, project, analysis, police):
    monitor = analysis.sources.get(kind=SourceKind.SAFETY_MONITOR)
    add_document(
        project=project, target=monitor, title="Monitor", name="m.pdf", data=demo_pdf("M", [])
    )
    add_document(project=project, target=police, title="BVH", name="b.pdf", data=demo_pdf("B", []))
    add_document(project=project, title="Projectplan", name="p.pdf", data=demo_pdf("P", []))
    rows = client_for(leader).get(reverse("sources", args=[project.pk])).context["rows"]
    titles = {source.kind: [d.title for d in documents] for source, documents in rows}
    assert titles["police_figures"] == ["BVH"]
    assert titles["safety_monitor"] == ["Monitor"]
    assert sum(len(t) for t in titles.values()) == 2


# --- constant query counts ------------------------------------------------------------------


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _attach(project, sources, n):
    for source in sources:
        for i in range(n):
            add_document(
                project=project,
                target=source,
                title=f"{source.kind} {i}",
                name="d.pdf",
                data=demo_pdf("D", []),
            )


@pytest.mark.parametrize("page", ["sources", "source_edit"])
def test_sources_pages_query_count_is_the_same_for_1_and_10_documents_per_source(
    client_for, leader, project, analysis, page
):
    """Prevents an N+1 on each source's documents and each source's responsible people."""
    sources = list(analysis.sources.all())
    for source in sources:
        source.responsible_user = leader
        source.responsible_partner = ParticipationFactory(project=project)
        source.save()
    client = client_for(leader)
    args = [project.pk] if page == "sources" else [project.pk, sources[0].pk]
    url = reverse(page, args=args)
    _attach(project, sources, 1)
    client.get(url)  # warm the per-process caches
    few = _count(client, url)
    _attach(project, sources, 9)
    assert _count(client, url) == few
