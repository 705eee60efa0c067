"""Forms of the user's own account pages: their settings."""

from django import forms

from kvu.concurrency import VersionedFormMixin
from kvu.models import UserSettings


class UserSettingsForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = UserSettings
        fields = ["digest", "language"]
        widgets = {"digest": forms.RadioSelect}
