"""Signing through a personal link: tokens, sessions, one answer per invitation, dead links."""

import datetime
import logging
import threading

import pytest
from django.apps import apps
from django.core import mail
from django.db import connection, connections, models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from partners.declaration import services
from partners.declaration.signing import SESSION_KEY, hash_token
from partners.models import (
    EventKind,
    Invitation,
    InvitationStatus,
    Participation,
    Signature,
    SigningToken,
    Stage,
    StageChange,
)
from tests.declaration_support import invited, last_token


def _sign_data(invitation, **overrides):
    return {
        "action": "sign",
        "signer_name": "Jan de Boer",
        "signer_function": "eigenaar",
        "consent": "on",
        "text_sha256": invitation.declaration.text_sha256,
        **overrides,
    }


def _open(client, token):
    return client.get(reverse("signing_start", args=[token]))


def test_link_is_exchanged_for_a_session_and_redirects_to_a_url_without_token(
    client, project, leader
):
    invitation, token = invited(project, leader=leader)
    response = _open(client, token)
    assert response.status_code == 302
    assert response["Location"] == reverse("signing_page")
    assert token not in response["Location"]
    assert client.session[SESSION_KEY]["invitation"] == invitation.pk
    page = client.get(reverse("signing_page"))
    assert page.status_code == 200
    assert invitation.participation.organisation.name in page.content.decode()
    invitation.refresh_from_db()
    assert invitation.opened_at is not None
    assert list(invitation.events.values_list("kind", flat=True)) == ["sent", "opened"]


def test_token_has_256_bits_and_only_its_hash_is_stored(project, leader):
    invitation, token = invited(project, leader=leader)
    assert len(token) >= 43  # 32 bytes in URL-safe base64
    stored = SigningToken.objects.get(invitation=invitation)
    assert stored.token_hash == hash_token(token)
    assert stored.token_hash != token


def test_signing_records_the_evidence_and_moves_the_partner_to_signed(client, project, leader):
    invitation, token = invited(project, leader=leader)
    _open(client, token)
    response = client.post(
        reverse("signing_page"),
        _sign_data(invitation),
        HTTP_USER_AGENT="Mozilla/5.0 (iPhone)",
        REMOTE_ADDR="192.0.2.7",
    )
    assert response.status_code == 302
    signature = Signature.objects.get(invitation=invitation)
    assert signature.decision == "signed"
    assert signature.signer_name == "Jan de Boer"
    assert signature.signer_function == "eigenaar"
    assert signature.ip_address == "192.0.2.7"
    assert signature.user_agent == "Mozilla/5.0 (iPhone)"
    assert signature.text_sha256 == invitation.declaration.text_sha256
    assert signature.answered_at.tzinfo is not None
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.SIGNED
    participation = Participation.objects.get(pk=invitation.participation_id)
    assert participation.stage == Stage.SIGNED
    change = StageChange.objects.get(participation=participation)
    assert change.to_stage == Stage.SIGNED
    assert change.changed_by is None
    page = client.get(reverse("signing_page")).content.decode()
    assert "Bedankt, u hebt ondertekend" in page


def test_consent_must_be_ticked(client, project, leader):
    invitation, token = invited(project, leader=leader)
    _open(client, token)
    response = client.post(reverse("signing_page"), _sign_data(invitation, consent=""))
    assert response.status_code == 200
    assert "Vink het vakje aan" in response.content.decode()
    assert not Signature.objects.exists()


def test_declining_requires_a_reason_and_records_it(client, project, leader):
    invitation, token = invited(project, leader=leader)
    _open(client, token)
    data = {
        "action": "decline",
        "decline-signer_name": "Jan de Boer",
        "decline-decline_reason": "",
        "decline-text_sha256": invitation.declaration.text_sha256,
    }
    assert client.post(reverse("signing_page"), data).status_code == 200
    assert not Signature.objects.exists()
    data["decline-decline_reason"] = "Wij wachten eerst de veiligheidsanalyse af."
    mail.outbox.clear()
    assert client.post(reverse("signing_page"), data).status_code == 302
    signature = Signature.objects.get()
    assert signature.decision == "declined"
    assert signature.decline_reason == "Wij wachten eerst de veiligheidsanalyse af."
    assert Participation.objects.get(pk=invitation.participation_id).stage != Stage.SIGNED
    # The leader hears of it, with the reason; the decliner gets no "signed" confirmation. The
    # only invitee answered, so the round's result to the leader follows (no final PDF: nobody
    # signed).
    assert [m.to for m in mail.outbox] == [[leader.email], [leader.email]]
    assert "veiligheidsanalyse" in mail.outbox[0].body


def test_second_submit_never_makes_a_second_signature(client, project, leader):
    invitation, token = invited(project, leader=leader)
    _open(client, token)
    client.post(reverse("signing_page"), _sign_data(invitation))
    response = client.post(reverse("signing_page"), _sign_data(invitation, signer_name="Ander"))
    assert response.status_code in (200, 302)
    assert Signature.objects.count() == 1
    assert Signature.objects.get().signer_name == "Jan de Boer"


def _assert_dead_link_writes_nothing(client, token, expected_text):
    before = (Signature.objects.count(), Invitation.objects.filter(opened_at__isnull=False).count())
    events = {inv.pk: inv.events.count() for inv in Invitation.objects.prefetch_related("events")}
    response = _open(client, token)
    assert response.status_code == 200
    assert expected_text in response.content.decode()
    assert SESSION_KEY not in client.session
    assert (
        Signature.objects.count(),
        Invitation.objects.filter(opened_at__isnull=False).count(),
    ) == before
    assert events == {inv.pk: inv.events.count() for inv in Invitation.objects.all()}


def test_expired_link_shows_a_clear_page_and_writes_nothing(client, project, leader):
    invitation, token = invited(project, leader=leader)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    _assert_dead_link_writes_nothing(client, token, "De link is verlopen")


def test_revoked_link_shows_a_clear_page_and_writes_nothing(client, project, leader):
    invitation, token = invited(project, leader=leader)
    services.revoke_invitation(invitation=invitation, user=leader)
    _assert_dead_link_writes_nothing(client, token, "ingetrokken")


def test_used_link_shows_the_answer_and_writes_nothing(client, project, leader):
    """Reopening the link an answer was given with shows that answer (test_declaration_round)."""
    invitation, token = invited(project, leader=leader)
    _open(client, token)
    client.post(reverse("signing_page"), _sign_data(invitation))
    other = Client()
    events = invitation.events.count()
    assert _open(other, token)["Location"] == reverse("signing_page")
    page = other.get(reverse("signing_page")).content.decode()
    assert "Jan de Boer" in page
    assert reverse("signing_pdf") in page
    assert 'name="action"' not in page
    assert Signature.objects.count() == 1
    assert invitation.events.count() == events


def test_unknown_link_shows_a_clear_page(client, db):
    response = _open(client, "x" * 43)
    assert response.status_code == 200
    assert "We herkennen deze link niet" in response.content.decode()


def test_session_opened_before_revocation_cannot_sign_afterwards(client, project, leader):
    invitation, token = invited(project, leader=leader)
    _open(client, token)
    services.revoke_invitation(invitation=invitation, user=leader)
    response = client.post(reverse("signing_page"), _sign_data(invitation))
    assert response.status_code == 200
    assert not Signature.objects.exists()


def test_resend_makes_the_old_link_stop_working(client, project, leader):
    invitation, old_token = invited(project, leader=leader)
    services.resend_invitation(invitation=invitation, user=leader)
    new_token = last_token(invitation.email)
    assert new_token != old_token
    _assert_dead_link_writes_nothing(client, old_token, "ingetrokken")
    assert _open(client, new_token).status_code == 302


def test_reminder_link_works_beside_the_first_one(client, project, leader):
    invitation, first = invited(project, leader=leader)
    services.remind_invitation(invitation=invitation, user=leader)
    second = last_token(invitation.email)
    assert second != first
    assert _open(Client(), first).status_code == 302
    assert _open(Client(), second).status_code == 302
    assert invitation.events.filter(kind=EventKind.REMINDED).count() == 1


def test_text_changed_while_reading_writes_nothing(client, project, leader):
    invitation, token = invited(project, leader=leader)
    _open(client, token)
    response = client.post(reverse("signing_page"), _sign_data(invitation, text_sha256="0" * 64))
    assert response.status_code == 200
    assert not Signature.objects.exists()


def test_signing_page_reveals_nothing_of_other_invitations(client, project, leader):
    invitation, token = invited(project, leader=leader, name="Café Eén")
    other, _other_token = invited(
        project, leader=leader, declaration=invitation.declaration, name="Club Twee"
    )
    _open(client, token)
    page = client.get(reverse("signing_page")).content.decode()
    assert "Café Eén" in page
    assert other.participation.organisation.name not in page
    assert other.person.name not in page
    assert other.email not in page


def test_signing_page_reads_in_english(client, project, leader):
    _invitation, token = invited(project, leader=leader)
    _open(client, token)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("signing_page"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Sign the declaration" in page
    assert "I sign the declaration of intent on behalf of" in page


def _text_columns():
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField | models.JSONField):
                yield model, field


def test_tokens_never_appear_in_the_database_or_the_logs_in_clear(client, project, leader, caplog):
    caplog.set_level(logging.DEBUG)
    invitation, token = invited(project, leader=leader)
    services.remind_invitation(invitation=invitation, user=leader)
    tokens = [token, last_token(invitation.email)]
    _open(client, tokens[1])
    client.post(reverse("signing_page"), _sign_data(invitation))
    client.get(reverse("declaration_detail", args=[project.pk]))
    for secret in tokens:
        assert secret not in caplog.text
        for model, field in _text_columns():
            lookup = "icontains" if not isinstance(field, models.JSONField) else "contains"
            if isinstance(field, models.JSONField):
                continue
            hits = model._default_manager.filter(**{f"{field.attname}__{lookup}": secret})
            assert not hits.exists(), f"token found in {model.__name__}.{field.name}"
    # JSON columns (sessions, task results) are searched as text.
    with connection.cursor() as cursor:
        for model, field in _text_columns():
            if isinstance(field, models.JSONField):
                table, column = model._meta.db_table, field.column
                cursor.execute(f'SELECT "{column}" FROM "{table}"')
                rows = [str(row[0]) for row in cursor.fetchall()]
                assert not any(secret in row for secret in tokens for row in rows)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite has no row locks and serialises writers; the race needs PostgreSQL (CI).",
)
def test_twenty_concurrent_sign_requests_give_exactly_one_signature(project, leader):
    invitation, token = invited(project, leader=leader)
    clients = []
    for _i in range(20):
        c = Client()
        _open(c, token)
        clients.append(c)
    barrier = threading.Barrier(20)
    statuses, errors = [], []

    def sign(c):
        try:
            barrier.wait()
            statuses.append(c.post(reverse("signing_page"), _sign_data(invitation)).status_code)
        except Exception as error:  # a server error would surface here
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert all(status in (200, 302) for status in statuses), statuses
    assert len(statuses) == 20
    assert Signature.objects.filter(invitation=invitation).count() == 1
    assert invitation.events.filter(kind=EventKind.SIGNED).count() == 1
