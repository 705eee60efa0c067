"""The test settings: a fast password hasher in tests, Argon2 and production values elsewhere."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import get_hasher

from tests.factories import UserFactory

BASE_DIR = Path(__file__).resolve().parent.parent
PRINT_SETTINGS = (
    "import json, {module} as s; "
    "print(json.dumps({{'hashers': s.PASSWORD_HASHERS, 'ssl_redirect': s.SECURE_SSL_REDIRECT}}))"
)


def _settings_in_subprocess(module: str, **env: str) -> dict:
    environ = {key: value for key, value in os.environ.items() if key not in env}
    environ.update({key: value for key, value in env.items() if value is not None})
    result = subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS.format(module=module)],
        cwd=BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_production_settings_hash_passwords_with_argon2():
    values = _settings_in_subprocess(
        "kvu.settings",
        DEBUG="false",
        SECRET_KEY="production-like-key-0123456789abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="kvu.example.org",
    )
    assert values["ssl_redirect"] is True  # really the production values
    assert values["hashers"][0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_tests_hash_passwords_with_a_fast_hasher(db):
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert get_hasher().algorithm == "md5"
    assert UserFactory().password.startswith("md5$")


def test_test_settings_use_development_defaults_without_debug_in_the_environment():
    """kvu/settings.py's own DEBUG default does not decide how the tests run."""
    values = _settings_in_subprocess("tests.settings", DEBUG=None, SECRET_KEY=None)
    assert values["ssl_redirect"] is False
