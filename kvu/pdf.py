"""Rendering PDFs with WeasyPrint from a template in templates/pdf/."""

import functools
import ssl
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
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


def render_pdf(template_name: str, context: dict, *, request=None) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template_name, context, request=request)
    return HTML(string=html, base_url="http://pdf.invalid/", url_fetcher=_fetcher()).write_pdf()


def pdf_response(pdf: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
