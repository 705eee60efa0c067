"""Forms of the team page and of the set-password page behind an invitation link."""

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.utils.translation import gettext_lazy as _

from kvu.models import Membership


class InviteForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=150,
        help_text=_("The colleague logs in with this address."),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Membership.Role.choices,
        initial=Membership.Role.EDITOR,
        help_text=_(
            "Project leaders also manage the team; editors work on the projects; viewers only read."
        ),
    )

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Fill in the colleague's name."))
        return name


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class AcceptForm(SetPasswordForm):
    """Django's own password form: both fields checked by AUTH_PASSWORD_VALIDATORS.

    Its `user` is the account being made (not yet saved), so that the validators can compare
    the password with the colleague's name and address.
    """
