"""The SMTP receiver of the logging addresses, running, fed real messages through smtplib.

The receiver works in its own thread with its own database connection, so these tests commit
(transactional database) instead of running inside one transaction that thread cannot see.
"""

import smtplib
import socket
from contextlib import contextmanager

import pytest
from django.core.management import CommandError, call_command

from kvu.demo import demo_pdf
from kvu.models import Document
from partners.inbox.models import InboundMessage, InboundStatus
from partners.inbox.smtp import controller
from partners.models import ContactMoment
from tests.factories import LoggingAddressFactory, PersonFactory
from tests.test_inbox import DOMAIN, mail

pytestmark = pytest.mark.django_db(transaction=True)

PDF = demo_pdf("Verslag", ["Afspraken over portiers"])


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def _running():
    server = controller(host="127.0.0.1", port=_free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def receiver(settings):
    settings.KVU_INBOX_DOMAIN = DOMAIN
    with _running() as server:
        yield server


def _send(server, message, *, recipients):
    """Deliver as the municipality's relay does: only the logging address is sent here."""
    with smtplib.SMTP(server.hostname, server.port, timeout=10) as client:
        return client.send_message(message, to_addrs=recipients)


@pytest.fixture
def address(project):
    return LoggingAddressFactory(project=project)


@pytest.fixture
def jan(partner):
    return PersonFactory(
        organisation=partner.organisation, name="Jan de Boer", email="jan@depijp.nl"
    )


def test_member_with_partner_in_cc_becomes_a_contact_with_its_attachment(
    receiver, project, partner, jan, leader, address
):
    message = mail(
        sender=leader.email,
        to=[address.email],
        cc=["Jan de Boer <JAN@depijp.nl>"],
        attachments=[("verslag.pdf", PDF)],
    )
    assert _send(receiver, message, recipients=[address.email]) == {}
    moment = ContactMoment.objects.get()
    assert moment.participation == partner
    assert list(moment.persons.all()) == [jan]
    assert (moment.channel, moment.direction, moment.recorded_by) == ("email", "outgoing", leader)
    document = Document.objects.get()
    assert (document.content_type.model, document.object_id) == ("contactmoment", moment.pk)
    assert document.original_name == "verslag.pdf"


def test_logging_address_in_bcc_works_from_the_envelope(
    receiver, project, partner, jan, editor, address
):
    message = mail(sender=editor.email, to=["jan@depijp.nl"])  # the address in no header
    _send(receiver, message, recipients=[address.email])
    assert ContactMoment.objects.get().persons.get() == jan


def test_unknown_sender_is_refused(receiver, project, partner, jan, address):
    message = mail(sender="iemand@elders.nl", to=[address.email], cc=["jan@depijp.nl"])
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        _send(receiver, message, recipients=[address.email])
    assert refused.value.recipients[address.email][0] == 550
    assert b"5.7.1" in refused.value.recipients[address.email][1]
    assert not InboundMessage.objects.exists()


def test_viewer_and_colleague_of_another_municipality_are_refused(
    receiver, project, address, viewer, outsider
):
    for user in (viewer, outsider):
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            _send(receiver, mail(sender=user.email, to=[address.email]), recipients=[address.email])
    assert not InboundMessage.objects.exists()


def test_unknown_address_is_refused(receiver, project, leader, address):
    wrong = f"logboek+{'b' * 32}@{DOMAIN}"
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        _send(receiver, mail(sender=leader.email, to=[wrong]), recipients=[wrong])
    code, text = refused.value.recipients[wrong]
    assert (code, b"5.1.1" in text) == (550, True)


def test_replaced_address_is_refused(receiver, project, leader, address):
    from partners.inbox.services import replace_logging_address

    old = address.email
    replace_logging_address(project=project, user=leader)
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        _send(receiver, mail(sender=leader.email, to=[old]), recipients=[old])


def test_the_same_message_twice_is_recorded_once(receiver, project, partner, jan, leader, address):
    message = mail(sender=leader.email, to=[address.email, "jan@depijp.nl"])
    _send(receiver, message, recipients=[address.email])
    # Accepted again, as a mail server would, but not recorded again.
    assert _send(receiver, message, recipients=[address.email]) == {}
    assert ContactMoment.objects.count() == 1
    assert InboundMessage.objects.count() == 1


def test_a_message_with_no_known_person_lands_in_the_inbox(
    receiver, project, partner, leader, address
):
    message = mail(
        sender=leader.email,
        to=[address.email, "onbekend@example.org"],
        attachments=[("v.pdf", PDF)],
    )
    _send(receiver, message, recipients=[address.email])
    inbound = InboundMessage.objects.get()
    assert (inbound.status, inbound.reason) == (InboundStatus.WAITING, "no_person")
    assert not ContactMoment.objects.exists()
    assert Document.objects.get().object_id == inbound.pk


def test_a_message_above_the_size_limit_is_refused(settings, project, leader, address):
    settings.KVU_INBOX_DOMAIN = DOMAIN
    settings.KVU_INBOX_MAX_BYTES = 2000
    message = mail(sender=leader.email, to=[address.email], body="x" * 5000)
    with _running() as server:
        with smtplib.SMTP(server.hostname, server.port, timeout=10) as client:
            client.ehlo()
            assert client.has_extn("size")
            assert int(client.esmtp_features["size"]) == 2000
            # smtplib announces the size in MAIL FROM, where the server refuses it.
            with pytest.raises(smtplib.SMTPSenderRefused) as refused:
                client.send_message(message, to_addrs=[address.email])
            assert refused.value.smtp_code == 552
        # A client that does not announce the size is refused after the data.
        with smtplib.SMTP(server.hostname, server.port, timeout=10) as client:
            client.ehlo()
            client.esmtp_features.pop("size")
            with pytest.raises(smtplib.SMTPDataError) as refused:
                client.send_message(message, to_addrs=[address.email])
            assert refused.value.smtp_code == 552
    assert not InboundMessage.objects.exists()


def test_the_command_is_off_without_a_port(settings):
    settings.KVU_SMTPD_PORT = None
    with pytest.raises(CommandError, match="KVU_SMTPD_PORT"):
        call_command("smtpd")


def test_a_failing_database_at_rcpt_asks_the_relay_to_try_again(
    receiver, project, leader, address, monkeypatch
):
    """Not a permanent 5xx (the relay would bounce the mail) and no internals in the answer."""
    from partners.inbox import services

    def down(recipient):
        raise RuntimeError("could not connect to server: db-host 10.0.0.5")

    monkeypatch.setattr(services, "project_for_address", down)
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        _send(receiver, mail(sender=leader.email, to=[address.email]), recipients=[address.email])
    code, text = refused.value.recipients[address.email]
    assert code == 451
    assert b"10.0.0.5" not in text
    assert not InboundMessage.objects.exists()
