"""The WSGI entry point that gunicorn loads."""

import gc
import importlib
import io
import sys
from unittest import mock

from pypdf import PdfReader

from kvu import pdf


def test_the_wsgi_module_freezes_what_lives_as_long_as_the_process():
    """Frozen objects are skipped by the garbage collector's full collections (kvu/wsgi.py)."""
    gc.unfreeze()
    try:
        wsgi = importlib.reload(importlib.import_module("kvu.wsgi"))
        assert callable(wsgi.application)
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()


def test_the_wsgi_module_loads_weasyprint_and_its_fonts_before_the_first_request():
    """The first PDF of a process spent a second importing WeasyPrint and loading fonts."""
    gc.unfreeze()
    try:
        with mock.patch.object(pdf, "warm_up", wraps=pdf.warm_up) as warm_up:
            importlib.reload(importlib.import_module("kvu.wsgi"))
        warm_up.assert_called_once_with()
        assert "weasyprint" in sys.modules
    finally:
        gc.unfreeze()


def test_the_warm_up_lays_out_a_real_pdf_with_the_fonts_of_ours():
    page = PdfReader(io.BytesIO(pdf.warm_up())).pages[0]
    assert "Opstarten" in page.extract_text()
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts == {"DejaVu-Sans", "DejaVu-Sans-Bold", "DejaVu-Sans-Mono"}
