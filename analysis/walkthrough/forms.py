"""Forms of the walk-through: the round itself, a finding (phone-first), its photo, the filters."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from analysis.walkthrough import photos
from analysis.walkthrough.models import (
    Finding,
    FindingCategory,
    Severity,
    WalkThrough,
    WalkThroughTiming,
)
from kvu.fields import IdModelMultipleChoiceField
from meetings.services import municipal_users, project_participations

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
NOTES_MAX = 5000
DESCRIPTION_MAX = 2000


# Shown beside the colour's name on the phone form's large buttons (colour and text, never
# colour alone).
SEVERITY_HINTS = {
    Severity.GREEN: _("in order or minor"),
    Severity.ORANGE: _("needs attention"),
    Severity.RED: _("unsafe, act soon"),
}


def _user_label(user):
    return user.get_full_name() or user.username


class WalkThroughForm(forms.ModelForm):
    partners = IdModelMultipleChoiceField(
        label=_("Partners who walk along"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    colleagues = IdModelMultipleChoiceField(
        label=_("Colleagues who walk along"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = WalkThrough
        fields = ["timing", "date", "start_time", "route", "partners", "colleagues", "notes"]
        widgets = {
            "timing": forms.RadioSelect,
            "date": DATE,
            "start_time": TIME,
            "notes": forms.Textarea(attrs={"rows": 3, "maxlength": NOTES_MAX}),
        }
        help_texts = {
            "timing": _("CCV advises a walk-through by day and one at night, at the busiest hour."),
            "route": _("For example: Oude Markt, Walstraat, Stationsplein."),
        }

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timing"].choices = [
            (v, capfirst(label)) for v, label in WalkThroughTiming.choices
        ]
        self.fields["partners"].queryset = project_participations(project).order_by(
            "organisation__name", "pk"
        )
        self.fields["partners"].label_from_instance = lambda p: p.organisation.name
        self.fields["colleagues"].queryset = municipal_users(project)
        self.fields["colleagues"].label_from_instance = _user_label
        self.fields["notes"].max_length = NOTES_MAX
        self.fields["notes"].validators.append(MaxLengthValidator(NOTES_MAX))


class _PhotoField(forms.FileField):
    """The phone's camera: a file input that opens the back camera where the phone can."""

    widget = forms.FileInput(attrs={"accept": "image/*", "capture": "environment"})


class _PhotoMixin:
    """Reads, checks and processes the photo in clean(): a refused photo refuses the form."""

    photo_bytes: bytes | None = None

    def clean(self):
        data = super().clean()
        upload = data.get("photo")
        if upload:
            limit = settings.KVU_DOCUMENT_MAX_BYTES
            raw = upload.read(limit + 1)  # one byte past the limit: enough to know
            try:
                self.photo_bytes = photos.process_photo(
                    raw, keep_location=bool(data.get("keep_location"))
                )
            except ValidationError as error:
                self.add_error("photo", error)
        return data


class FindingForm(_PhotoMixin, forms.ModelForm):
    """One finding, recorded on a phone while walking; `client_key` makes a repeat harmless."""

    photo = _PhotoField(label=_("Photo"), required=False)
    keep_location = forms.BooleanField(
        label=_("Keep the location data in the photo"),
        required=False,
        help_text=_(
            "Off: the place where the photo was taken is removed from the file. Tick only when "
            "the exact location must stay in the photo."
        ),
    )
    severity = forms.ChoiceField(
        label=_("Severity"),
        choices=[(value, SEVERITY_HINTS[value]) for value in Severity.values],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a severity: green, orange or red."),
            "invalid_choice": _("Choose a severity: green, orange or red."),
        },
    )
    client_key = forms.UUIDField(widget=forms.HiddenInput)

    class Meta:
        model = Finding
        fields = ["street", "location", "category", "severity", "description", "action_by"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3, "maxlength": DESCRIPTION_MAX}),
        }
        labels = {"description": _("What is wrong (short)")}

    def __init__(self, *args, walk_through, with_photo=True, **kwargs):
        super().__init__(*args, **kwargs)
        analysis = walk_through.analysis
        self.fields["street"].queryset = analysis.streets.all()
        self.fields["street"].empty_label = _("(no street)")
        self.fields["action_by"].queryset = project_participations(analysis.project).order_by(
            "organisation__name", "pk"
        )
        self.fields["action_by"].label_from_instance = lambda p: p.organisation.name
        self.fields["action_by"].empty_label = _("(nobody yet)")
        self.fields["category"].choices = [("", "---------"), *FindingCategory.choices]
        self.fields["description"].max_length = DESCRIPTION_MAX
        self.fields["description"].validators.append(MaxLengthValidator(DESCRIPTION_MAX))
        if not with_photo:  # editing: the photo has its own form (FindingPhotoForm)
            for name in ("photo", "keep_location", "client_key"):
                del self.fields[name]


class FindingPhotoForm(_PhotoMixin, forms.Form):
    """A photo for a finding that is already recorded: a failed upload tried again."""

    photo = _PhotoField(label=_("Photo"))
    keep_location = FindingForm.base_fields["keep_location"]


PER_STREET, PER_CATEGORY = "straat", "categorie"


class FindingFilterForm(forms.Form):
    """The filters of the findings list (a GET form); every value is a bounded choice."""

    per = forms.ChoiceField(
        label=_("Group by"),
        choices=[(PER_STREET, _("street")), (PER_CATEGORY, _("category"))],
        required=False,
    )
    walk_through = forms.ModelChoiceField(
        label=_("Walk-through"), queryset=None, required=False, empty_label=_("all")
    )
    severity = forms.ChoiceField(
        label=_("Severity"), choices=[("", _("all")), *Severity.choices], required=False
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("all")), *FindingCategory.choices], required=False
    )
    street = forms.ModelChoiceField(
        label=_("Street"), queryset=None, required=False, empty_label=_("all")
    )

    def __init__(self, *args, walk_throughs, streets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["walk_through"].queryset = walk_throughs
        self.fields["street"].queryset = streets

    def _valid(self) -> dict:
        self.is_valid()
        return getattr(self, "cleaned_data", {})

    def filters(self) -> dict:
        """The lookups of the valid filters; an invalid one is left out (and shown as such)."""
        data = self._valid()
        lookups = {}
        for name in ("walk_through", "severity", "category", "street"):
            if data.get(name):
                lookups[name] = data[name]
        return lookups

    def grouping(self) -> str:
        return self._valid().get("per") or PER_STREET
