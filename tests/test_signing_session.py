"""A signing session is bound to the link that opened it: a newer link or signatory ends it."""

import threading
import time

import pytest
from django.core import mail
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse

from partners.declaration import services
from partners.declaration.signing import SESSION_KEY
from partners.models import Invitation, InvitationStatus, Signature, SigningToken
from tests.concurrency import race_split
from tests.declaration_support import invited, last_token
from tests.factories import DeclarationFactory, ParticipationFactory, PersonFactory


def _sign_data(invitation):
    return {
        "action": "sign",
        "signer_name": "Jan de Boer",
        "signer_function": "eigenaar",
        "consent": "on",
        "text_sha256": invitation.declaration.text_sha256,
    }


def _browser(token):
    """A signer's browser that opened `token`'s link and holds the signing session."""
    browser = Client()
    response = browser.get(reverse("signing_start", args=[token]))
    assert response.status_code == 302
    assert SESSION_KEY in browser.session
    return browser


def _sign(browser, invitation):
    return browser.post(reverse("signing_page"), _sign_data(invitation))


def _assert_refused(response):
    assert response.status_code == 200
    assert "partners/signing/problem.html" in [t.name for t in response.templates]
    assert not Signature.objects.exists()


def _leader_post(client, name, invitation):
    url = reverse(name, args=[invitation.declaration.project_id, invitation.pk])
    assert client.post(url).status_code == 302


def _invite_through_form(client, invitation, person):
    url = reverse("declaration_invite", args=[invitation.declaration.project_id])
    assert client.post(url, {"persons": [person.pk]}).status_code == 302


def test_a_new_link_ends_the_session_of_the_old_link(client_for, project, leader):
    invitation, old_token = invited(project, leader=leader)
    browser = _browser(old_token)
    _leader_post(client_for(leader), "declaration_invitation_resend", invitation)

    _assert_refused(_sign(browser, invitation))
    assert (
        _browser(last_token(invitation.email))
        .post(reverse("signing_page"), _sign_data(invitation))
        .status_code
        == 302
    )
    assert Signature.objects.get().invitation == invitation


@pytest.mark.parametrize("again", ["resend", "invite"])
def test_withdrawing_and_inviting_again_ends_the_session_of_the_old_link(
    client_for, project, leader, again
):
    invitation, old_token = invited(project, leader=leader)
    browser = _browser(old_token)
    leader_client = client_for(leader)
    _leader_post(leader_client, "declaration_invitation_revoke", invitation)
    if again == "resend":
        _leader_post(leader_client, "declaration_invitation_resend", invitation)
    else:
        _invite_through_form(leader_client, invitation, invitation.person)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.OPEN

    _assert_refused(_sign(browser, invitation))
    # The same person is invited again: the invitation is reopened, not duplicated.
    assert Invitation.objects.count() == 1
    assert _sign(_browser(last_token(invitation.email)), invitation).status_code == 302
    assert Signature.objects.filter(invitation=invitation).count() == 1


def test_a_new_signatory_ends_the_old_session_and_gets_an_invitation_of_their_own(
    client_for, project, leader
):
    old, old_token = invited(project, leader=leader)
    old_person, old_email = old.person, old.email
    browser = _browser(old_token)
    new_person = PersonFactory(organisation=old.participation.organisation, name="Els Visser")
    _invite_through_form(client_for(leader), old, new_person)

    _assert_refused(_sign(browser, old))
    old.refresh_from_db()
    assert (old.person, old.email, old.status) == (old_person, old_email, InvitationStatus.REVOKED)
    assert not SigningToken.objects.filter(invitation=old, revoked_at__isnull=True).exists()
    new = Invitation.objects.exclude(pk=old.pk).get()
    assert (new.participation, new.person, new.email, new.status) == (
        old.participation,
        new_person,
        new_person.email,
        InvitationStatus.OPEN,
    )
    # The old invitation cannot be revived beside the new one.
    with pytest.raises(services.DeclarationError):
        services.resend_invitation(invitation=old, user=leader)

    assert _sign(_browser(last_token(new_person.email)), new).status_code == 302
    assert Signature.objects.get().invitation == new


def _wait_until_blocked(pid_holder, timeout=10):
    """Until the sign request's database connection waits for a row lock."""
    deadline = time.monotonic() + timeout
    with connections["default"].cursor() as cursor:
        while time.monotonic() < deadline:
            if pid_holder:
                cursor.execute(
                    "SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid_holder[0]]
                )
                row = cursor.fetchone()
                if row and row[0] == "Lock":
                    return
            time.sleep(0.02)
    raise AssertionError("the sign request never waited for the lock")


@pytest.mark.django_db(transaction=True)
def test_a_new_link_committed_while_a_sign_request_waits_stops_it(project, leader):
    """The session's link is checked under the answer's row locks, not before them."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    invitation, old_token = invited(project, leader=leader)
    browser = _browser(old_token)
    pid, responses, errors = [], [], []
    go = threading.Event()

    def sign():
        try:
            with connections["default"].cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid.append(cursor.fetchone()[0])
            go.wait(10)
            responses.append(_sign(browser, invitation))
        except Exception as error:  # a server error would surface here
            errors.append(error)
        finally:
            connections.close_all()

    signer = threading.Thread(target=sign)
    signer.start()
    with transaction.atomic():
        services.resend_invitation(invitation=invitation, user=leader)
        go.set()
        _wait_until_blocked(pid)
    signer.join(20)

    assert not errors
    _assert_refused(responses[0])
    assert Invitation.objects.get(pk=invitation.pk).status == InvitationStatus.OPEN


def _one_invitation_sent_once(person):
    invitation = Invitation.objects.get()
    assert (invitation.person, invitation.status) == (person, InvitationStatus.OPEN)
    assert list(invitation.events.values_list("kind", flat=True)) == ["sent"]
    assert [m.to for m in mail.outbox] == [[person.email]]
    assert SigningToken.objects.filter(invitation=invitation, revoked_at__isnull=True).count() == 1


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_invitations_of_one_signatory_are_answered_as_one(project, leader):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    declaration = DeclarationFactory(project=project)
    participation = ParticipationFactory(project=project)
    person = PersonFactory(organisation=participation.organisation)

    results, errors = race_split(
        10,
        lambda _i: (
            services.invite(
                declaration=declaration, participation=participation, person=person, user=leader
            ).pk
        ),
    )

    assert not errors
    assert len(results) == 10
    assert len(set(results)) == 1
    _one_invitation_sent_once(person)


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_invite_forms_for_one_signatory_give_no_server_error(project, leader):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    declaration = DeclarationFactory(project=project)
    participation = ParticipationFactory(project=project)
    person = PersonFactory(organisation=participation.organisation)
    url = reverse("declaration_invite", args=[project.pk])
    browsers = []
    for _i in range(10):
        browser = Client()
        browser.force_login(leader)
        browsers.append(browser)

    results, errors = race_split(
        10,
        lambda i: browsers[i].post(url, {"persons": [person.pk]}).status_code,
    )

    assert not errors
    assert results == [302] * 10
    assert Invitation.objects.filter(declaration=declaration).count() == 1
    _one_invitation_sent_once(person)
