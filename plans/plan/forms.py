"""Forms of step 4: the plan's texts, a measure, adopting the plan, sharing it.

Every choice is the project's own: knelpunten of the plan's analysis, partners of the project,
held working-group meetings of the project.
"""

from django import forms
from django.core.validators import MaxLengthValidator
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext_lazy as _

from analysis.models import KeyFigure, Knelpunt
from analysis.report import forms as report_forms
from kvu.fields import IdModelMultipleChoiceField, date_bounds
from partners.models import Participation, Stage
from plans.models import Measure, Plan
from plans.plan.models import EvidenceStatus
from plans.plan.services import adoptable_meetings

TEXT_MAX = 10000  # one text of the plan
DESCRIPTION_MAX = 5000  # a measure's description
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanTextsForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = [
            "motives",
            "goal",
            "starts_on",
            "ends_on",
            "decision_making",
            "organisation",
            "evaluation",
        ]
        widgets = {
            "motives": forms.Textarea(attrs={"rows": 4}),
            "goal": forms.Textarea(attrs={"rows": 4}),
            "decision_making": forms.Textarea(attrs={"rows": 4}),
            "organisation": forms.Textarea(attrs={"rows": 4}),
            "evaluation": forms.Textarea(attrs={"rows": 4}),
            "starts_on": DATE,
            "ends_on": DATE,
        }
        help_texts = {
            "motives": _("Why the partners make this plan: what the analysis showed."),
            "goal": _("What the area should be like at the end, as SMART as you can."),
            "decision_making": _(
                "When the working group decides, and who takes the decisions it cannot take."
            ),
            "organisation": _("Who leads, how often the working group meets, who reports."),
            "evaluation": _("When the effect of the measures and the cooperation is evaluated."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in Plan.TEXT_FIELDS:
            field = self.fields[name]
            field.max_length = TEXT_MAX
            field.validators.append(MaxLengthValidator(TEXT_MAX))
            field.widget.attrs["maxlength"] = str(TEXT_MAX)
        for name in ("starts_on", "ends_on"):
            self.fields[name].validators.append(date_bounds)

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The end cannot be before the start."))
        return data


class PartnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.organisation.name


class PartnersChoiceField(IdModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.organisation.name


class KnelpuntChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_theme_display().capitalize()}: {obj.title}"


def _figure_name(figure):
    return str(figure.label or figure.get_kind_display())


def latest_figures(analysis) -> list[KeyFigure]:
    """The newest value of each key figure of the analysis (one query)."""
    newest = {}
    for figure in KeyFigure.objects.filter(analysis=analysis).order_by("kind", "label", "-year"):
        newest.setdefault((figure.kind, figure.label), figure)
    return list(newest.values())


class MeasureForm(forms.ModelForm):
    """A measure with its SMART goal. Choosing a key figure fills the baseline and its source."""

    baseline_figure = forms.TypedChoiceField(
        label=_("Take the baseline from a key figure"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_(
            "The newest value of each key figure of the analysis. Choosing one fills in the "
            "baseline and its source; leave it empty to enter them yourself."
        ),
    )

    class Meta:
        model = Measure
        fields = [
            "knelpunt",
            "theme",
            "title",
            "description",
            "indicator",
            "unit",
            "baseline_figure",
            "baseline",
            "baseline_source",
            "target",
            "target_date",
            "responsible",
            "contributors",
            "costs",
            "paid_by",
            "starts_on",
            "ends_on",
            "evidence",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "target_date": DATE,
            "starts_on": DATE,
            "ends_on": DATE,
            "evidence": forms.RadioSelect,
        }
        help_texts = {
            "theme": _("A measure for a knelpunt takes the knelpunt's theme."),
            "evidence": _(
                "What the Keuzewijzer Veilig Uitgaan says of this kind of measure. Most "
                "measures have no known effect: then agree how you will see whether it works."
            ),
            "paid_by": _("Who pays the costs; for a measure without costs, leave it empty."),
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["knelpunt"] = KnelpuntChoiceField(
            label=_("Knelpunt"),
            queryset=Knelpunt.objects.filter(analysis_id=plan.analysis_id).order_by(
                "position", "pk"
            ),
            required=False,
            empty_label=_("none: a measure for the whole plan"),
        )
        self.fields["theme"].required = False
        partners = (
            Participation.objects.filter(project_id=plan.project_id)
            .select_related("organisation")
            .order_by("organisation__name", "pk")
        )
        keep = [self.instance.responsible_id] if self.instance.responsible_id else []
        offered = partners.exclude(stage=Stage.DECLINED) | partners.filter(pk__in=keep)
        self.fields["responsible"] = PartnerChoiceField(
            label=_("Responsible partner"),
            queryset=offered,
        )
        self.fields["contributors"] = PartnersChoiceField(
            label=_("Contributing partners"),
            queryset=partners,
            required=False,
            widget=forms.SelectMultiple(attrs={"size": 5}),
            help_text=_("Hold Ctrl (or Cmd on a Mac) to choose more than one."),
        )
        self.figures = {f.pk: f for f in latest_figures(plan.analysis_id)}
        self.fields["baseline_figure"].choices = [("", _("enter it yourself"))] + [
            (
                f.pk,
                f"{_figure_name(f)} {f.year}: {floatformat(f.value, -1)} ({f.source})",
            )
            for f in self.figures.values()
        ]
        if not self.figures:
            self.fields["baseline_figure"].help_text = _(
                "The analysis has no key figures yet; enter the baseline yourself."
            )
        self.fields["description"].max_length = DESCRIPTION_MAX
        self.fields["description"].validators.append(MaxLengthValidator(DESCRIPTION_MAX))
        for name in ("target_date", "starts_on", "ends_on"):
            self.fields[name].validators.append(date_bounds)
        self.fields["evidence"].choices = EvidenceStatus.choices

    def clean_baseline_figure(self):
        pk = self.cleaned_data.get("baseline_figure")
        if pk is not None and pk not in self.figures:
            raise forms.ValidationError(_("Choose one of the key figures offered."))
        return pk

    def clean(self):
        data = super().clean()
        knelpunt = data.get("knelpunt")
        if knelpunt is not None:
            data["theme"] = knelpunt.theme
        elif not data.get("theme") and "theme" not in self.errors:
            self.add_error("theme", _("Choose a theme for a measure without a knelpunt."))
        figure = self.figures.get(data.get("baseline_figure"))
        if figure is not None:
            data["baseline"] = figure.value
            data["baseline_source"] = (f"{_figure_name(figure)} {figure.year}: {figure.source}")[
                :200
            ]
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The end cannot be before the start."))
        target_date = data.get("target_date")
        if start and target_date and target_date < start:
            self.add_error("target_date", _("The target date cannot be before the start."))
        if data.get("target") is not None and not target_date and "target_date" not in self.errors:
            self.add_error("target_date", _("Give the date by which the target should be met."))
        responsible = data.get("responsible")
        if responsible is not None and data.get("contributors") is not None:
            data["contributors"] = [c for c in data["contributors"] if c.pk != responsible.pk]
        return data


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.date:%d-%m-%Y} · {obj.title}"


class AdoptForm(forms.Form):
    """The held working-group meeting in which the working group adopted the plan."""

    meeting = MeetingChoiceField(
        label=_("Adopted in the meeting"),
        queryset=None,
        help_text=_("Only working-group meetings of this project that have been held."),
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = adoptable_meetings(project)


class SharedForm(report_forms.SharedForm):
    """The analysis report's sharing form, for the plan: the same fields and checks."""

    future_message = _("A plan cannot be shared in the future.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shared_with"].help_text = _(
            "For example: the mayor and the council, for information."
        )
