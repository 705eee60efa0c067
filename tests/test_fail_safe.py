"""Fail-safe defaults: DEBUG off unless asked for, SQLite that waits instead of failing, no feed
secret in the logs, and a limit on failed log-ins per address across user names."""

import datetime
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from partners.log_filters import RedactSigningTokens

ROOT = Path(__file__).resolve().parent.parent
FEED_SECRET = "Zq3-xY_8" * 6
PASSWORD = "correct-horse-battery"


def _import_settings(**env) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import kvu.settings as s; print(s.DEBUG)"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )


def test_debug_is_off_when_the_environment_does_not_say():
    result = _import_settings(SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_without_debug_a_secret_key_is_required():
    result = _import_settings()
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_can_be_switched_on_for_development():
    result = _import_settings(DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


SQLITE_PROBE = """
import django
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    print(cursor.execute("PRAGMA journal_mode").fetchone()[0])
    print(cursor.execute("PRAGMA synchronous").fetchone()[0])
    print(cursor.execute("PRAGMA busy_timeout").fetchone()[0])
print(connection.transaction_mode)
"""


def test_sqlite_database_uses_wal_a_busy_timeout_and_immediate_transactions(tmp_path):
    """The development database as `make run` opens it, whatever database the tests use."""
    environ = {
        **os.environ,
        "DEBUG": "true",
        "DJANGO_SETTINGS_MODULE": "kvu.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'dev.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", SQLITE_PROBE],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "1", "20000", "IMMEDIATE"]


def _through_console_filters(record: logging.LogRecord) -> str:
    """The message as the root console handler writes it, after its filters."""
    console = [
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(f, RedactSigningTokens) for f in handler.filters)
    ]
    assert console, "the root console handler has no redacting filter"
    for log_filter in console[0].filters:
        log_filter.filter(record)
    return record.getMessage()


def test_development_server_line_hides_the_feed_secret():
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        (f"GET /agenda/{FEED_SECRET}/overleggen.ics HTTP/1.1", "200", "512"),
        None,
    )
    message = _through_console_filters(record)
    assert FEED_SECRET not in message
    assert "/agenda/[verborgen]/overleggen.ics" in message


def test_an_unknown_feed_secret_is_logged_without_it(client, db, caplog):
    caplog.set_level(logging.INFO)
    response = client.get(reverse("meeting_feed", args=[FEED_SECRET]))
    assert response.status_code == 404
    logged = [r for r in caplog.records if "overleggen.ics" in r.getMessage()]
    assert logged, "Django logs the 404 with its path"
    for record in logged:
        assert FEED_SECRET not in _through_console_filters(record)


@pytest.fixture
def fixed_clock(monkeypatch):
    """Keep the failure counter inside one time window, whenever the test happens to run."""
    moment = datetime.datetime(2026, 11, 27, 20, 0, 1, tzinfo=datetime.UTC)
    monkeypatch.setattr("kvu.ratelimit.timezone.now", lambda: moment)


def _login(client, username, password, ip):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_many_user_names_from_one_address_are_locked_out(client, leader, fixed_clock):
    leader.set_password(PASSWORD)
    leader.save()
    for number in range(settings.LOGIN_FAILURES_PER_ADDRESS):
        response = _login(client, f"gebruiker{number}", "Welkom01", ip="10.9.9.9")
        assert response.status_code == 200  # each user name once: axes does not lock
    refused = _login(client, "gebruiker-21", "Welkom01", ip="10.9.9.9")
    assert refused.status_code == 429
    assert "Te veel pogingen" in refused.text
    # Even the right password gets no further from that address...
    assert _login(client, leader.username, PASSWORD, ip="10.9.9.9").status_code == 429
    assert "_auth_user_id" not in client.session
    # ...while from another address it does.
    assert _login(client, leader.username, PASSWORD, ip="10.2.2.2").status_code == 302


def test_a_few_failures_from_a_shared_address_lock_nobody_out(client, leader, fixed_clock):
    leader.set_password(PASSWORD)
    leader.save()
    for number in range(settings.LOGIN_FAILURES_PER_ADDRESS - 1):
        _login(client, f"collega{number}", "fout", ip="10.3.3.3")
    assert _login(client, leader.username, PASSWORD, ip="10.3.3.3").status_code == 302
