"""Bench-only settings: the production settings plus a query-count header and a ceiling view.

Used only by `make bench` (DJANGO_SETTINGS_MODULE=bench.settings); the application's own
settings and URL space stay as they are. E-mail goes to files so the soak can count it.
"""

import os
from pathlib import Path

from kvu.settings import *  # noqa: F403
from kvu.settings import MIDDLEWARE

ROOT_URLCONF = "bench.urls"
# Outermost, so it counts every query of the request, middleware included (sessions, axes).
MIDDLEWARE = ["bench.querycount.QueryCountMiddleware", *MIDDLEWARE]

MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": os.environ.get("BENCH_MAIL_DIR", "/tmp/kvu-bench/mail")},
    }
}

# collectstatic of the bench goes to its own folder, not to the one of the working tree.
STATIC_ROOT = Path(os.environ.get("BENCH_WORKDIR", "/tmp/kvu-bench")) / "static"
