"""The working group form: members chosen among the signatories."""

from django import forms
from django.utils.translation import gettext_lazy

from kvu.fields import IdModelMultipleChoiceField
from partners.workgroup.services import signatories


class WorkingGroupForm(forms.Form):
    members = IdModelMultipleChoiceField(
        label=gettext_lazy("Members of the working group"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Only partners that signed the declaration of intent can join the working group."
        ),
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        # Restricted to this project's signatories: ids of anything else are refused.
        self.fields["members"].queryset = signatories(project)
        self.fields["members"].label_from_instance = lambda p: (
            f"{p.organisation.name} ({p.get_role_display()})"
        )
