"""The working group: members chosen from the signatories of the intentieverklaring."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from partners.models import Participation, Person

__all__ = ["WorkingGroupMember"]


class WorkingGroupMember(models.Model):
    """One partner (and its representative) in the project's working group."""

    participation = models.ForeignKey(
        Participation,
        on_delete=models.CASCADE,
        related_name="working_group_memberships",
        verbose_name=_("partner"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("representative"),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("working group member")
        verbose_name_plural = _("working group members")
        ordering = ["participation__organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["participation"], name="partners_workinggroupmember_participation_uniq"
            ),
        ]

    def __str__(self):
        return str(self.participation.organisation)
