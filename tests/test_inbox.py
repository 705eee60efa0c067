"""The e-mail inbox of the contact log: logging addresses, taking messages in, the inbox pages."""

import datetime
import email.utils
from email.message import EmailMessage

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kvu.demo import demo_pdf
from kvu.models import Document
from partners.inbox import services
from partners.inbox.models import InboundMessage, InboundStatus, LoggingAddress, new_secret
from partners.models import ContactMoment
from tests.factories import (
    InboundMessageFactory,
    LoggingAddressFactory,
    ParticipationFactory,
    PersonFactory,
)

DOMAIN = "kvu.example.nl"


def mail(
    *,
    sender: str,
    to: list[str],
    cc: list[str] = (),
    subject: str = "Afspraken sluitingstijden",
    body: str = "Beste Jan,\n\nHierbij de afspraken van vanochtend.\n\nGroet, Sanne",
    message_id: str | None = None,
    date: datetime.datetime | None = None,
    attachments: list[tuple[str, bytes]] = (),
) -> EmailMessage:
    """A real e-mail as a mail client would send it."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(to)
    if cc:
        message["Cc"] = ", ".join(cc)
    message["Subject"] = subject
    message["Date"] = email.utils.format_datetime(date or timezone.now())
    message["Message-ID"] = message_id or email.utils.make_msgid(domain="gemeente.example.nl")
    message.set_content(body)
    for name, data in attachments:
        maintype, subtype = (
            ("application", "pdf") if name.endswith(".pdf") else ("application", "octet-stream")
        )
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message


PDF = demo_pdf("Agenda overleg", ["Sluitingstijden", "Portiers"])


@pytest.fixture(autouse=True)
def _inbox_domain(settings):
    settings.KVU_INBOX_DOMAIN = DOMAIN


@pytest.fixture
def address(project):
    return LoggingAddressFactory(project=project)


@pytest.fixture
def jan(partner):
    return PersonFactory(
        organisation=partner.organisation, name="Jan de Boer", email="Jan@DePijp.nl"
    )


def _receive(project, member, message):
    return services.receive(project=project, member=member, raw=message.as_bytes())


# --- the address ------------------------------------------------------------------------------


def test_secret_is_long_lowercase_and_fits_a_local_part():
    secrets = {new_secret() for _ in range(50)}
    assert len(secrets) == 50
    for secret in secrets:
        assert len(secret) == 32  # 160 bits
        assert secret == secret.lower()
        assert set(secret) <= set("abcdefghijklmnopqrstuvwxyz234567")


def test_address_is_found_case_insensitively_and_nothing_else(address, project):
    assert address.email == f"logboek+{address.secret}@{DOMAIN}"
    assert services.project_for_address(address.email.upper()) == project
    assert services.project_for_address(f"logboek+{address.secret}@other.example.nl") is None
    assert services.project_for_address(f"logboek+{'a' * 32}@{DOMAIN}") is None
    assert services.project_for_address(f"other+{address.secret}@{DOMAIN}") is None
    assert services.project_for_address("") is None


def test_replacing_the_address_makes_the_old_one_stop_working(address, project, leader):
    old = address.email
    new = services.replace_logging_address(project=project, user=leader)
    assert new.pk == address.pk
    assert services.project_for_address(old) is None
    assert services.project_for_address(new.email) == project
    assert LoggingAddress.objects.count() == 1


def test_only_colleagues_who_may_write_count_as_senders(project, leader, editor, viewer, outsider):
    assert services.colleague_for(project, leader.email.upper()) == leader
    assert services.colleague_for(project, editor.email) == editor
    assert services.colleague_for(project, viewer.email) is None
    assert services.colleague_for(project, outsider.email) is None
    assert services.colleague_for(project, "") is None
    leader.is_active = False
    leader.save()
    assert services.colleague_for(project, leader.email) is None


# --- taking a message in ----------------------------------------------------------------------


def test_mail_to_a_known_partner_becomes_a_contact_moment(project, partner, jan, leader, address):
    sent = timezone.now().replace(microsecond=0) - datetime.timedelta(days=2)
    message = mail(
        sender=f"Sanne <{leader.email}>",
        to=["iemand@elders.nl"],
        cc=["jan@depijp.nl", address.email],
        date=sent,
        attachments=[("agenda.pdf", PDF)],
    )
    inbound = _receive(project, leader, message)
    assert inbound.status == InboundStatus.RECORDED
    moment = inbound.contact_moment
    assert moment.participation == partner
    assert list(moment.persons.all()) == [jan]
    assert moment.channel == "email"
    assert moment.direction == "outgoing"
    assert moment.occurred_at == sent
    assert moment.recorded_by == leader
    assert moment.summary.startswith("Afspraken sluitingstijden\n\nBeste Jan,")
    (document,) = Document.objects.filter(object_id=moment.pk, content_type__model="contactmoment")
    assert document.original_name == "agenda.pdf"
    assert document.content_type_detected == "application/pdf"
    # The change log names the colleague who sent it, as when typed on the page.
    assert {entry.actor for entry in LogEntry.objects.get_for_object(moment)} == {leader}


def test_the_same_message_twice_is_recorded_once(project, partner, jan, leader, address):
    message = mail(sender=leader.email, to=["jan@depijp.nl", address.email])
    assert _receive(project, leader, message) is not None
    assert _receive(project, leader, message) is None
    assert ContactMoment.objects.count() == 1
    assert InboundMessage.objects.count() == 1


def test_a_message_naming_no_known_person_waits_with_its_attachment(
    project, partner, jan, leader, address
):
    message = mail(
        sender=leader.email, to=["onbekend@example.org"], attachments=[("agenda.pdf", PDF)]
    )
    inbound = _receive(project, leader, message)
    assert inbound.status == InboundStatus.WAITING
    assert inbound.reason == "no_person"
    assert not ContactMoment.objects.exists()
    assert (
        Document.objects.filter(object_id=inbound.pk, content_type__model="inboundmessage").count()
        == 1
    )


def test_a_partners_mail_copied_by_a_colleague_is_incoming(project, partner, jan, editor, address):
    message = mail(sender="Jan de Boer <jan@depijp.nl>", to=[editor.email])
    inbound = _receive(project, editor, message)
    assert inbound.contact_moment.direction == "incoming"
    assert list(inbound.contact_moment.persons.all()) == [jan]


def test_a_message_from_a_stranger_waits(project, partner, jan, leader, address):
    message = mail(sender="iemand@elders.nl", to=[leader.email], cc=["jan@depijp.nl"])
    inbound = _receive(project, leader, message)
    assert inbound.status == InboundStatus.WAITING
    assert inbound.reason == "unknown_sender"


def test_persons_of_two_partners_wait_for_a_choice(project, partner, jan, leader, address):
    other = ParticipationFactory(project=project)
    PersonFactory(organisation=other.organisation, email="piet@politie.nl")
    message = mail(sender=leader.email, to=["jan@depijp.nl", "piet@politie.nl"])
    inbound = _receive(project, leader, message)
    assert inbound.reason == "several_partners"
    assert not ContactMoment.objects.exists()


def test_a_refused_attachment_is_skipped_and_noted(project, partner, jan, leader, address):
    message = mail(
        sender=leader.email,
        to=["jan@depijp.nl"],
        attachments=[("virus.exe", b"MZ\x90\x00rest"), ("agenda.pdf", PDF)],
    )
    inbound = _receive(project, leader, message)
    moment = inbound.contact_moment
    assert "virus.exe" in moment.summary
    assert len(inbound.notes) == 1
    assert "virus.exe" in inbound.notes[0]
    assert list(
        Document.objects.filter(
            object_id=moment.pk, content_type__model="contactmoment"
        ).values_list("original_name", flat=True)
    ) == ["agenda.pdf"]


def test_a_date_outside_the_bounds_gives_the_time_of_receipt(
    project, partner, jan, leader, address
):
    message = mail(sender=leader.email, to=["jan@depijp.nl"])
    message.replace_header("Date", "Mon, 01 Jan 1990 10:00:00 +0000")
    before = timezone.now()
    inbound = _receive(project, leader, message)
    assert inbound.contact_moment.occurred_at >= before


def test_an_html_only_mail_is_summarised_as_text(project, partner, jan, leader, address):
    message = mail(sender=leader.email, to=["jan@depijp.nl"])
    message.set_content("<p>Beste Jan,</p><p>Tot &amp; met vrijdag.</p>", subtype="html")
    inbound = _receive(project, leader, message)
    assert "Tot & met vrijdag." in inbound.contact_moment.summary
    assert "<p>" not in inbound.contact_moment.summary


# --- the contact log's address box ------------------------------------------------------------


def test_contact_log_shows_the_address_and_the_waiting_count(client_for, project, address, viewer):
    InboundMessageFactory.create_batch(3, project=project)
    InboundMessageFactory(project=project, status="discarded")
    page = client_for(viewer).get(reverse("contact_log", args=[project.pk])).text
    assert address.email in page
    assert 'id="logging-address-copy"' in page
    assert "Inbox: 3 e-mails om te plaatsen" in page
    # A viewer may not replace it.
    assert reverse("logging_address_replace", args=[project.pk]) not in page


def test_leader_creates_the_first_address_from_the_contact_log(client_for, project, leader):
    client = client_for(leader)
    url = reverse("logging_address_replace", args=[project.pk])
    assert url in client.get(reverse("contact_log", args=[project.pk])).text
    response = client.post(url)
    assert response.status_code == 302
    assert LoggingAddress.objects.get(project=project).created_by == leader


def test_replacing_through_the_page_changes_the_secret_and_is_audited(
    client_for, project, address, editor
):
    old = address.secret
    client = client_for(editor)
    url = reverse("logging_address_replace", args=[project.pk])
    assert client.get(url).status_code == 200  # the confirmation
    assert client.post(url).status_code == 302
    address.refresh_from_db()
    assert address.secret != old
    entry = LogEntry.objects.get_for_object(address).get(action=LogEntry.Action.UPDATE)
    assert entry.actor == editor
    # The log says that it was replaced, never the secret itself (old or new).
    assert "replaced_at" in entry.changes_dict
    assert "secret" not in entry.changes_dict
    assert old not in str(entry.changes)
    assert address.secret not in str(entry.changes)


def test_a_recorded_or_discarded_message_keeps_no_text_and_the_log_never_had_it(
    client_for, project, partner, jan, leader, address
):
    recorded = _receive(
        project,
        leader,
        mail(
            sender=leader.email,
            to=[address.email, "jan@depijp.nl"],
            subject="Privé: Piet ziek",
            body="Geheime tekst 123",
        ),
    )
    recorded.refresh_from_db()
    assert recorded.status == InboundStatus.RECORDED
    assert (recorded.subject, recorded.body, recorded.sender, recorded.addresses) == (
        "",
        "",
        "",
        [],
    )
    assert "Geheime tekst 123" in recorded.contact_moment.summary  # the contact moment has it
    waiting = InboundMessageFactory(
        project=project, subject="Privé: Piet ziek", addresses=["piet@elders.nl"]
    )
    services.discard_message(message=waiting, user=leader)
    waiting.refresh_from_db()
    assert (waiting.subject, waiting.body, waiting.sender, waiting.addresses) == ("", "", "", [])
    for message in (recorded, waiting):
        logged = " ".join(str(entry.changes) for entry in LogEntry.objects.get_for_object(message))
        assert "Piet" not in logged
        assert "piet@elders.nl" not in logged
        assert "Geheime" not in logged
        assert "jan@depijp.nl" not in logged


# --- the inbox --------------------------------------------------------------------------------


@pytest.fixture
def waiting(project, leader, address):
    message = mail(
        sender=leader.email, to=["onbekend@example.org"], attachments=[("agenda.pdf", PDF)]
    )
    return _receive(project, leader, message)


def test_inbox_lists_waiting_messages_only(client_for, project, waiting, viewer):
    handled = InboundMessageFactory(project=project, status="discarded", subject="Weg ermee")
    page = client_for(viewer).get(reverse("contact_inbox", args=[project.pk])).text
    assert f'id="inbound-{waiting.pk}"' in page
    assert f'id="inbound-{handled.pk}"' not in page


def test_assigning_records_the_contact_and_moves_the_attachment(
    client_for, project, partner, jan, waiting, editor
):
    url = reverse("inbox_message", args=[project.pk, waiting.pk])
    client = client_for(editor)
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"participation": partner.pk, "persons": [jan.pk], "direction": "outgoing"}
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == InboundStatus.RECORDED
    moment = waiting.contact_moment
    assert moment.participation == partner
    assert list(moment.persons.all()) == [jan]
    assert moment.recorded_by == editor
    assert waiting.handled_by == editor
    document = Document.objects.get(project=project)
    assert (document.content_type.model, document.object_id) == ("contactmoment", moment.pk)
    assert LogEntry.objects.get_for_object(document).filter(actor=editor).exists()


def test_assigning_a_person_of_another_partner_changes_nothing(
    client_for, project, partner, waiting, leader
):
    other = ParticipationFactory(project=project)
    stranger = PersonFactory(organisation=other.organisation)
    response = client_for(leader).post(
        reverse("inbox_message", args=[project.pk, waiting.pk]),
        {"participation": partner.pk, "persons": [stranger.pk], "direction": "outgoing"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["persons"]
    waiting.refresh_from_db()
    assert waiting.status == InboundStatus.WAITING
    assert not ContactMoment.objects.exists()


def test_assign_form_starts_with_the_persons_the_addresses_name(
    client_for, project, partner, jan, leader, address
):
    inbound = _receive(project, leader, mail(sender="iemand@elders.nl", to=["jan@depijp.nl"]))
    form = (
        client_for(leader)
        .get(reverse("inbox_message", args=[project.pk, inbound.pk]))
        .context["form"]
    )
    assert form.initial["persons"] == [jan.pk]
    assert form.initial["participation"] == partner.pk
    assert form.initial["direction"] == "incoming"


def test_a_handled_message_cannot_be_assigned_again(client_for, project, partner, waiting, leader):
    services.discard_message(message=waiting, user=leader)
    response = client_for(leader).post(
        reverse("inbox_message", args=[project.pk, waiting.pk]),
        {"participation": partner.pk, "direction": "outgoing"},
    )
    assert response.status_code == 302
    assert not ContactMoment.objects.exists()
    with pytest.raises(services.InboxError):
        services.discard_message(message=waiting, user=leader)


def test_discarding_deletes_text_and_attachments_but_remembers_the_message(
    client_for, project, waiting, leader
):
    raw_again = waiting.message_id
    response = client_for(leader).post(
        reverse("inbox_message_discard", args=[project.pk, waiting.pk])
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == InboundStatus.DISCARDED
    assert waiting.body == ""
    assert waiting.addresses == []
    assert not Document.objects.exists()
    discarded = LogEntry.objects.get_for_object(waiting).get(action=LogEntry.Action.UPDATE)
    assert discarded.actor == leader
    assert "body" not in discarded.changes_dict  # the text of a mail stays out of the log
    assert InboundMessage.objects.filter(message_id=raw_again).count() == 1


def test_viewer_reads_the_inbox_but_changes_nothing(client_for, project, partner, waiting, viewer):
    client = client_for(viewer)
    assert client.get(reverse("contact_inbox", args=[project.pk])).status_code == 200
    url = reverse("inbox_message", args=[project.pk, waiting.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"] is None
    assert (
        client.post(url, {"participation": partner.pk, "direction": "outgoing"}).status_code == 403
    )
    discard = reverse("inbox_message_discard", args=[project.pk, waiting.pk])
    assert client.post(discard).status_code == 403
    assert client.post(reverse("logging_address_replace", args=[project.pk])).status_code == 403
    waiting.refresh_from_db()
    assert waiting.status == InboundStatus.WAITING


def test_outsider_gets_404_on_the_inbox_and_its_messages(client_for, project, waiting, outsider):
    client = client_for(outsider)
    assert client.get(reverse("contact_inbox", args=[project.pk])).status_code == 404
    assert client.get(reverse("inbox_message", args=[project.pk, waiting.pk])).status_code == 404
    discard = reverse("inbox_message_discard", args=[project.pk, waiting.pk])
    assert client.post(discard).status_code == 404
    assert client.get(reverse("logging_address_replace", args=[project.pk])).status_code == 404


def test_a_message_of_another_project_is_404(client_for, project, leader, municipality):
    other = InboundMessageFactory(project__municipality=municipality)
    url = reverse("inbox_message", args=[project.pk, other.pk])
    assert client_for(leader).get(url).status_code == 404


# --- query counts -----------------------------------------------------------------------------


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _more_messages(project, n, user):
    for i in range(n):
        message = InboundMessageFactory(project=project, sent_by=user)
        if i % 2:
            services._attach(
                project=project,
                target=message,
                attachments=[services.Attachment(name=f"b{i}.pdf", data=PDF)],
                user=user,
            )


def test_inbox_and_contact_log_do_not_grow_with_messages(client_for, project, address, leader):
    """Prevents N+1s on each waiting message's colleague and attachment count (inbox), and a
    count per message on the contact log's address box."""
    client = client_for(leader)
    urls = [reverse("contact_inbox", args=[project.pk]), reverse("contact_log", args=[project.pk])]
    _more_messages(project, 3, leader)
    small = [_count(client, url) for url in urls]
    _more_messages(project, 30, leader)
    assert [_count(client, url) for url in urls] == small


def test_message_page_does_not_grow_with_partners_and_persons(client_for, project, waiting, leader):
    """Prevents N+1s on the partner choices and on each person's organisation in the form."""
    client = client_for(leader)
    url = reverse("inbox_message", args=[project.pk, waiting.pk])
    for _ in range(2):
        PersonFactory(organisation=ParticipationFactory(project=project).organisation)
    small = _count(client, url)
    for _ in range(20):
        PersonFactory(organisation=ParticipationFactory(project=project).organisation)
    assert _count(client, url) == small


def test_a_waiting_message_naming_a_person_is_found_and_redacted_on_anonymising(
    project, partner, jan, leader, address
):
    from partners.privacy.services import anonymise_person, mentions

    body = "Jan de Boer belde over de portiers."
    inbound = _receive(project, leader, mail(sender=leader.email, to=["x@y.nl"], body=body))
    found = [m for m in mentions(jan) if m.key.startswith("partners.inboundmessage:")]
    assert [m.url for m in found] == [reverse("inbox_message", args=[project.pk, inbound.pk])]
    anonymise_person(person=jan, redact=[m.key for m in found])
    inbound.refresh_from_db()
    assert "Jan de Boer" not in inbound.body


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\x00\xff\xfe garbage without headers",
        b"Subject: =?unknown-charset?q?x?=\r\nFrom: <<<\r\nDate: tomorrow\r\n\r\nbody",
        b"Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: text/plain;"
        b" charset=nonsense\r\n\r\ntext\r\n--x\r\nContent-Disposition: attachment\r\n\r\n--x--",
    ],
)
def test_a_broken_message_waits_instead_of_failing(project, leader, address, raw):
    inbound = services.receive(project=project, member=leader, raw=raw)
    assert inbound.status == InboundStatus.WAITING
    assert inbound.message_id


def test_an_image_inside_the_text_is_no_document(project, partner, jan, leader, address):
    message = mail(sender=leader.email, to=["jan@depijp.nl"])
    message.set_content("<p>Groet</p><img src='cid:logo'>", subtype="html")
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
    message.add_related(
        png, "image", "png", cid="<logo>", disposition="inline", filename="image001.png"
    )
    inbound = _receive(project, leader, message)
    assert inbound.status == InboundStatus.RECORDED
    assert not Document.objects.exists()
    assert inbound.notes == []


# --- privacy ----------------------------------------------------------------------------------


def test_anonymising_a_person_takes_their_address_out_of_the_messages(project, jan):
    from partners.privacy.services import anonymise_person

    waiting = InboundMessageFactory(
        project=project, sender="jan@depijp.nl", addresses=["jan@depijp.nl", "kees@khn.nl"]
    )
    other_project = InboundMessageFactory(addresses=["jan@depijp.nl"])  # another municipality
    anonymise_person(person=jan)
    waiting.refresh_from_db()
    other_project.refresh_from_db()
    assert waiting.addresses == ["kees@khn.nl"]
    assert waiting.sender == ""
    assert other_project.addresses == ["jan@depijp.nl"]
    entries = LogEntry.objects.get_for_object(waiting)
    assert entries.exists()
    assert not any("jan@depijp.nl" in str(entry.changes).lower() for entry in entries)
