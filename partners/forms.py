"""Forms of the outreach pages: organisations, persons, participations, contacts, agreements."""

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from kvu.concurrency import VersionedFormMixin
from kvu.fields import IdModelMultipleChoiceField
from partners.models import (
    Agreement,
    ContactMoment,
    KvuRole,
    Organisation,
    Participation,
    Person,
    Stage,
)

SCORE_CHOICES = [("", "–"), *((n, str(n)) for n in range(1, 6))]
ROLE_FROM_KIND = [("", _("as usual for this kind of organisation")), *KvuRole.choices]


class OrganisationForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "address",
            "postcode",
            "city",
            "kvk_number",
            "website",
            "email",
            "phone",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality

    def clean_postcode(self):
        compact = self.cleaned_data["postcode"].replace(" ", "").upper()
        return f"{compact[:4]} {compact[4:]}" if len(compact) == 6 else compact

    def clean_kvk_number(self):
        # The database constraint is per municipality, which is not a field of the form, so
        # Django's own unique check skips it: check here to give a message, not an error page.
        kvk = self.cleaned_data["kvk_number"].strip()
        if kvk:
            others = Organisation.objects.filter(municipality=self.municipality, kvk_number=kvk)
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
                raise forms.ValidationError(
                    _("This municipality already has an organisation with this KvK number.")
                )
        return kvk


class NewPartnerForm(OrganisationForm):
    """A new organisation, created in place and added to the project at once."""

    role = forms.ChoiceField(
        label=capfirst(_("role in the KVU")), choices=ROLE_FROM_KIND, required=False
    )
    stage = forms.ChoiceField(
        label=capfirst(_("outreach stage")), choices=Stage.choices, initial=Stage.NOT_APPROACHED
    )


class AddParticipationForm(forms.Form):
    """An existing organisation of the municipality, added to the project."""

    organisation = forms.ModelChoiceField(label=capfirst(_("organisation")), queryset=None)
    role = forms.ChoiceField(
        label=capfirst(_("role in the KVU")), choices=ROLE_FROM_KIND, required=False
    )
    stage = forms.ChoiceField(
        label=capfirst(_("outreach stage")), choices=Stage.choices, initial=Stage.NOT_APPROACHED
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        # Only active organisations of this municipality that are not yet on the list: an id
        # of another municipality's organisation is then simply an invalid choice.
        self.fields["organisation"].queryset = (
            Organisation.objects.filter(municipality=project.municipality, is_active=True)
            .exclude(participations__project=project)
            .order_by("name")
        )
        self.fields["organisation"].label_from_instance = lambda org: (
            f"{org.name} ({org.get_kind_display()})"
        )


class PersonForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "function", "email", "phone", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class ParticipationForm(VersionedFormMixin, forms.ModelForm):
    influence = forms.TypedChoiceField(
        label=capfirst(_("influence")),
        choices=SCORE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("1 = little, 5 = a lot"),
    )
    interest_level = forms.TypedChoiceField(
        label=capfirst(_("interest")),
        choices=SCORE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("How much the KVU matters to this partner: 1 = little, 5 = a lot"),
    )

    class Meta:
        model = Participation
        fields = [
            "role",
            "main_contact",
            "interests",
            "influence",
            "interest_level",
        ]
        widgets = {
            "interests": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only persons of this organisation can be its main contact.
        self.fields["main_contact"].queryset = Person.objects.filter(
            organisation_id=self.instance.organisation_id
        )


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=capfirst(_("new stage")), choices=Stage.choices)
    note = forms.CharField(label=capfirst(_("note")), max_length=300, required=False)


class ContactMomentForm(forms.ModelForm):
    occurred_at = forms.DateTimeField(
        label=capfirst(_("date and time")),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    follow_up_on = forms.DateField(
        label=capfirst(_("follow up on")),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Optional: the date you want to get back to this partner."),
    )

    class Meta:
        model = ContactMoment
        fields = [
            "occurred_at",
            "channel",
            "direction",
            "persons",
            "summary",
            "outcome",
            "follow_up_on",
        ]
        field_classes = {"persons": IdModelMultipleChoiceField}
        widgets = {
            "persons": forms.CheckboxSelectMultiple,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "outcome": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, participation, **kwargs):
        super().__init__(*args, **kwargs)
        # Persons of this organisation only: a person id of any other organisation is refused.
        self.fields["persons"].queryset = Person.objects.filter(
            organisation_id=participation.organisation_id
        )
        if not self.is_bound:
            self.initial.setdefault(
                "occurred_at", timezone.localtime().replace(second=0, microsecond=0)
            )


class AgreementForm(forms.ModelForm):
    date = forms.DateField(
        label=capfirst(_("date")), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    class Meta:
        model = Agreement
        fields = ["date", "text", "about_double_role"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("date", timezone.localdate())


class ContactMomentEditForm(VersionedFormMixin, ContactMomentForm):
    """A logged contact, corrected; refused when someone else changed it in the meantime."""


class AgreementEditForm(VersionedFormMixin, AgreementForm):
    """A recorded agreement, corrected; refused when someone else changed it in the meantime."""


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        required=False,
        help_text=_("Semicolon-separated, as exported from this page or saved from Excel."),
    )
    # The preview sends the file's text back on confirmation, so nothing is kept on the server.
    content = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload:
            if upload.size > 2_000_000:
                raise forms.ValidationError(_("The file is too large (at most 2 MB)."))
            raw = upload.read()
            for encoding in ("utf-8-sig", "cp1252"):
                try:
                    cleaned["content"] = raw.decode(encoding)
                    break
                except UnicodeDecodeError:
                    continue
        if not cleaned.get("content"):
            raise forms.ValidationError(_("Choose a CSV file to import."))
        return cleaned
