"""Forms of the report part: every choice (evidence, streets, meeting) is the analysis' own."""

from django import forms
from django.core.validators import MaxLengthValidator
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from analysis.models import Analysis, Conclusion, ConclusionKind, Knelpunt, Street
from analysis.report import selectors
from kvu.fields import IdModelMultipleChoiceField, date_bounds, no_line_breaks
from meetings.models import Meeting, MeetingKind, MeetingStatus

TEXT_MAX = 5000  # a conclusion, a knelpunt's description
REPORT_TEXT_MAX = 20000  # the report's introduction, summary and method
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _short(text, length=70):
    return Truncator(" ".join(str(text).split())).chars(length)


class EvidenceMixin:
    """Four multiple selects with what the analysis knows, grouped so a long list stays findable.

    Findings are grouped per walk-through (the newest FINDINGS_OFFERED, plus those chosen
    already), survey questions per survey, key figures per figure. The cleaned values are ids.
    """

    EVIDENCE = ("findings", "figures", "questions", "sources")

    def _add_evidence_fields(self, analysis, chosen: dict):
        findings = selectors.offered_findings(analysis, keep=chosen.get("findings", ()))
        groups = {}
        for finding in findings:
            where = finding.street.name if finding.street_id else finding.location or "–"
            label = (
                f"{finding.get_severity_display().split(':')[0]} · {where} · "
                f"{finding.get_category_display()}: {_short(finding.description, 50)}"
            )
            walk = finding.walk_through
            group = _("Walk-through %(timing)s, %(date)s") % {
                "timing": walk.get_timing_display(),
                "date": date_format(walk.date, "SHORT_DATE_FORMAT"),
            }
            groups.setdefault(group, []).append((str(finding.pk), label))
        self.finding_total = selectors.finding_count(analysis)
        self.findings_bounded = self.finding_total > selectors.FINDINGS_OFFERED
        figure_groups = {}
        for figure in analysis.figures.order_by("kind", "label", "year", "pk"):
            name = figure.label or figure.get_kind_display()
            figure_groups.setdefault(str(name), []).append(
                (
                    str(figure.pk),
                    f"{figure.year}: {floatformat(figure.value, -1)} ({_short(figure.source, 40)})",
                )
            )
        question_groups = {}
        for question in selectors.offered_questions(analysis):
            question_groups.setdefault(str(question.survey), []).append(
                (str(question.pk), _short(question.text, 90))
            )
        sources = [
            (str(s.pk), f"{s.get_kind_display()} ({s.get_status_display()})")
            for s in analysis.sources.order_by("pk")
        ]
        help_findings = _("Grouped per walk-through.")
        if self.findings_bounded:
            help_findings = _(
                "The newest %(shown)s of %(total)s findings are offered, grouped per "
                "walk-through; the findings chosen before stay in the list."
            ) % {"shown": selectors.FINDINGS_OFFERED, "total": self.finding_total}
        specs = {
            "findings": (_("Findings of the walk-throughs"), list(groups.items()), help_findings),
            "figures": (_("Key figures"), list(figure_groups.items()), ""),
            "questions": (
                _("Survey results (questions)"),
                list(question_groups.items()),
                _("Grouped per survey."),
            ),
            "sources": (_("Sources"), sources, ""),
        }
        for name, (label, choices, help_text) in specs.items():
            self.fields[name] = forms.TypedMultipleChoiceField(
                label=label,
                choices=choices,
                coerce=int,
                required=False,
                help_text=help_text,
                initial=[str(pk) for pk in chosen.get(name, ())],
                widget=forms.SelectMultiple(attrs={"size": 6}),
            )

    @property
    def evidence(self) -> dict:
        return {name: self.cleaned_data.get(name) or [] for name in self.EVIDENCE}


def _chosen(obj) -> dict:
    if obj is None or obj.pk is None:
        return {}
    return {name: [o.pk for o in getattr(obj, name).all()] for name in EvidenceMixin.EVIDENCE}


class ConclusionForm(EvidenceMixin, forms.ModelForm):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=ConclusionKind.choices,
        initial=ConclusionKind.CONCLUSION,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("Text"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    class Meta:
        model = Conclusion
        fields = ["kind", "text"]

    def __init__(self, *args, analysis, **kwargs):
        super().__init__(*args, **kwargs)
        self.analysis = analysis
        self._add_evidence_fields(analysis, _chosen(self.instance))


class KnelpuntForm(EvidenceMixin, forms.ModelForm):
    description = forms.CharField(
        label=_("Description"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    streets = IdModelMultipleChoiceField(
        label=_("Streets"),
        queryset=Street.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )

    class Meta:
        model = Knelpunt
        fields = ["theme", "title", "description", "streets", "location"]

    def __init__(self, *args, analysis, conclusion=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.analysis = analysis
        self.fields["streets"].queryset = Street.objects.filter(analysis=analysis).order_by(
            "position", "name", "pk"
        )
        chosen = _chosen(self.instance)
        if conclusion is not None:
            # Made from a conclusion: its text and evidence are the starting point, and its
            # evidence stays a valid choice on POST (even when older than the newest findings).
            chosen = _chosen(conclusion)
            if not self.is_bound:
                self.initial.setdefault(
                    "title", Truncator(" ".join(conclusion.text.split())).chars(200)
                )
                self.initial.setdefault("description", conclusion.text[:TEXT_MAX])
        self._add_evidence_fields(analysis, chosen)


class ReportTextsForm(forms.ModelForm):
    class Meta:
        model = Analysis
        fields = ["introduction", "summary", "method"]
        widgets = {name: forms.Textarea(attrs={"rows": 8}) for name in fields}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.max_length = REPORT_TEXT_MAX
            field.validators.append(MaxLengthValidator(REPORT_TEXT_MAX))
            field.widget.attrs["maxlength"] = str(REPORT_TEXT_MAX)


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.date:%d-%m-%Y} · {obj.title} ({obj.get_kind_display()})"


# The kinds of meeting in which the working group can agree the conclusions.
AGREEING_KINDS = (MeetingKind.WORKING_GROUP,)


class AgreedForm(forms.Form):
    """In which held working-group meeting the conclusions were agreed (empty: not yet)."""

    meeting = MeetingChoiceField(
        label=_("Agreed in the meeting"),
        queryset=Meeting.objects.none(),
        required=False,
        empty_label=_("not agreed yet"),
        help_text=_("Only working-group meetings that have been held can be chosen."),
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.filter(
            project=project, status=MeetingStatus.HELD, kind__in=AGREEING_KINDS
        ).order_by("-date", "-pk")


class SharedForm(forms.Form):
    shared_on = forms.DateField(
        label=_("Shared on"), widget=DATE, validators=[date_bounds], initial=timezone.localdate
    )
    shared_with = forms.CharField(
        label=_("Shared with"),
        max_length=300,
        validators=[no_line_breaks],
        help_text=_("For example: the working group, the mayor and the council."),
    )

    # What was shared, in the refusal of a day in the future (the plan's form says "plan").
    future_message = _("A report cannot be shared in the future.")

    def clean_shared_on(self):
        day = self.cleaned_data["shared_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(self.future_message)
        return day
