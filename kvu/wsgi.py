"""WSGI entry point for gunicorn."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kvu.settings")

application = get_wsgi_application()

from kvu.pdf import warm_up  # noqa: E402 (needs the settings that the line above loads)

# WeasyPrint and its fonts load here, when the process starts, rather than in the first PDF
# request, which would otherwise spend a second on it.
warm_up()
