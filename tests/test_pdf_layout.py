"""Tables in our PDFs: the longest Dutch words fit their columns, no two words overlap.

The layout rule is one style sheet for every PDF (kvu/pdf.py, _TABLE_CSS); the check measures
the words of the PDF itself (tests/pdf_words.py)."""

import io

import pytest
from django.utils.text import capfirst
from pypdf import PdfReader

from kvu import pdf as kvu_pdf
from partners.models import Stage
from tests.pdf_words import demo_pdfs, overlapping_words, page_words


@pytest.fixture
def pdfs(db, client, settings):
    settings.DEBUG = True  # the demo command runs only in development
    return demo_pdfs(client)


def test_no_two_words_overlap_in_any_pdf_of_the_demo_project(pdfs):
    for name, (pdf, _project) in pdfs.items():
        assert overlapping_words(pdf) == [], name
    # The status report's table "Partners by stage and role" prints every stage header.
    pdf = pdfs["status report"][0]
    words = [w for page in PdfReader(io.BytesIO(pdf)).pages for w, _box in page_words(page)]
    text = "".join(words).replace("\u2010", "").replace("-", "")
    # Every stage label is there (hyphenated perhaps, but whole and not run into a number).
    for stage in Stage:
        assert str(stage.label).replace(" ", "") in text, stage.label


def test_a_table_with_long_dutch_words_in_narrow_columns_does_not_overlap(db, settings, tmp_path):
    (tmp_path / "pdf").mkdir()
    words = ["geïnteresseerd", "toegezegd", "ondertekend", "horecaondernemersvereniging"]
    cells = "".join(f"<th>{capfirst(w)}</th>" for w in words * 2)
    (tmp_path / "pdf" / "table.html").write_text(
        '<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Tabel</title>'
        '<meta name="author" content="Gemeente Zwolle"><meta name="description" content="Test">'
        "<style>table { width: 100%; table-layout: fixed; }"
        " th, td { font-size: 9pt; hyphens: manual; overflow-wrap: normal; }</style>"
        f"</head><body><table><tr>{cells}</tr><tr>{'<td>12345</td>' * 8}</tr></table>"
        "</body></html>"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    assert overlapping_words(kvu_pdf.render_pdf("pdf/table.html", {})) == []
