"""The WSGI entry point that gunicorn loads."""

import importlib
import io
import sys
from unittest import mock

from pypdf import PdfReader

from kvu import pdf


def test_the_wsgi_module_loads_weasyprint_and_its_fonts_before_the_first_request():
    """The first PDF of a process spent a second importing WeasyPrint and loading fonts."""
    wsgi = importlib.import_module("kvu.wsgi")
    with mock.patch.object(pdf, "warm_up", wraps=pdf.warm_up) as warm_up:
        importlib.reload(wsgi)
    warm_up.assert_called_once_with()
    assert "weasyprint" in sys.modules


def test_the_warm_up_lays_out_a_real_pdf_with_the_fonts_of_ours():
    page = PdfReader(io.BytesIO(pdf.warm_up())).pages[0]
    assert "Opstarten" in page.extract_text()
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts == {"DejaVu-Sans", "DejaVu-Sans-Bold", "DejaVu-Sans-Mono"}
