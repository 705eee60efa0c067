"""The signed-document engine: versioned documents that partners sign through a personal link.

One set of models for every kind of document partners sign (DocumentKind): the declaration of
intent of CCV step 2 and the covenant of step 5. Per kind only the text's parts and a few words
differ (partners/declaration/kinds.py); versions, invitations, signatures, evidence,
verification, accessions and departures work the same for all.
"""

import hashlib
import secrets
import unicodedata

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from kvu.fields import SingleLineCharField
from kvu.models import Project
from partners.models import Participation, Person

__all__ = [
    "Decision",
    "Declaration",
    "DeclarationQuerySet",
    "Departure",
    "DocumentKind",
    "EventKind",
    "Invitation",
    "InvitationEvent",
    "InvitationStatus",
    "IssuedPdf",
    "ReminderRun",
    "Signature",
    "SigningToken",
    "sha256_hex",
]

# Verification codes avoid look-alike characters (0/O, 1/I/L) so they can be typed from paper.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def sha256_hex(data: str | bytes) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def new_verification_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _i in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


class DocumentKind(models.TextChoices):
    """The documents partners sign; each kind has its own versions per project."""

    DECLARATION = "declaration", _("declaration of intent")
    COVENANT = "covenant", _("covenant")


class DeclarationQuerySet(models.QuerySet):
    def current_for(self, project, kind=DocumentKind.DECLARATION):
        """The newest version of the project's document of this kind, or None."""
        return self.filter(project=project, kind=kind).order_by("-version").first()

    def of_kind(self, kind):
        return self.filter(kind=kind)

    def declarations(self):
        """The declarations of intent only (step 2's guide, the working group, the panels)."""
        return self.filter(kind=DocumentKind.DECLARATION)

    def newest_sent(self):
        """Per project and kind, the newest version that was sent out, while a newer one may be
        a draft.

        The dashboard and the working group read this one; the guide picks the same version
        from the declarations it reads anyway (partners/guide.py).
        """
        newest = Declaration.objects.filter(
            project=models.OuterRef("project_id"),
            kind=models.OuterRef("kind"),
            frozen_at__isnull=False,
        ).order_by("-version")
        return self.filter(frozen_at__isnull=False, pk=models.Subquery(newest.values("pk")[:1]))


class Declaration(models.Model):
    """One version of a project's document to sign (the intentieverklaring or the covenant);
    frozen once the first invitation is sent.

    The class keeps the name of the first kind it served; `kind` says which document it is.
    """

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="declarations",
        verbose_name=_("project"),
    )
    kind = models.CharField(
        _("document"),
        max_length=12,
        choices=DocumentKind.choices,
        default=DocumentKind.DECLARATION,
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    language = models.CharField(_("language"), max_length=8, default="nl")
    title = SingleLineCharField(_("title"), max_length=200)
    parties = models.TextField(
        _("participating parties and their representatives"),
        help_text=_("One party per line is easiest to read."),
    )
    goal = models.TextField(_("goal"))
    # The declaration's part; a covenant has none (the form of each kind asks for its own parts).
    vision = models.TextField(_("shared vision"), blank=True)
    # The covenant's parts.
    measures = models.TextField(_("measures and agreements"), blank=True)
    contributions = models.TextField(_("what each party contributes"))
    membership = models.TextField(_("joining and leaving"), blank=True)
    duration = models.TextField(_("duration"))
    sanctions = models.TextField(_("sanctions"), blank=True)
    closing = models.TextField(_("signing"), blank=True)
    # The term of a covenant: it runs from the first day to the last, then it is renewed.
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    # Set once, when the leaders were reminded that the term ends (plans/covenant/renewal.py).
    renewal_reminded_at = models.DateTimeField(_("renewal reminder sent at"), null=True, blank=True)
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)
    frozen_text = models.TextField(_("frozen text"), blank=True)
    # Set once, when every invited partner has answered this version: the leader's result
    # e-mail and the signatories' final PDF go out exactly once per version.
    result_sent_at = models.DateTimeField(_("result sent at"), null=True, blank=True)
    text_sha256 = models.CharField(_("SHA-256 of the text"), max_length=64, blank=True)
    verification_code = models.CharField(
        _("verification code"), max_length=14, unique=True, default=new_verification_code
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = DeclarationQuerySet.as_manager()

    class Meta:
        verbose_name = _("document to sign")
        verbose_name_plural = _("documents to sign")
        ordering = ["project", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "kind", "version"],
                name="partners_declaration_project_kind_version_uniq",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=DocumentKind.values), name="partners_declaration_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gt=models.F("valid_from")),
                name="partners_declaration_term_ends_after_start",
            ),
            # A frozen version always carries the fingerprint of its text.
            models.CheckConstraint(
                condition=Q(frozen_at__isnull=True) | ~Q(text_sha256=""),
                name="partners_declaration_frozen_has_hash",
            ),
        ]

    def __str__(self):
        return f"{self.title} (v{self.version})"

    def get_absolute_url(self):
        return reverse(self.kind_spec.url_name("detail"), args=[self.project_id])

    @property
    def kind_spec(self):
        """What differs per kind of document: its parts and words (partners/declaration/kinds)."""
        from partners.declaration.kinds import KINDS

        return KINDS[self.kind]

    @property
    def text_fields(self) -> list[str]:
        return self.kind_spec.text_fields

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    @property
    def in_force(self) -> bool:
        """Everyone invited has answered and today falls within the term (a document without a
        term is in force from the round's end). A partner invited to a document in force that
        can be joined joins it: an accession."""
        if self.result_sent_at is None:
            return False
        today = timezone.localdate()
        started = self.valid_from is None or self.valid_from <= today
        return started and (self.valid_until is None or today <= self.valid_until)

    def sections(self) -> list[tuple[str, str]]:
        """(heading, text) of each part, headings in the document's own language."""
        with translation.override(self.language):
            parts = [
                (str(heading), getattr(self, field)) for field, heading in self.kind_spec.sections
            ]
            term = self.term_sentence()
        if term:
            # The term belongs to what is signed: the first paragraph of the duration part.
            duration = str(dict(self.kind_spec.sections)["duration"])
            parts = [
                (heading, f"{term}\n\n{text}" if heading == duration else text)
                for heading, text in parts
            ]
        return [(heading, _normalise(text)) for heading, text in parts if text.strip()]

    def term_sentence(self) -> str:
        """The term in words, in the active language ("" for a kind without a term)."""
        if not (self.kind_spec.has_term and self.valid_from and self.valid_until):
            return ""
        return str(self.kind_spec.term_text) % {
            "start": date_format(self.valid_from, "j F Y"),
            "end": date_format(self.valid_until, "j F Y"),
        }

    def canonical_text(self) -> str:
        """The exact text that is signed and hashed: normalised, so the hash is reproducible."""
        lines = [_normalise(self.title), ""]
        for number, (heading, text) in enumerate(self.sections(), start=1):
            lines += [f"{number}. {heading}", "", text, ""]
        return "\n".join(lines).rstrip("\n") + "\n"

    def signed_text(self) -> str:
        """The text signers see: the frozen text once frozen, the live draft before."""
        return self.frozen_text if self.is_frozen else self.canonical_text()


def _normalise(text: str) -> str:
    """NFC, \\n line ends, no trailing spaces, at most one empty line between paragraphs."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [line.rstrip() for line in text.strip().split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out)


class InvitationStatus(models.TextChoices):
    OPEN = "open", _("open")
    SIGNED = "signed", _("signed")
    DECLINED = "declined", _("declined")
    REVOKED = "revoked", _("revoked")
    WITHDRAWN = "withdrawn", _("withdrawn (new version)")


class InvitationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=InvitationStatus.OPEN)


class Invitation(models.Model):
    """A personal invitation to one participation's representative to sign one version."""

    personal_data_fields = ("email",)
    personal_data_of = "person"

    declaration = models.ForeignKey(
        Declaration,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("document"),
    )
    participation = models.ForeignKey(
        Participation,
        on_delete=models.PROTECT,
        related_name="invitations",
        verbose_name=_("partner"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="invitations",
        verbose_name=_("signatory"),
    )
    # A copy: the address the link was sent to stays on record if the person changes later.
    email = models.EmailField(_("e-mail address"))
    status = models.CharField(
        _("status"), max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.OPEN
    )
    # A partner joining a document that is already in force (a business that accedes to the
    # covenant during its term): it signs the same frozen text, as an accession.
    accession = models.BooleanField(_("joins during the term"), default=False)
    expires_at = models.DateTimeField(_("link valid until"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    opened_at = models.DateTimeField(_("first opened at"), null=True, blank=True)
    last_reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField(_("reminders"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation to sign")
        verbose_name_plural = _("invitations to sign")
        ordering = ["participation__organisation__name"]
        constraints = [
            # One open or signed invitation per partner and version; a replaced signatory's
            # revoked invitation stays beside the new one as evidence of who was invited, and so
            # does a declined one when the partner is invited again for the same version.
            models.UniqueConstraint(
                fields=["declaration", "participation"],
                condition=Q(status__in=["open", "signed"]),
                name="partners_invitation_declaration_participation_current_uniq",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[value for value, _label in InvitationStatus.choices]),
                name="partners_invitation_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.participation.organisation} – {self.declaration}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()


class SigningToken(models.Model):
    """A personal link's token; only its SHA-256 is stored, the token itself is only e-mailed."""

    invitation = models.ForeignKey(
        Invitation, on_delete=models.CASCADE, related_name="tokens", verbose_name=_("invitation")
    )
    token_hash = models.CharField(_("SHA-256 of the token"), max_length=64, unique=True)
    expires_at = models.DateTimeField(_("valid until"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("signing link")
        verbose_name_plural = _("signing links")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.invitation} ({self.created_at:%Y-%m-%d})"


class EventKind(models.TextChoices):
    SENT = "sent", _("invitation sent")
    OPENED = "opened", _("link opened")
    SIGNED = "signed", _("signed")
    DECLINED = "declined", _("declined")
    REMINDED = "reminded", _("reminder sent")
    RESENT = "resent", _("new link sent")
    REVOKED = "revoked", _("revoked")
    WITHDRAWN = "withdrawn", _("withdrawn because of a new version")
    REINVITED = "reinvited", _("invited again after declining")
    SEND_FAILED = "send_failed", _("sending failed, will be retried")


class InvitationEvent(models.Model):
    """One entry of an invitation's event log: the audit trail printed on the evidence page."""

    personal_data_fields = ("ip_address", "user_agent")
    personal_data_of = "invitation__person"

    invitation = models.ForeignKey(
        Invitation, on_delete=models.CASCADE, related_name="events", verbose_name=_("invitation")
    )
    kind = models.CharField(_("event"), max_length=12, choices=EventKind.choices)
    at = models.DateTimeField(_("time"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("invitation event")
        verbose_name_plural = _("invitation events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["invitation", "at"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class Decision(models.TextChoices):
    SIGNED = "signed", _("signed")
    DECLINED = "declined", _("declined")


class Signature(models.Model):
    """The answer to an invitation: a signature with its evidence, or a decline with a reason."""

    # The organisation and the SHA-256 of the signed text stay: they keep the declaration
    # verifiable. A signed signature must keep a function, so that field is redacted, not emptied.
    personal_data_fields = ("signer_name", "signer_function", "ip_address", "user_agent")
    personal_data_of = "invitation__person"
    personal_data_kept_filled = ("signer_function",)

    invitation = models.OneToOneField(
        Invitation,
        on_delete=models.PROTECT,
        related_name="signature",
        verbose_name=_("invitation"),
    )
    declaration = models.ForeignKey(
        Declaration,
        on_delete=models.PROTECT,
        related_name="signatures",
        verbose_name=_("document"),
    )
    participation = models.ForeignKey(
        Participation,
        on_delete=models.PROTECT,
        related_name="signatures",
        verbose_name=_("partner"),
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    signer_name = SingleLineCharField(_("full name"), max_length=150)
    signer_function = SingleLineCharField(_("function"), max_length=150, blank=True)
    organisation_name = SingleLineCharField(_("on behalf of"), max_length=200)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    answered_at = models.DateTimeField(_("time"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    text_sha256 = models.CharField(_("SHA-256 of the signed text"), max_length=64)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["answered_at", "pk"]
        constraints = [
            # The database itself refuses a second signature for the same partner and version
            # (one answer per invitation is the one-to-one field). A partner that declined may be
            # invited again, so declines can be more than one.
            models.UniqueConstraint(
                fields=["declaration", "participation"],
                condition=Q(decision="signed"),
                name="partners_signature_declaration_participation_signed_uniq",
            ),
            models.CheckConstraint(
                condition=Q(decision__in=["signed", "declined"]),
                name="partners_signature_decision_valid",
            ),
            models.CheckConstraint(
                condition=Q(decision="declined") | ~Q(signer_function=""),
                name="partners_signature_signed_has_function",
            ),
        ]

    def __str__(self):
        return f"{self.signer_name} ({self.organisation_name}): {self.get_decision_display()}"


class Departure(models.Model):
    """A partner that left a document in force during its term (a business leaving the
    covenant). Its signature and evidence stay as they were; the appendix of participants and
    the verification page say since when it no longer takes part."""

    personal_text_fields = ("reason",)
    municipality_lookup = "document__project__municipality"

    document = models.ForeignKey(
        Declaration,
        on_delete=models.CASCADE,
        related_name="departures",
        verbose_name=_("document"),
    )
    participation = models.ForeignKey(
        Participation,
        on_delete=models.RESTRICT,
        related_name="departures",
        verbose_name=_("partner"),
    )
    left_on = models.DateField(_("left on"))
    reason = models.TextField(_("reason"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("departure")
        verbose_name_plural = _("departures")
        ordering = ["document", "left_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "participation"], name="partners_departure_once_per_partner"
            )
        ]

    def __str__(self):
        return f"{self.participation} ({self.left_on:%Y-%m-%d})"


class IssuedPdf(models.Model):
    """The fingerprint of every PDF we hand out, so a copy can be checked on the public page."""

    declaration = models.ForeignKey(
        Declaration,
        on_delete=models.CASCADE,
        related_name="issued_pdfs",
        verbose_name=_("document"),
    )
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, db_index=True)
    signature_count = models.PositiveIntegerField(_("signatures in the file"), default=0)
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("issued PDF")
        verbose_name_plural = _("issued PDFs")
        ordering = ["-created_at"]
        # One row per file: get_or_create from concurrent downloads of the same PDF.
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "sha256"], name="partners_issuedpdf_one_per_file"
            )
        ]

    def __str__(self):
        return f"{self.declaration} {self.sha256[:12]}"


class ReminderRun(models.Model):
    """One run of the automatic reminders (`manage.py send_reminders`), shown on the status page
    so the leader can see that the daily job runs."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    reminded = models.PositiveIntegerField(_("reminders queued"), default=0)
    retried = models.PositiveIntegerField(_("failed invitations retried"), default=0)

    class Meta:
        verbose_name = _("reminder run")
        verbose_name_plural = _("reminder runs")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M}: {self.reminded}"
