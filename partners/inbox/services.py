"""Writes of the inbox: the logging address, taking in a received e-mail, assigning, discarding.

A received message is always kept as an InboundMessage (its Message-ID makes a second delivery
a no-op). When its addresses name contact persons of exactly one partner and its sender is known,
it becomes a contact moment straight away, through `log_contact` like one typed on the page;
otherwise it waits in the project's inbox.
"""

import datetime
import email.utils
import hashlib
import html
import logging
import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from auditlog.context import set_actor
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from kvu.documents import add_document, delete_documents_of
from kvu.fields import EARLIEST_DATE
from kvu.models import Document, Membership, Project
from partners.inbox.models import (
    LOCAL_PREFIX,
    InboundMessage,
    InboundStatus,
    LoggingAddress,
    WaitingReason,
    new_secret,
)
from partners.models import Channel, ContactMoment, Direction, Participation, Person
from partners.services import log_contact

logger = logging.getLogger("kvu.inbox")

SECRET_PATTERN = re.compile(r"[a-z2-7]{32}")
# A summary longer than this is cut: a log entry is no mail archive.
BODY_LIMIT = 20_000


class InboxError(Exception):
    """A message cannot be assigned or discarded (another colleague just did)."""


# --- the logging address ----------------------------------------------------------------------


@transaction.atomic
def replace_logging_address(*, project: Project, user) -> LoggingAddress:
    """Give the project a new secret address (its first, or instead of the old one, which stops
    working at once)."""
    address = LoggingAddress.objects.select_for_update().filter(project=project).first()
    if address is None:
        return LoggingAddress.objects.create(project=project, created_by=user)
    address.secret = new_secret()
    address.replaced_at = timezone.now()
    address.save(update_fields=["secret", "replaced_at", "updated_at"])
    return address


def project_for_address(recipient: str) -> Project | None:
    """The project whose logging address `recipient` is (case-insensitive), or None."""
    local, _at, domain = (recipient or "").strip().rpartition("@")
    local = local.lower()
    if domain.lower() != settings.KVU_INBOX_DOMAIN.lower() or not local.startswith(LOCAL_PREFIX):
        return None
    secret = local.removeprefix(LOCAL_PREFIX)
    if not SECRET_PATTERN.fullmatch(secret):
        return None
    address = (
        LoggingAddress.objects.select_related("project__municipality").filter(secret=secret).first()
    )
    return address.project if address else None


def colleague_for(project: Project, address: str):
    """The active user with write access in the project's municipality whose e-mail address is
    `address`; None for anyone else (viewers, outsiders, the null sender of a bounce)."""
    if not address or "@" not in address:
        return None
    membership = (
        Membership.objects.filter(
            municipality_id=project.municipality_id,
            role__in=Membership.WRITE_ROLES,
            user__is_active=True,
            user__email__iexact=address.strip(),
        )
        .select_related("user")
        .order_by("user_id")
        .first()
    )
    return membership.user if membership else None


# --- reading a message ------------------------------------------------------------------------


@dataclass
class Attachment:
    name: str
    data: bytes


@dataclass
class Parsed:
    message_id: str
    from_address: str
    addresses: list[str]
    subject: str
    body: str
    sent_at: datetime.datetime
    attachments: list[Attachment] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _addresses(message: EmailMessage, *names: str) -> list[str]:
    values = [str(value) for name in names for value in message.get_all(name, [])]
    found = []
    for _name, address in email.utils.getaddresses(values):
        address = address.strip().lower()
        if "@" in address and address not in found:
            found.append(address)
    return found


def _sent_at(message: EmailMessage, received_at: datetime.datetime) -> datetime.datetime:
    """The Date header, when it is a real date between 2000 and a day after receipt."""
    try:
        sent_at = email.utils.parsedate_to_datetime(str(message.get("Date", "")))
    except (TypeError, ValueError, IndexError):
        return received_at
    if sent_at is None:
        return received_at
    if timezone.is_naive(sent_at):
        sent_at = sent_at.replace(tzinfo=datetime.UTC)
    earliest = datetime.datetime.combine(EARLIEST_DATE, datetime.time(), tzinfo=datetime.UTC)
    if not earliest <= sent_at <= received_at + datetime.timedelta(days=1):
        return received_at
    return sent_at


def _text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        text = part.get_content()
    except (LookupError, ValueError, AttributeError):
        return ""
    if not isinstance(text, str):
        return ""
    if part.get_content_subtype() == "html":
        text = html.unescape(strip_tags(text))
    text = text.replace("\x00", "").replace("\r\n", "\n")
    text = "\n".join(line.rstrip() for line in text.splitlines()).strip()
    return text[:BODY_LIMIT]


def _line(value) -> str:
    """A header as one line of at most 255 characters (PostgreSQL text holds no NUL)."""
    return " ".join(str(value or "").replace("\x00", "").split())[:255]


def parse(raw: bytes, *, received_at: datetime.datetime) -> Parsed:
    message = BytesParser(policy=policy.default).parsebytes(raw.replace(b"\x00", b""))
    message_id = _line(message.get("Message-ID"))
    if not message_id:
        # Without a Message-ID the exact bytes name the message: a relay's retry is the same.
        message_id = "sha256:" + hashlib.sha256(raw).hexdigest()
    froms = _addresses(message, "From")
    subject = _line(message.get("Subject"))
    parsed = Parsed(
        message_id=message_id,
        from_address=froms[0] if froms else "",
        addresses=_addresses(message, "From", "To", "Cc"),
        subject=subject,
        body=_text(message),
        sent_at=_sent_at(message, received_at),
    )
    for part in message.iter_attachments():
        if part.get_content_disposition() != "attachment" and part.get("Content-ID"):
            continue  # an image inside the text (a logo in a signature), no document
        name = part.get_filename() or ""
        data = part.get_payload(decode=True)
        if not isinstance(data, bytes):
            parsed.notes.append(
                _("The attachment “%(name)s” has not been kept: it is no file.")
                % {"name": name or part.get_content_type()}
            )
            continue
        parsed.attachments.append(Attachment(name=name, data=data))
    return parsed


# --- taking a message in ----------------------------------------------------------------------


def _summary(subject: str, body: str, notes: list[str]) -> str:
    parts = [subject, body, "\n".join(notes)]
    return "\n\n".join(part for part in parts if part) or _("(an e-mail without text)")


def _placement(project: Project, parsed: Parsed, member):
    """(participation, persons, direction, reason): where the message belongs, if anywhere."""
    own = {member.email.lower(), *_logging_addresses(parsed.addresses)}
    candidates = [address for address in parsed.addresses if address not in own]
    persons = list(
        Person.objects.annotate(address=Lower("email"))
        .filter(organisation__participations__project=project, address__in=candidates)
        .exclude(email="")
        .order_by("name", "pk")
        .distinct()
    )
    if parsed.from_address in own or colleague_for(project, parsed.from_address):
        direction = Direction.OUTGOING
    elif any(person.address == parsed.from_address for person in persons):
        direction = Direction.INCOMING
    else:
        return None, persons, Direction.INCOMING, WaitingReason.UNKNOWN_SENDER
    organisations = {person.organisation_id for person in persons}
    if not organisations:
        return None, persons, direction, WaitingReason.NO_PERSON
    if len(organisations) > 1:
        return None, persons, direction, WaitingReason.SEVERAL_PARTNERS
    participation = Participation.objects.get(project=project, organisation_id=organisations.pop())
    return participation, persons, direction, ""


def _logging_addresses(addresses):
    domain = "@" + settings.KVU_INBOX_DOMAIN.lower()
    return {a for a in addresses if a.startswith(LOCAL_PREFIX) and a.endswith(domain)}


def _attach(*, project, target, attachments, user) -> list[str]:
    """Store the attachments as documents of `target`; a refused one is skipped and noted."""
    notes = []
    for attachment in attachments:
        try:
            add_document(
                project=project,
                target=target,
                title="",
                name=attachment.name,
                data=attachment.data,
                user=user,
            )
        except ValidationError as error:
            notes.append(
                _("An attachment has not been kept: %(reason)s")
                % {"reason": " ".join(error.messages)}
            )
    return notes


def receive(
    *, project: Project, member, raw: bytes, received_at: datetime.datetime | None = None
) -> InboundMessage | None:
    """Take in a message that `member` sent or copied to the project's logging address.

    None when a message with its Message-ID was already taken in for this project.
    """
    received_at = received_at or timezone.now()
    parsed = parse(raw, received_at=received_at)
    if InboundMessage.objects.filter(project=project, message_id=parsed.message_id).exists():
        logger.info("inbox: message for project %s taken in before", project.pk)
        return None
    participation, persons, direction, reason = _placement(project, parsed, member)
    with set_actor(member), transaction.atomic():
        try:
            with transaction.atomic():
                message = InboundMessage.objects.create(
                    project=project,
                    message_id=parsed.message_id,
                    sender=parsed.from_address[:254] or member.email,
                    sent_by=member,
                    addresses=parsed.addresses[:50],
                    subject=parsed.subject,
                    body=parsed.body,
                    sent_at=parsed.sent_at,
                    size=len(raw),
                    direction=direction,
                    reason=reason,
                    notes=parsed.notes,
                )
        except IntegrityError:
            # Only the same message delivered twice at once is "taken in" here; any other
            # failure propagates, so that the receiver answers 451 and the relay tries again.
            if not InboundMessage.objects.filter(
                project=project, message_id=parsed.message_id
            ).exists():
                raise
            logger.info("inbox: message for project %s taken in concurrently", project.pk)
            return None
        if participation is None:
            notes = _attach(
                project=project, target=message, attachments=parsed.attachments, user=member
            )
            if notes:
                message.notes = [*message.notes, *notes]
                message.save(update_fields=["notes", "updated_at"])
            logger.info("inbox: message %s waits in project %s", message.pk, project.pk)
            return message
        moment = log_contact(
            participation=participation,
            user=member,
            occurred_at=parsed.sent_at,
            channel=Channel.EMAIL,
            direction=direction,
            summary=_summary(parsed.subject, parsed.body, parsed.notes),
            persons=persons,
        )
        notes = _attach(project=project, target=moment, attachments=parsed.attachments, user=member)
        if notes:
            moment.summary = _summary(parsed.subject, parsed.body, [*parsed.notes, *notes])
            moment.save(update_fields=["summary", "updated_at"])
        message.status = InboundStatus.RECORDED
        message.contact_moment = moment
        message.notes = [*message.notes, *notes]
        message.save(
            update_fields=["status", "contact_moment", "notes", "updated_at", *_forget(message)]
        )
    logger.info("inbox: message %s recorded as contact %s", message.pk, moment.pk)
    return message


# --- the inbox --------------------------------------------------------------------------------


def _forget(message: InboundMessage) -> list[str]:
    """Once a message is recorded or discarded, its text and addresses are not kept twice: the
    contact moment holds what was said, and a discarded message keeps only its Message-ID (so
    the same message sent again is not taken in a second time). Returns the fields changed."""
    message.subject = ""
    message.body = ""
    message.sender = ""
    message.addresses = []
    return ["subject", "body", "sender", "addresses"]


def _lock_waiting(message: InboundMessage) -> InboundMessage:
    current = InboundMessage.objects.select_for_update().get(pk=message.pk)
    if current.status != InboundStatus.WAITING:
        raise InboxError(_("This e-mail has already been handled by someone else."))
    return current


@transaction.atomic
def assign_message(
    *, message: InboundMessage, participation: Participation, persons, direction: str, user
) -> ContactMoment:
    """Record a waiting message as a contact moment with the chosen partner; its attachments
    move from the message to the contact moment."""
    current = _lock_waiting(message)
    if participation.project_id != current.project_id:
        raise ValueError("participation of another project")
    moment = log_contact(
        participation=participation,
        user=user,
        occurred_at=current.sent_at,
        channel=Channel.EMAIL,
        direction=direction,
        summary=_summary(current.subject, current.body, current.notes),
        persons=persons,
    )
    moment_type = ContentType.objects.get_for_model(ContactMoment)
    for document in Document.objects.filter(
        content_type=ContentType.objects.get_for_model(InboundMessage), object_id=current.pk
    ):
        document.content_type = moment_type
        document.object_id = moment.pk
        document.save(update_fields=["content_type", "object_id"])
    current.status = InboundStatus.RECORDED
    current.contact_moment = moment
    current.handled_by = user
    current.direction = direction
    current.save(
        update_fields=[
            "status",
            "contact_moment",
            "handled_by",
            "direction",
            "updated_at",
            *_forget(current),
        ]
    )
    message.status, message.contact_moment = current.status, moment
    return moment


@transaction.atomic
def discard_message(*, message: InboundMessage, user) -> None:
    """Throw a waiting message away: its text, addresses and attachments go; the row stays so
    that the same message sent again is not taken in a second time."""
    current = _lock_waiting(message)
    delete_documents_of(current)
    current.status = InboundStatus.DISCARDED
    current.handled_by = user
    current.save(update_fields=["status", "handled_by", "updated_at", *_forget(current)])
    message.status = current.status


def forget_address(*, municipality_id: int, address: str) -> set[int]:
    """Take an anonymised person's e-mail address out of the messages of their municipality.

    Returns the pks of the messages changed, so that their change-log entries are redacted too.
    """
    address = (address or "").strip().lower()
    if not address:
        return set()
    changed = set()
    rows = InboundMessage.objects.filter(
        Q(sender__iexact=address) | Q(addresses__icontains=address),
        project__municipality_id=municipality_id,
    ).only("pk", "addresses", "sender")
    for row in rows.select_for_update().order_by("pk"):
        fields = []
        if address in row.addresses:
            row.addresses = [a for a in row.addresses if a != address]
            fields.append("addresses")
        if row.sender.lower() == address:
            row.sender = ""
            fields.append("sender")
        if fields:
            row.save(update_fields=fields)
            changed.add(row.pk)
    return changed
