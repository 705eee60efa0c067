"""Forms of step 5 in plans: a partner's commitment under the covenant."""

from django import forms
from django.utils.translation import gettext_lazy as _

from plans.covenant.selectors import covenant_partners

COMMITMENT_MAX = 2000


class PartnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.organisation.name} ({obj.get_role_display()})"


class CommitmentForm(forms.Form):
    """What one partner undertakes to do under the covenant; the partner is one of the plan's
    project."""

    participation = PartnerChoiceField(
        label=_("Partner"),
        queryset=None,
        empty_label=_("Choose a partner"),
        error_messages={
            "required": _("Choose the partner that makes this commitment."),
            "invalid_choice": _("Choose one of the partners of this project."),
        },
    )
    text = forms.CharField(
        label=_("Commitment"),
        max_length=COMMITMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "What the partner does, in one or two sentences, e.g. “Provides two certified door "
            "staff on Friday and Saturday nights from 23:00.”"
        ),
        error_messages={
            "required": _("Write down what the partner commits to."),
            "max_length": _("Keep a commitment to at most %(limit_value)d characters."),
        },
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["participation"].queryset = covenant_partners(plan)
