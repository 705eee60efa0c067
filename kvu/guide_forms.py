"""Forms of the phase guide: manual tick, override, the gate decision and the timeline filter."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kvu import guide
from kvu.fields import date_bounds


class TickForm(forms.Form):
    ticked = forms.BooleanField(label=_("Done"), required=False)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. which course, publication or colleague the knowledge comes from."),
    )


class OverrideForm(forms.Form):
    override = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            ("", _("as derived from the data")),
            ("done", _("done")),
            ("open", _("not done")),
        ],
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("override") and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Give a reason when you override the derived state."))
        return cleaned


class GateForm(forms.Form):
    """Passing the gate; with required steps open, the leader names each of them and why."""

    acknowledged = forms.MultipleChoiceField(
        label=_("I pass the gate although these required steps are still open"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(
        label=_("Reason for passing the gate now"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, open_steps, **kwargs):
        super().__init__(*args, **kwargs)
        self.open_steps = open_steps
        if open_steps:
            self.fields["acknowledged"].choices = [(s.key, s.title) for s in open_steps]
        else:
            del self.fields["acknowledged"]
            del self.fields["reason"]

    def clean(self):
        cleaned = super().clean()
        if self.open_steps:
            if set(cleaned.get("acknowledged") or []) != {s.key for s in self.open_steps}:
                self.add_error(
                    "acknowledged", _("Tick every open required step: your decision names them.")
                )
            if not (cleaned.get("reason") or "").strip():
                self.add_error("reason", _("Give the reason for passing the gate now."))
        return cleaned


class TimelineFilterForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("Show"), required=False, widget=forms.CheckboxSelectMultiple
    )
    since = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[date_bounds],
    )
    until = forms.DateField(
        label=_("Up to and including"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[date_bounds],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = guide.timeline_kinds()
