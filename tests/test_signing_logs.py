"""Signing links never reach the logs: the console handler blanks them out of every record."""

import logging

from django.urls import reverse

from partners.log_filters import RedactSigningTokens
from tests.declaration_support import invited


def test_filter_blanks_the_token_in_a_request_log_line():
    token = "A" * 43
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Too Many Requests: %s",
        (f"/ondertekenen/{token}/",),
        None,
    )
    assert RedactSigningTokens().filter(record)
    assert token not in record.getMessage()
    assert "/ondertekenen/[verborgen]/" in record.getMessage()


def test_every_log_record_passes_the_filter_on_its_way_out():
    console = [
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, RedactSigningTokens) for f in h.filters)
    ]
    assert console, "the root console handler has no token filter"
    # Django's loggers hand their records to the root handler instead of their own.
    for name in ["django", "django.request", "django.server"]:
        logger = logging.getLogger(name)
        assert not logger.handlers, name
        assert logger.propagate, name


def test_a_rate_limited_link_is_logged_without_its_token(client, project, leader, caplog):
    _invitation, token = invited(project, leader=leader)
    caplog.set_level(logging.INFO)
    # 30 a minute per address: within 100 requests a fixed one-minute window must refuse one,
    # even when a window boundary falls in between.
    for _i in range(100):
        response = client.get(reverse("signing_start", args=[token]))
        if response.status_code == 429:
            break
    assert response.status_code == 429
    # Django logs the 429 with the path; on its way out the record loses the token.
    logged = [r for r in caplog.records if "ondertekenen" in r.getMessage()]
    assert logged
    for record in logged:
        RedactSigningTokens().filter(record)
        assert token not in record.getMessage()


def test_filter_blanks_team_and_survey_links_and_logging_addresses():
    """The team invitation link, a partner's survey link and the SMTP server's "rcpt to:" line
    carry secrets too."""
    token, secret = "B" * 43, "abcdefghijklmnopqrstuvwxyz234567"
    for name, message, secret_part in [
        ("django.request", f"Too Many Requests: /team/uitnodiging/{token}/", token),
        ("django.request", f"Gone: /enquete/{token}/", token),
        ("mail.log", f"[127.0.0.1] >> b'RCPT TO:<logboek+{secret}@kvu.example.nl>'", secret),
    ]:
        record = logging.LogRecord(name, logging.INFO, __file__, 1, message, (), None)
        assert RedactSigningTokens().filter(record)
        assert secret_part not in record.getMessage()
        assert "[verborgen]" in record.getMessage()


def test_the_smtp_servers_command_log_is_quiet_in_production():
    assert logging.getLogger("mail.log").getEffectiveLevel() >= logging.WARNING
