"""Surveys, their questions, the responses (online by personal link, or typed in) and answers."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kvu.fields import SingleLineCharField, date_bounds

__all__ = [
    "Answer",
    "Question",
    "QuestionKind",
    "Response",
    "ResponseChannel",
    "Survey",
    "SurveyKind",
]


class SurveyKind(models.TextChoices):
    ENTREPRENEURS = "entrepreneurs", _("entrepreneurs")
    VISITORS = "visitors", _("visitors")
    RESIDENTS = "residents", _("residents")


class Survey(models.Model):
    """One survey of the analysis; its questions start from a Dutch template per kind.

    The questions may change until the first answer arrives (`has_answers`); after that the
    question list is fixed so that every answer belongs to the question it was given for.
    """

    municipality_lookup = "analysis__project__municipality"

    analysis = models.ForeignKey(
        "analysis.Analysis",
        on_delete=models.CASCADE,
        related_name="surveys",
        verbose_name=_("safety analysis"),
    )
    kind = models.CharField(_("kind of survey"), max_length=20, choices=SurveyKind.choices)
    title = SingleLineCharField(_("title"), max_length=200)
    introduction = models.TextField(
        _("introduction for respondents"),
        blank=True,
        help_text=_(
            "Shown above the questions: why you ask, how long it takes, what you do with it."
        ),
    )
    closes_on = models.DateField(_("closes on"), null=True, blank=True, validators=[date_bounds])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["analysis", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SurveyKind.values), name="analysis_survey_kind_valid"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("survey_detail", args=[self.analysis.project_id, self.pk])


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("one answer from a list")
    MULTIPLE = "multiple", _("several answers from a list")
    SCALE = "scale", _("scale from 1 to 5")
    OPEN = "open", _("open answer")


class Question(models.Model):
    """One question of a survey; `options` holds the answers to choose from, one a line."""

    municipality_lookup = "survey__analysis__project__municipality"

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("survey")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = SingleLineCharField(_("question"), max_length=300)
    kind = models.CharField(_("kind of answer"), max_length=10, choices=QuestionKind.choices)
    options = models.TextField(_("answers to choose from"), blank=True, help_text=_("One a line."))
    required = models.BooleanField(_("an answer is required"), default=False)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=QuestionKind.values), name="analysis_question_kind_valid"
            )
        ]

    def __str__(self):
        return self.text

    @property
    def option_list(self) -> list[str]:
        return [line.strip() for line in self.options.splitlines() if line.strip()]


class ResponseChannel(models.TextChoices):
    ONLINE = "online", _("online, through a personal link")
    PAPER = "paper", _("on paper, typed in")


class Response(models.Model):
    """One respondent's answers to a survey.

    Online: made when the personal link is sent to a partner (`participation`), with only the
    SHA-256 of the token stored, an expiry, and `submitted_at` set once (the link then cannot
    answer again). On paper: typed in by the leader (`entered_by`), submitted at once.
    """

    personal_text_fields = ("respondent",)
    municipality_lookup = "survey__analysis__project__municipality"

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="responses", verbose_name=_("survey")
    )
    channel = models.CharField(_("channel"), max_length=10, choices=ResponseChannel.choices)
    # A link belongs to the partner it was sent to: removing the partner removes it (with
    # SET_NULL the "online has a partner" constraint would refuse the deletion).
    participation = models.ForeignKey(
        "partners.Participation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner"),
    )
    person = models.ForeignKey(
        "partners.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact person"),
    )
    # Who answered on paper, as the leader notes it (e.g. "Café De Kroon" or "visitor 12").
    respondent = SingleLineCharField(_("respondent"), max_length=200, blank=True)
    token_hash = models.CharField(max_length=64, blank=True, editable=False)
    invited_at = models.DateTimeField(_("invited at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("link valid until"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("typed in by"),
    )

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["survey", "pk"]
        indexes = [
            models.Index(fields=["survey", "submitted_at"], name="analysis_response_submit_idx")
        ]
        constraints = [
            # One personal link per partner and survey; a new link replaces the token.
            models.UniqueConstraint(
                fields=["survey", "participation"],
                condition=Q(channel="online"),
                name="analysis_response_one_link_per_partner",
            ),
            models.UniqueConstraint(
                fields=["token_hash"],
                condition=~Q(token_hash=""),
                name="analysis_response_token_hash_uniq",
            ),
            models.CheckConstraint(
                condition=Q(channel__in=ResponseChannel.values),
                name="analysis_response_channel_valid",
            ),
            # A link is sent to a partner; a paper response is submitted when typed in.
            models.CheckConstraint(
                condition=Q(channel="paper", submitted_at__isnull=False, token_hash="")
                | Q(channel="online", participation__isnull=False),
                name="analysis_response_channel_consistent",
            ),
        ]

    def __str__(self):
        who = self.respondent or (
            str(self.participation.organisation) if self.participation_id else ""
        )
        return _("Response to %(survey)s by %(who)s") % {"survey": self.survey, "who": who}


class Answer(models.Model):
    """One answer to one question; a "several answers" question has one row per option chosen."""

    personal_text_fields = ("value",)
    municipality_lookup = "response__survey__analysis__project__municipality"

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response")
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question")
    )
    # The option's text, the scale's number (1-5) or the open answer.
    value = models.TextField(_("answer"))

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["response", "question", "pk"]

    def __str__(self):
        return f"{self.question}: {self.value[:60]}"
