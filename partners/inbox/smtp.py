"""The SMTP side of the inbox: an aiosmtpd handler that answers like a mail server would.

RCPT TO is where a message is refused: an address that is no project's logging address gets
550 5.1.1, a sender who is no colleague (leader or editor) of that project's municipality 550
5.7.1. aiosmtpd itself advertises SIZE and answers 552 above KVU_INBOX_MAX_BYTES. Only the
envelope counts, so a logging address in Bcc works like one in To or Cc.
"""

import logging

from aiosmtpd.controller import Controller
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections

from partners.inbox import services

logger = logging.getLogger("kvu.inbox")

UNKNOWN_ADDRESS = "550 5.1.1 No such mailbox here"
NOT_ALLOWED = "550 5.7.1 This sender may not log mail for this project"
TEMPORARY = "451 4.3.0 The message could not be recorded now; try again later"


def _with_fresh_connection(function):
    """The ORM is synchronous: run `function` in a worker thread, and treat its database
    connection as a request does (closed when too old or broken), since the server lives long."""

    def run(*args):
        close_old_connections()
        try:
            return function(*args)
        finally:
            close_old_connections()

    return sync_to_async(run, thread_sensitive=True)


def _recipient_verdict(mail_from: str, recipient: str) -> str | None:
    project = services.project_for_address(recipient)
    if project is None:
        return UNKNOWN_ADDRESS
    if services.colleague_for(project, mail_from) is None:
        logger.info("inbox: sender refused for project %s", project.pk)
        return NOT_ALLOWED
    return None


def _deliver(mail_from: str, recipients: list[str], raw: bytes) -> None:
    for recipient in recipients:
        project = services.project_for_address(recipient)
        member = services.colleague_for(project, mail_from) if project else None
        if member is None:  # the address was replaced between RCPT and DATA
            continue
        services.receive(project=project, member=member, raw=raw)


class InboxHandler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        try:
            verdict = await _with_fresh_connection(_recipient_verdict)(envelope.mail_from, address)
        except Exception:
            # A database that is down is no reason to bounce: the relay tries again later.
            logger.exception("inbox: checking a recipient failed")
            return TEMPORARY
        if verdict:
            return verdict
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        try:
            await _with_fresh_connection(_deliver)(envelope.mail_from, envelope.rcpt_tos, raw)
        except Exception:
            # Logged with its traceback; the relay keeps the message and tries again.
            logger.exception("inbox: recording a message failed")
            return TEMPORARY
        return "250 2.0.0 OK: recorded"


def controller(*, host: str, port: int) -> Controller:
    return Controller(
        InboxHandler(),
        hostname=host,
        port=port,
        data_size_limit=settings.KVU_INBOX_MAX_BYTES,
        enable_SMTPUTF8=True,
        ident="KVU-werkplaats",
    )
