"""Login protection, rate limits, session limits, security headers and the security log."""

import datetime
import logging
import time
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kvu.ratelimit import hit
from kvu.security import AbsoluteSessionLimitMiddleware

PASSWORD = "correct-horse-battery"


def _login(client, username, password, ip="10.1.1.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_lockout_after_five_failures_and_it_lifts(client, leader):
    for _ in range(5):
        assert _login(client, leader.username, "wrong").status_code in (200, 429)
    locked = _login(client, leader.username, PASSWORD)
    assert locked.status_code == 429
    assert "Tijdelijk geblokkeerd" in locked.text
    assert "_auth_user_id" not in client.session

    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    assert _login(client, leader.username, PASSWORD).status_code == 302


def test_lockout_cannot_lock_a_user_out_from_another_address(client, leader):
    for _ in range(6):
        _login(client, leader.username, "wrong", ip="10.6.6.6")
    assert _login(client, leader.username, PASSWORD, ip="10.6.6.6").status_code == 429
    assert _login(client, leader.username, PASSWORD, ip="10.2.2.2").status_code == 302


@pytest.fixture
def fixed_clock(monkeypatch):
    """Keep the rate limiter inside one time window, whenever the test happens to run."""
    moment = datetime.datetime(2026, 11, 27, 20, 0, 1, tzinfo=datetime.UTC)
    monkeypatch.setattr("kvu.ratelimit.timezone.now", lambda: moment)


def test_password_reset_is_rate_limited_with_a_dutch_page(client, db, fixed_clock):
    for _ in range(5):
        assert client.post(reverse("password_reset"), {"email": "x@example.org"}).status_code == 302
    response = client.post(reverse("password_reset"), {"email": "x@example.org"})
    assert response.status_code == 429
    assert "Te veel pogingen" in response.text


def test_rate_limit_counts_per_client_and_window(db):
    now = datetime.datetime(2026, 11, 27, 20, 0, 5, tzinfo=datetime.UTC)
    assert [hit("test", "10.0.0.1", period=60, now=now) for _ in range(3)] == [1, 2, 3]
    assert hit("test", "10.0.0.2", period=60, now=now) == 1
    assert hit("other", "10.0.0.1", period=60, now=now) == 1
    later = now + datetime.timedelta(minutes=1)
    assert hit("test", "10.0.0.1", period=60, now=later) == 1


def test_deactivated_users_session_no_longer_works(client, leader, project):
    client.force_login(leader)
    assert client.get(project.get_absolute_url()).status_code == 200
    leader.is_active = False
    leader.save()
    response = client.get(project.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_session_ends_at_the_absolute_limit(client, leader, project, settings):
    client.force_login(leader)
    session = client.session
    session[AbsoluteSessionLimitMiddleware.KEY] = (
        int(time.time()) - settings.SESSION_ABSOLUTE_AGE - 1
    )
    session.save()
    response = client.get(project.get_absolute_url())
    assert response.status_code == 302
    assert client.get(project.get_absolute_url()).status_code == 302


def test_active_session_within_the_limit_continues(client, leader, project):
    client.force_login(leader)
    assert client.get(project.get_absolute_url()).status_code == 200
    assert client.get(project.get_absolute_url()).status_code == 200


def test_logout_ends_the_session(client, leader, project):
    client.force_login(leader)
    client.post(reverse("logout"))
    assert client.get(project.get_absolute_url()).status_code == 302


def test_failed_login_is_logged_without_the_user_name(client, leader, caplog):
    with caplog.at_level(logging.INFO, logger="kvu.security"):
        _login(client, leader.username, "wrong")
    assert "login failed" in caplog.text
    assert leader.username not in caplog.text
    assert "wrong" not in caplog.text


def test_refused_access_is_logged_without_personal_data(client, outsider, project, caplog):
    client.force_login(outsider)
    with caplog.at_level(logging.INFO, logger="kvu.access"):
        assert client.get(project.get_absolute_url()).status_code == 404
    assert "refused" in caplog.text
    assert outsider.username not in caplog.text
    assert outsider.email not in caplog.text


@pytest.mark.parametrize("name", ["login", "password_reset"])
def test_public_pages_carry_a_strict_csp(client, db, name):
    csp = client.get(reverse(name))["Content-Security-Policy"]
    script_src = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    assert "default-src 'self'" in csp


@pytest.mark.parametrize(
    ("name", "kwargs", "method", "limit"),
    [
        ("signing_start", {"token": "x" * 43}, "get", 30),
        ("signing_page", {}, "post", 30),
        ("verification_form", {}, "get", 20),
        ("verification_detail", {"code": "ABCD-EFGH"}, "get", 20),
    ],
)
def test_public_pages_are_rate_limited_with_a_dutch_page(
    client, db, fixed_clock, name, kwargs, method, limit
):
    url = reverse(name, kwargs=kwargs)
    send = client.get if method == "get" else client.post
    statuses = [send(url).status_code for _ in range(limit)]
    assert 429 not in statuses
    response = send(url)
    assert response.status_code == 429
    assert "Te veel pogingen" in response.text


def test_activity_extends_the_session_without_a_write_on_every_page(client, leader, project):
    client.force_login(leader)
    url = project.get_absolute_url()
    client.get(url)
    key = client.session.session_key
    expiry = Session.objects.get(session_key=key).expire_date
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert not [q for q in queries if q["sql"].startswith('UPDATE "django_session"')]
    assert Session.objects.get(session_key=key).expire_date == expiry
    # A minute later the next page keeps the session alive for another idle period.
    with mock.patch("kvu.security.time.time", return_value=time.time() + 61):
        assert client.get(url).status_code == 200
    assert Session.objects.get(session_key=key).expire_date > expiry
