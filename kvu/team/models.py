"""Invitations of a colleague into a municipality's team, with a single-use set-password link."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kvu.fields import SingleLineCharField
from kvu.models import Membership, Municipality

__all__ = ["TeamInvitation"]


class TeamInvitationQuerySet(models.QuerySet):
    def pending(self):
        """Neither accepted nor cancelled (an expired one is pending too, until resent)."""
        return self.filter(accepted_at__isnull=True, cancelled_at__isnull=True)


class TeamInvitation(models.Model):
    """A colleague invited by e-mail to set a password and join the municipality with a role.

    Only the SHA-256 of the link's token is stored (kvu/team/links.py); a resend replaces it,
    so an older link stops working. An invitation is only made for an address without an
    account that can log in: an existing user is given the membership directly.
    """

    # Empty for an account the administrator made without a municipality.
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="team_invitations",
        verbose_name=_("municipality"),
    )
    email = models.EmailField(_("e-mail address"), max_length=150)
    name = SingleLineCharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=10, choices=Membership.Role.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    # An account made beforehand without a usable password (by the administrator): the link
    # sets its password. Empty when the account is made on acceptance.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="team_invitations",
        verbose_name=_("account"),
    )
    # NULL until the first e-mail went out: unique, and no empty string shared by unsent ones.
    token_hash = models.CharField(  # noqa: DJ001
        _("link (SHA-256)"), max_length=64, unique=True, null=True, editable=False
    )
    expires_at = models.DateTimeField(_("link valid until"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = TeamInvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("team invitation")
        verbose_name_plural = _("team invitations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=["leader", "editor", "viewer"]),
                name="kvu_teaminvitation_role_valid",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(cancelled_at__isnull=True),
                name="kvu_teaminvitation_not_accepted_and_cancelled",
            ),
            # One open invitation per address and municipality: a second one is a resend.
            models.UniqueConstraint(
                Lower("email"),
                "municipality",
                condition=Q(accepted_at__isnull=True, cancelled_at__isnull=True),
                name="kvu_teaminvitation_one_pending_per_email",
                violation_error_message=_("This address has already been invited."),
            ),
        ]

    def __str__(self):
        return f"{self.name} <{self.email}> – {self.municipality}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()
