"""Form of one concern: what the partner said and what the municipality does about it."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import formats
from django.utils.text import Truncator

from kvu.concurrency import VersionedFormMixin
from partners.models import Agreement, Concern


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class AgreementChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        day = formats.date_format(obj.date, "SHORT_DATE_FORMAT")
        return f"{day}: {Truncator(obj.text).chars(80)}"


class ConcernForm(VersionedFormMixin, forms.ModelForm):
    """Add or edit a concern of one partner; an edit is refused over someone else's change."""

    class Meta:
        model = Concern
        fields = ["kind", "partner_text", "response", "owner", "due_date", "status", "agreement"]
        field_classes = {"owner": OwnerChoiceField, "agreement": AgreementChoiceField}
        widgets = {
            "partner_text": forms.Textarea(attrs={"rows": 3}),
            "response": forms.Textarea(attrs={"rows": 3}),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, participation, **kwargs):
        kwargs.setdefault("instance", Concern(participation=participation))
        super().__init__(*args, **kwargs)
        self.instance.participation = participation
        # Only members of the municipality's team, only agreements made with this partner.
        self.fields["owner"].queryset = (
            get_user_model()
            .objects.filter(memberships__municipality_id=participation.project.municipality_id)
            .order_by("first_name", "last_name", "username")
            .distinct()
        )
        self.fields["agreement"].queryset = Agreement.objects.filter(
            participations=participation
        ).order_by("-date", "-pk")
