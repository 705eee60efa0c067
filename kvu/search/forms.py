"""The search box: one text field, bounded."""

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_LENGTH = 200


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=MAX_LENGTH,
        error_messages={
            "max_length": _(
                "Search for at most %(limit_value)d characters (you typed %(show_value)d)."
            )
        },
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
