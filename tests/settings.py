"""Test settings: the project's settings with development defaults and a fast hasher."""

import os

# The tests run with the development defaults, whatever kvu/settings.py's own default for DEBUG.
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("SECRET_KEY", "tests-only-key-never-use-in-production-0123456789abcdefghij")

from kvu.settings import *  # noqa: F403

# Argon2 is slow on purpose, and nearly every test creates users. Production keeps Argon2
# (tests/test_test_settings.py).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
