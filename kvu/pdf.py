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
from django.utils import timezone


def _fetcher():
    """A WeasyPrint fetcher that serves only our own static files and data the template embedded
    itself (data: URIs, e.g. walk-through photos read through the storage): a PDF never goes
    online."""
    from weasyprint.urls import URLFetcher

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
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
    return StaticOnlyFetcher(allowed_protocols={"file", "data"}, ssl_context=_tls_context())


@functools.cache
def _tls_context() -> ssl.SSLContext:
    return ssl.create_default_context()


# Every PDF is archival and accessible: PDF/A-2u (fonts embedded, Unicode text, sRGB output
# intent, XMP metadata) and tagged (a structure tree, /MarkInfo /Marked true) for screen readers.
# WeasyPrint 70 takes one variant, so "pdf/ua-1" cannot be combined with PDF/A; "pdf/a-2a" would
# claim the accessible conformance level, which WeasyPrint's tagging is not checked against here.
# PDF/A-2u with tags (pdf_tags=True) claims only the level its PDF/A code provides, and still
# gives screen readers the structure tree. Not checked with veraPDF in CI (not installed).
PDF_VARIANT = "pdf/a-2u"
PDF_OPTIONS = {"pdf_variant": PDF_VARIANT, "pdf_tags": True}

# One layout rule for every table of every PDF, so that the longest Dutch words fit their column:
# words are hyphenated in the document's language (<html lang>), a word that still does not fit
# breaks rather than running into the next cell, and column headers are set a size smaller.
# WeasyPrint takes this sheet as a user style sheet; "!important" makes it win over whatever a
# template says (CSS cascade: user !important > author), so no template can bring the overlap back.
_TABLE_CSS = """
table { border-collapse: collapse; }
th, td, caption { hyphens: auto !important; overflow-wrap: anywhere !important; }
th, td { word-break: normal !important; white-space: normal; }
th:not([scope="row"]) { font-size: 7.5pt !important; line-height: 1.25; }
"""


class PdfMetadataMissing(ValueError):
    """A PDF template without the metadata an archival PDF needs (see render_pdf)."""


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

    return HTML(string=_WARM_UP_HTML).write_pdf(**PDF_OPTIONS)


def _stylesheets():
    from weasyprint import CSS

    return [CSS(string=_TABLE_CSS)]


def _layout(html: str) -> bytes:
    """Lay out one PDF: archival (PDF/A), tagged, with its metadata checked and dated."""
    from weasyprint import HTML

    document = HTML(string=html, base_url="http://pdf.invalid/", url_fetcher=_fetcher()).render(
        stylesheets=_stylesheets()
    )
    metadata = document.metadata
    missing = [
        name
        for name, value in (
            ("<title>", metadata.title),
            ('<meta name="author">', metadata.authors),
            ('<meta name="description">', metadata.description),
            ("<html lang>", metadata.lang),
        )
        if not value
    ]
    if missing:
        raise PdfMetadataMissing("PDF template lacks " + ", ".join(missing))
    if not metadata.created:
        # The moment it was laid out: a PDF served again from the cache keeps its first date.
        metadata.created = timezone.now().replace(microsecond=0).isoformat()
    return document.write_pdf(**PDF_OPTIONS)


def render_pdf(template_name: str, context: dict, *, request=None, stamp: str = "") -> bytes:
    """The PDF of a template; a PDF of exactly the same HTML is served again from the cache.

    Laying out a PDF takes WeasyPrint a second or more; the HTML takes milliseconds. The cache
    key is the SHA-256 of the HTML, so any change to what the PDF shows (a new signature, an
    edited text, another language) makes a new PDF. `stamp` names a context entry holding the
    moment of generation: it is left out of the key, so an unchanged document comes back with
    the moment it was first made. The cache is the "pdf" cache (process memory, minutes).

    Every PDF is PDF/A-2u and tagged (PDF_OPTIONS). Its metadata comes from the template's HTML,
    as WeasyPrint reads it: <title> (title), <meta name="author"> (author: the municipality),
    <meta name="description"> (subject), <html lang> (language); a template lacking one raises
    PdfMetadataMissing. The creation date is the moment of layout unless the template gives
    <meta name="dcterms.created">.
    """
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
        pdf = _layout(html)
        cache.set(key, pdf)
    return pdf


def pdf_response(pdf: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
