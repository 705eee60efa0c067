"""Test settings: the project's settings with development defaults and a fast hasher."""

import os
import tempfile

# The tests run with the development defaults, whatever kvu/settings.py's own default for DEBUG.
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("SECRET_KEY", "tests-only-key-never-use-in-production-0123456789abcdefghij")

from kvu.settings import *  # noqa: F403

# Argon2 is slow on purpose, and nearly every test creates users. Production keeps Argon2
# (tests/test_test_settings.py).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Documents go to a temporary folder, never into the repository (the demo, too, stores files).
STORAGES = {
    **STORAGES,  # noqa: F405
    "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tempfile.mkdtemp(prefix="kvu-test-documents-")},
    },
}
