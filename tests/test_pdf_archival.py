"""Every PDF is archival and accessible: PDF/A-2u, tagged, with language, title, author (the
municipality), subject and creation date in its metadata (kvu/pdf.py)."""

import datetime
import io
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from kvu import pdf as kvu_pdf
from meetings.models import Meeting
from partners.models import Declaration
from tests.pdf_words import demo_pdfs

PDFA = "{http://www.aiim.org/pdfa/ns/id/}"
DC = "{http://purl.org/dc/elements/1.1/}"


@pytest.fixture
def pdfs(db, client, settings):
    settings.DEBUG = True  # the demo command runs only in development
    return demo_pdfs(client)


def _xmp(reader) -> ET.Element:
    return ET.fromstring(reader.trailer["/Root"]["/Metadata"].get_data())


def test_every_pdf_is_pdf_a_2u_tagged_and_has_its_language(pdfs):
    for name, (pdf, _project) in pdfs.items():
        reader = PdfReader(io.BytesIO(pdf))
        attributes = {}
        for description in _xmp(reader).iter(
            "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}Description"
        ):
            attributes.update(description.attrib)
        assert attributes.get(f"{PDFA}part") == "2", name
        assert attributes.get(f"{PDFA}conformance") == "U", name
        # PDF/A needs an output intent (sRGB) for its colours.
        assert reader.trailer["/Root"]["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1", name
        # Tagged, for screen readers, and in its language.
        root = reader.trailer["/Root"]
        assert bool(root["/MarkInfo"]["/Marked"]) is True, name
        assert "/StructTreeRoot" in root, name
        assert root["/StructTreeRoot"].get_object()["/K"], name
        assert root["/Lang"] == "nl", name


def test_every_pdf_has_title_author_subject_and_creation_date(pdfs):
    for name, (pdf, project) in pdfs.items():
        reader = PdfReader(io.BytesIO(pdf))
        info = reader.metadata
        assert info.title, name
        assert info.author == f"Gemeente {project.municipality.name}", name
        assert project.name in info.subject, name
        created = info.creation_date
        assert created is not None, name
        if created.tzinfo is None:
            created = created.replace(tzinfo=datetime.UTC)
        assert abs(timezone.now() - created) < datetime.timedelta(minutes=10), name
        # The same in the XMP metadata, which is what PDF/A validators compare.
        xmp = _xmp(reader)
        titles = [li.text for title in xmp.iter(f"{DC}title") for li in title.iter() if li.text]
        assert [t for t in titles if t.strip()] == [info.title], name

    titles = {name: PdfReader(io.BytesIO(pdf)).metadata.title for name, (pdf, _) in pdfs.items()}
    project = pdfs["status report"][1]
    assert titles["status report"].endswith(project.name)
    assert titles["declaration (municipality)"] == titles["declaration (partner)"]
    declaration = Declaration.objects.filter(project=project).latest("version")
    assert titles["declaration (municipality)"] == declaration.title
    assert Meeting.objects.filter(title=titles["meeting report"].split(": ", 1)[1]).exists()


def test_a_pdf_template_without_metadata_is_refused(settings, tmp_path):
    (tmp_path / "pdf").mkdir()
    (tmp_path / "pdf" / "bare.html").write_text(
        "<!doctype html><html><head><title>Kaal</title></head><body><p>x</p></body></html>"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    with pytest.raises(kvu_pdf.PdfMetadataMissing) as error:
        kvu_pdf.render_pdf("pdf/bare.html", {})
    message = str(error.value)
    for part in ("author", "description", "lang"):
        assert part in message


def test_the_status_report_footer_prints_the_project_name_as_written(client, leader, project):
    """No JavaScript escapes in the PDF's CSS: "café 't Hoekje" stays as written in the footer."""
    project.name = 'café \'t Hoekje & "Oude" Markt'
    project.save()
    client.force_login(leader)
    response = client.get(reverse("status_report_pdf", args=[project.pk]))
    pdf = b"".join(response.streaming_content) if response.streaming else response.content
    reader = PdfReader(io.BytesIO(pdf))
    last_lines = [page.extract_text().strip().splitlines()[-2:] for page in reader.pages]
    footer = " ".join(" ".join(lines) for lines in last_lines)
    assert 'café \'t Hoekje & "Oude" Markt ·' in footer
    assert "u0027" not in footer
