"""Forms of the area profile: the profile itself, a street, an establishment, a key figure."""

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from analysis.models import AreaProfile, Establishment, FigureKind, KeyFigure, Street
from kvu.concurrency import VersionedFormMixin
from kvu.fields import no_line_breaks

# A long description fits; a pasted book does not.
TEXT_LIMIT = 5000


def bound_text_fields(form, limit=TEXT_LIMIT):
    """Give every multi-line field of `form` a maximum length (TextFields have none)."""
    for field in form.fields.values():
        if isinstance(field, forms.CharField) and isinstance(field.widget, forms.Textarea):
            field.max_length = limit
            field.validators.append(MaxLengthValidator(limit))
            field.widget.attrs["maxlength"] = str(limit)


class AreaProfileForm(VersionedFormMixin, forms.ModelForm):
    """The description of the area; refused over someone else's newer change."""

    class Meta:
        model = AreaProfile
        fields = ["description", "functions", "capacity", "peak_nights", "peak_hours"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "functions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bound_text_fields(self)
        self.fields["capacity"].widget.attrs.update(min="0", max="1000000")


class StreetForm(VersionedFormMixin, forms.ModelForm):
    """A street (or square) of the area; each name once per analysis."""

    class Meta:
        model = Street
        fields = ["name"]

    def __init__(self, *args, analysis, **kwargs):
        kwargs.setdefault("instance", Street(analysis=analysis))
        super().__init__(*args, **kwargs)
        self.instance.analysis = analysis
        self.analysis = analysis

    def clean_name(self):
        no_line_breaks(self.cleaned_data["name"])  # before the spaces are tidied away
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Enter the name of the street."), code="required")
        taken = Street.objects.filter(analysis=self.analysis, name__iexact=name)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                _("The street “%(name)s” is already on the list."),
                code="duplicate",
                params={"name": name},
            )
        return name


class EstablishmentForm(VersionedFormMixin, forms.ModelForm):
    """What the profile knows of one hospitality partner: kind, opening hours, size, street."""

    class Meta:
        model = Establishment
        fields = ["kind", "opening_hours", "capacity", "street"]

    def __init__(self, *args, analysis, participation, **kwargs):
        kwargs.setdefault("instance", Establishment(analysis=analysis, participation=participation))
        super().__init__(*args, **kwargs)
        self.instance.analysis = analysis
        self.instance.participation = participation
        self.fields["street"].queryset = Street.objects.filter(analysis=analysis)
        self.fields["capacity"].widget.attrs.update(min="0", max="100000")


class KeyFigureForm(VersionedFormMixin, forms.ModelForm):
    """One figure for one year with its source; a year is entered once per figure."""

    class Meta:
        model = KeyFigure
        fields = ["kind", "label", "year", "value", "source"]
        help_texts = {"label": _("Only for “other figure”: what is counted.")}

    def __init__(self, *args, analysis, **kwargs):
        kwargs.setdefault("instance", KeyFigure(analysis=analysis))
        super().__init__(*args, **kwargs)
        self.instance.analysis = analysis
        self.analysis = analysis
        self.fields["year"].widget.attrs.update(min="1990", max="2100")
        self.fields["value"].widget.attrs.update(min="0", step="0.1")

    def clean(self):
        cleaned = super().clean()
        kind, label = cleaned.get("kind"), (cleaned.get("label") or "").strip()
        if kind == FigureKind.OTHER and not label:
            self.add_error("label", _("Name the figure: what is counted?"))
        elif kind and kind != FigureKind.OTHER:
            label = ""  # the named kinds carry no name of their own
        cleaned["label"] = label
        year = cleaned.get("year")
        if kind and year is not None and not self.has_error("label"):
            same = KeyFigure.objects.filter(
                analysis=self.analysis, kind=kind, label=label, year=year
            )
            if self.instance.pk:
                same = same.exclude(pk=self.instance.pk)
            if same.exists():
                self.add_error(
                    "year",
                    _("This figure already has a value for %(year)s; change that one instead.")
                    % {"year": year},
                )
        return cleaned
