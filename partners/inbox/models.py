"""The logging address of a project and the messages its SMTP receiver took in."""

import base64
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kvu.fields import SingleLineCharField
from kvu.models import Project
from partners.models import ContactMoment, Direction

__all__ = ["InboundMessage", "InboundStatus", "LoggingAddress", "WaitingReason"]

LOCAL_PREFIX = "logboek+"


def new_secret() -> str:
    """160 random bits as 32 lowercase base32 characters: valid in a local part, and a mail
    server that folds the address to lower case still delivers it."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii").lower()


class LoggingAddress(models.Model):
    """The secret address that turns a copy of an e-mail into an entry of the project's log."""

    project = models.OneToOneField(
        Project,
        on_delete=models.CASCADE,
        related_name="logging_address",
        verbose_name=_("project"),
    )
    secret = models.CharField(_("secret"), max_length=64, unique=True, default=new_secret)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    # The secret stays out of the change log; this is what the log shows of a replacement.
    replaced_at = models.DateTimeField(_("replaced at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("logging address")
        verbose_name_plural = _("logging addresses")

    def __str__(self):
        return self.email

    @property
    def email(self) -> str:
        return f"{LOCAL_PREFIX}{self.secret}@{settings.KVU_INBOX_DOMAIN}"


class InboundStatus(models.TextChoices):
    WAITING = "waiting", _("waiting in the inbox")
    RECORDED = "recorded", _("recorded in the log")
    DISCARDED = "discarded", _("discarded")


class WaitingReason(models.TextChoices):
    NO_PERSON = "no_person", _("no known contact person among its addresses")
    SEVERAL_PARTNERS = "several_partners", _("contact persons of more than one partner")
    UNKNOWN_SENDER = "unknown_sender", _("sent by someone who is neither a colleague nor a partner")


class InboundMessage(models.Model):
    """One e-mail received at a project's logging address; recorded once per Message-ID.

    A message that could not be placed waits here, with its attachments as documents of the
    message, until a colleague assigns it to a partner (the documents move to the contact
    moment) or discards it (they are deleted).
    """

    accepts_documents = True  # its attachments wait here as documents (kvu/documents.py)

    personal_text_fields = ("subject", "body")
    municipality_lookup = "project__municipality"

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="inbound_messages",
        verbose_name=_("project"),
    )
    message_id = models.CharField(_("Message-ID"), max_length=255)
    sender = models.EmailField(_("sender"), max_length=254)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("copied by"),
    )
    addresses = models.JSONField(_("addresses"), default=list, blank=True)
    subject = SingleLineCharField(_("subject"), max_length=255, blank=True)
    body = models.TextField(_("text"), blank=True)
    sent_at = models.DateTimeField(_("sent at"))
    size = models.PositiveIntegerField(_("size in bytes"))
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.OUTGOING
    )
    status = models.CharField(
        _("status"), max_length=10, choices=InboundStatus.choices, default=InboundStatus.WAITING
    )
    reason = models.CharField(
        _("why it waits"), max_length=20, choices=WaitingReason.choices, blank=True
    )
    notes = models.JSONField(_("notes"), default=list, blank=True)
    contact_moment = models.ForeignKey(
        ContactMoment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact moment"),
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("received e-mail")
        verbose_name_plural = _("received e-mails")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "message_id"],
                name="partners_inboundmessage_project_message_id_uniq",
            ),
            models.CheckConstraint(
                condition=Q(status__in=InboundStatus.values),
                name="partners_inboundmessage_status_valid",
            ),
        ]
        indexes = [
            models.Index(
                fields=["project", "status", "-created_at"], name="partners_inbound_status"
            )
        ]

    def __str__(self):
        return self.subject or self.message_id

    def get_absolute_url(self):
        return reverse("inbox_message", args=[self.project_id, self.pk])
