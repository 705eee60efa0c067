"""The working group form: members chosen among the signatories."""

from django import forms
from django.utils.translation import gettext_lazy

from kvu.concurrency import VersionedFormMixin
from kvu.fields import IdModelMultipleChoiceField
from partners.models import Person, WorkingGroupMember
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


class MemberPersonForm(VersionedFormMixin, forms.ModelForm):
    """Who represents a member's organisation in the working group: one of its contact persons."""

    class Meta:
        model = WorkingGroupMember
        fields = ["person"]
        help_texts = {
            "person": gettext_lazy(
                "The contact person of this organisation who takes part in the working group; "
                "by default its main contact person."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        # Only persons of the member's own organisation: any other id is an invalid choice.
        field.queryset = Person.objects.filter(
            organisation_id=self.instance.participation.organisation_id
        ).order_by("name", "pk")
        field.empty_label = gettext_lazy("(nobody yet)")
        field.label_from_instance = lambda p: f"{p.name} ({p.function})" if p.function else p.name
