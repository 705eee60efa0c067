"""What each partner commits to in the covenant (CCV step 5).

The covenant itself is a signed document of partners/declaration/ (kind "covenant"): its text,
versions, invitations, signatures, accessions and departures live there. Its first draft is
made from the plan's measures and these commitments (plans/covenant/texts.py).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["Commitment"]


class Commitment(models.Model):
    """One thing a partner undertakes to do under the covenant."""

    personal_text_fields = ("text",)
    municipality_lookup = "plan__project__municipality"

    plan = models.ForeignKey(
        "plans.Plan",
        on_delete=models.CASCADE,
        related_name="commitments",
        verbose_name=_("plan of approach"),
    )
    participation = models.ForeignKey(
        "partners.Participation",
        on_delete=models.RESTRICT,
        related_name="commitments",
        verbose_name=_("partner"),
    )
    text = models.TextField(_("commitment"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["plan", "participation", "position", "pk"]
        indexes = [models.Index(fields=["plan", "participation", "position"])]

    def __str__(self):
        return f"{self.participation}: {self.text[:60]}"
