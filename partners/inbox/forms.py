"""The form that assigns a waiting e-mail to a partner of the project."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from kvu.fields import IdModelMultipleChoiceField
from partners.models import Direction, Participation, Person


class AssignForm(forms.Form):
    participation = forms.ModelChoiceField(
        label=_("Partner"), queryset=Participation.objects.none()
    )
    persons = IdModelMultipleChoiceField(
        label=_("Spoke with"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only contact persons of the chosen partner."),
    )
    direction = forms.ChoiceField(label=capfirst(_("direction")), choices=Direction.choices)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        # This project's partners and their persons only: any other id is an invalid choice.
        self.fields["participation"].queryset = Participation.objects.filter(
            project=project
        ).select_related("organisation")
        self.fields["participation"].label_from_instance = lambda p: p.organisation.name
        self.fields["persons"].queryset = (
            Person.objects.filter(organisation__participations__project=project)
            .select_related("organisation")
            .order_by("organisation__name", "name", "pk")
        )
        self.fields["persons"].label_from_instance = lambda p: f"{p.name} ({p.organisation.name})"

    def clean(self):
        cleaned = super().clean()
        participation, persons = cleaned.get("participation"), cleaned.get("persons") or []
        if participation and any(
            p.organisation_id != participation.organisation_id for p in persons
        ):
            self.add_error(
                "persons",
                _("Choose only contact persons of %(name)s.")
                % {"name": participation.organisation.name},
            )
        return cleaned
