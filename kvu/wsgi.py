"""WSGI entry point for gunicorn."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kvu.settings")

application = get_wsgi_application()

from kvu.pdf import warm_up  # noqa: E402 (needs the settings that the line above loads)

# Everything loaded by now lives as long as the process (modules, models, settings, the URL
# patterns and WeasyPrint with its fonts, loaded here instead of by the first request that needs
# them: the first PDF of a process spent a second loading WeasyPrint). Frozen, it is left out of
# the garbage collector's full collections, which scanned it every ~16 requests (100 ms each on
# the bench machine, docs/performance.md).
get_resolver().url_patterns  # noqa: B018 (loads them)
warm_up()
gc.freeze()
