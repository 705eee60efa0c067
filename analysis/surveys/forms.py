"""Forms of the surveys: the survey, its questions, sending links, and the answer form itself."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from analysis.surveys.models import Question, QuestionKind, Survey, SurveyKind
from analysis.surveys.selectors import SCALE_VALUES
from kvu.fields import IdModelMultipleChoiceField, date_bounds, no_line_breaks
from partners.models import OrganisationKind, Participation

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
OPEN_ANSWER_MAX = 2000
OPTION_MAX = 200
OPTIONS_MAX = 30
RADIO = forms.RadioSelect(attrs={"class": "form-check-input"})
CHECKBOXES = forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})


class SurveyCreateForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Who is the survey for?"),
        choices=SurveyKind.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "The questions start from the standard list for this group; you can change them."
        ),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        validators=[no_line_breaks],
        help_text=_("Leave empty for the standard title."),
    )
    closes_on = forms.DateField(
        label=_("Closes on"),
        required=False,
        widget=DATE,
        validators=[date_bounds],
        help_text=_("Optional. After this day the personal links no longer accept answers."),
    )


class SurveyForm(forms.ModelForm):
    introduction = forms.CharField(
        label=_("Introduction for respondents"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=Survey._meta.get_field("introduction").help_text,
    )

    class Meta:
        model = Survey
        fields = ["title", "introduction", "closes_on"]
        widgets = {"closes_on": DATE}


class QuestionForm(forms.ModelForm):
    options = forms.CharField(
        label=_("Answers to choose from"),
        max_length=OPTIONS_MAX * (OPTION_MAX + 1),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One a line; only for questions with answers from a list."),
    )

    class Meta:
        model = Question
        fields = ["text", "kind", "options", "required"]

    def clean_options(self):
        lines = [line.strip() for line in self.cleaned_data["options"].splitlines()]
        lines = [line for line in lines if line]
        if len(lines) > OPTIONS_MAX:
            raise ValidationError(
                _("At most %(max)s answers to choose from."), params={"max": OPTIONS_MAX}
            )
        if any(len(line) > OPTION_MAX for line in lines):
            raise ValidationError(
                _("An answer to choose from has at most %(max)s characters."),
                params={"max": OPTION_MAX},
            )
        if len({line.casefold() for line in lines}) != len(lines):
            raise ValidationError(_("Each answer to choose from may appear only once."))
        return "\n".join(lines)

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        options = cleaned.get("options")
        is_list = kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
        if is_list and options is not None and len(options.splitlines()) < 2:
            self.add_error("options", _("Give at least two answers to choose from, one a line."))
        return cleaned


class ParticipationChoiceField(IdModelMultipleChoiceField):
    def label_from_instance(self, participation):
        person = participation.main_contact
        return f"{participation.organisation.name}: {person.name} <{person.email}>"


class SendForm(forms.Form):
    """Choose the partners whose contact person gets a personal link."""

    participations = ParticipationChoiceField(
        label=_("Partners"),
        queryset=Participation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Only partners whose main contact has an e-mail address are listed; partners that "
            "already received a link for this survey are left out."
        ),
    )

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        invited = survey.responses.filter(channel="online").values("participation_id")
        # Restricted to this project's partners: an id from elsewhere is simply not a choice.
        queryset = (
            Participation.objects.filter(project_id=survey.analysis.project_id)
            .exclude(main_contact__isnull=True)
            .exclude(main_contact__email="")
            .exclude(pk__in=invited)
            .select_related("organisation", "main_contact")
            .order_by("organisation__name")
        )
        self.fields["participations"].queryset = queryset
        if not self.is_bound:
            self.fields["participations"].initial = [
                p.pk for p in queryset if p.organisation.kind == OrganisationKind.HOSPITALITY
            ]

    def clean(self):
        cleaned = super().clean()
        closes_on = self.survey.closes_on
        if closes_on is not None and closes_on < timezone.localdate():
            raise ValidationError(
                _(
                    "This survey closed on %(date)s: a link would not accept answers. "
                    "Set a later closing date first."
                ),
                params={"date": date_format(closes_on, "j F Y")},
            )
        if not self.survey.questions.exists():
            raise ValidationError(
                _("This survey has no questions yet: add them before you send it.")
            )
        return cleaned


def _field_name(question) -> str:
    return f"q{question.pk}"


class AnswerForm(forms.Form):
    """One field per question of the survey; `answers()` gives each question's values."""

    def __init__(self, *args, questions, response=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        initial = {}
        if response is not None and not self.is_bound:
            for answer in response.answers.all():
                initial.setdefault(answer.question_id, []).append(answer.value)
        for question in self.questions:
            name = _field_name(question)
            self.fields[name] = self._field_for(question)
            values = initial.get(question.pk, [])
            if values:
                multiple = question.kind == QuestionKind.MULTIPLE
                self.initial[name] = values if multiple else values[0]

    @staticmethod
    def _field_for(question):
        common = {"label": question.text, "required": question.required}
        if question.kind == QuestionKind.OPEN:
            return forms.CharField(
                max_length=OPEN_ANSWER_MAX,
                widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
                **common,
            )
        if question.kind == QuestionKind.SCALE:
            choices = [(value, value) for value in SCALE_VALUES]
            return forms.ChoiceField(choices=choices, widget=RADIO, **common)
        choices = [(option, option) for option in question.option_list]
        if question.kind == QuestionKind.MULTIPLE:
            return forms.MultipleChoiceField(choices=choices, widget=CHECKBOXES, **common)
        return forms.ChoiceField(choices=choices, widget=RADIO, **common)

    def question_fields(self):
        """(question, bound field) in the survey's order, for the template."""
        return [(question, self[_field_name(question)]) for question in self.questions]

    def answers(self) -> dict:
        out = {}
        for question in self.questions:
            value = self.cleaned_data.get(_field_name(question))
            if isinstance(value, list):
                # A value posted twice is one answer, not two rows.
                out[question] = list(dict.fromkeys(value))
            else:
                out[question] = [value] if value else []
        return out


class PaperResponseForm(AnswerForm):
    """A response collected on paper, typed in by the leader."""

    def __init__(self, *args, response=None, **kwargs):
        super().__init__(*args, response=response, **kwargs)
        self.fields["respondent"] = forms.CharField(
            label=_("Respondent"),
            max_length=200,
            required=False,
            validators=[no_line_breaks],
            initial=response.respondent if response is not None else "",
            help_text=_(
                "Who answered, as you note it: for example “Café De Kroon” or “visitor 12”."
            ),
        )
        self.order_fields(["respondent"])
