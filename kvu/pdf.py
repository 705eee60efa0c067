"""Rendering PDFs with WeasyPrint from a template in templates/pdf/."""

import functools
import hashlib
import ssl
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import caches
from django.http import HttpResponse
from django.template.loader import render_to_string


def _fetcher():
    """A WeasyPrint fetcher that serves only our own static files: a PDF never goes online."""
    from weasyprint.urls import URLFetcher

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            path = url.split("://", 1)[-1]
            path = path[path.find("/") :]
            static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
            if path.startswith(static_prefix):
                found = finders.find(path.removeprefix(static_prefix))
                if found:
                    return super().fetch(Path(found).as_uri(), headers)
            raise ValueError(f"PDF resource not allowed: {url}")

    # One TLS context for the process: building one per PDF costs tens of milliseconds, and this
    # fetcher never opens an https address anyway.
    return StaticOnlyFetcher(allowed_protocols={"file"}, ssl_context=_tls_context())


@functools.cache
def _tls_context() -> ssl.SSLContext:
    return ssl.create_default_context()


# The fonts and features of our PDFs (templates/pdf/): regular, bold and mono text, a footer.
_WARM_UP_HTML = """<!doctype html><html lang="nl"><head><meta charset="utf-8"><style>
@page { size: A4; @bottom-right { content: counter(page) " / " counter(pages);
  font-family: "DejaVu Sans", sans-serif; } }
body { font-family: "DejaVu Sans", sans-serif; } code { font-family: "DejaVu Sans Mono"; }
</style></head><body><h1>KVU</h1><p>Opstarten, <strong>vet</strong> en <code>0123</code>.</p>
</body></html>"""


def warm_up() -> bytes:
    """Load WeasyPrint and the fonts of our PDFs once, when the web process starts (kvu/wsgi.py).

    Otherwise the first PDF of every process pays for it: importing WeasyPrint took 0.8 s on the
    bench machine and loading its fonts and style sheets 0.2 s (docs/performance.md).
    """
    from weasyprint import HTML

    return HTML(string=_WARM_UP_HTML).write_pdf()


def render_pdf(template_name: str, context: dict, *, request=None, stamp: str = "") -> bytes:
    """The PDF of a template; a PDF of exactly the same HTML is served again from the cache.

    Laying out a PDF takes WeasyPrint a second or more; the HTML takes milliseconds. The cache
    key is the SHA-256 of the HTML, so any change to what the PDF shows (a new signature, an
    edited text, another language) makes a new PDF. `stamp` names a context entry holding the
    moment of generation: it is left out of the key, so an unchanged document comes back with
    the moment it was first made. The cache is the "pdf" cache (process memory, minutes).
    """
    from weasyprint import HTML

    html = render_to_string(template_name, context, request=request)
    unstamped = (
        render_to_string(template_name, {**context, stamp: None}, request=request)
        if stamp
        else html
    )
    key = "kvu.pdf." + hashlib.sha256(unstamped.encode()).hexdigest()
    cache = caches["pdf"]
    pdf = cache.get(key)
    if pdf is None:
        pdf = HTML(string=html, base_url="http://pdf.invalid/", url_fetcher=_fetcher()).write_pdf()
        cache.set(key, pdf)
    return pdf


def pdf_response(pdf: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
