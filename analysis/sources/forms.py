"""Form of one source of the analysis: its status, who is responsible, dates and notes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from analysis.models import Source, SourceStatus
from analysis.profile.forms import bound_text_fields
from kvu.concurrency import VersionedFormMixin
from meetings.services import municipal_users
from partners.models import Participation


class ColleagueChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class PartnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.organisation.name


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SourceForm(VersionedFormMixin, forms.ModelForm):
    """Status and planning of a source; "not used" is a choice that says why."""

    class Meta:
        model = Source
        fields = [
            "status",
            "reason_not_used",
            "responsible_user",
            "responsible_partner",
            "planned_on",
            "done_on",
            "notes",
        ]
        field_classes = {
            "responsible_user": ColleagueChoiceField,
            "responsible_partner": PartnerChoiceField,
        }
        widgets = {
            "reason_not_used": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 4}),
            "planned_on": DATE,
            "done_on": DATE,
        }
        help_texts = {
            "reason_not_used": _("Required when the source is not used."),
            "responsible_partner": _("Or a partner, when a partner gathers it (the police)."),
        }

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        bound_text_fields(self)
        # Only active colleagues of the project's municipality, only the project's partners.
        self.fields["responsible_user"].queryset = municipal_users(project)
        self.fields["responsible_partner"].queryset = (
            Participation.objects.filter(project=project)
            .select_related("organisation")
            .order_by("organisation__name", "pk")
        )

    def clean(self):
        cleaned = super().clean()
        reason = (cleaned.get("reason_not_used") or "").strip()
        if "reason_not_used" in cleaned:
            cleaned["reason_not_used"] = reason
        not_used = cleaned.get("status") == SourceStatus.NOT_USED
        if not_used and not reason and not self.has_error("reason_not_used"):
            self.add_error(
                "reason_not_used",
                _("Say why this source is not used: CCV asks for a conscious choice."),
            )
        return cleaned
