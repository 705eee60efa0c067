"""Partners and outreach: organisations, contact persons, participations, agreements, contacts."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kvu.fields import SingleLineCharField, date_bounds
from kvu.models import Membership, Municipality, Project

postcode_validator = RegexValidator(
    regex=r"^[1-9][0-9]{3} ?[A-Za-z]{2}\Z",
    message=_("Enter a Dutch postcode: four digits and two letters, e.g. 7511 HN."),
)
kvk_validator = RegexValidator(
    regex=r"^[0-9]{8}\Z",
    message=_("A KvK number has exactly eight digits."),
)
score_validators = [MinValueValidator(1), MaxValueValidator(5)]


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("municipality")
    POLICE = "police", _("police")
    HOSPITALITY = "hospitality", _("hospitality business (bar, club, restaurant)")
    KHN = "khn", _("Koninklijke Horeca Nederland (KHN)")
    HOSPITALITY_ASSOCIATION = "association", _("local hospitality association")
    FIRE_SERVICE = "fire_service", _("fire service")
    PROSECUTOR = "prosecutor", _("Public Prosecution Service")
    RESIDENTS = "residents", _("residents")
    SECURITY = "security", _("security and door staff")
    TAXI = "taxi", _("taxi")
    PUBLIC_TRANSPORT = "public_transport", _("public transport")
    YOUTH_WORK = "youth_work", _("youth work")
    OTHER = "other", _("other")


class KvuRole(models.TextChoices):
    CORE = "core", _("core partner")
    RECOMMENDED = "recommended", _("recommended")
    OPTIONAL = "optional", _("optional")


# The role each kind of organisation has in a KVU by default (KVU-DOMAIN.md, "Partners").
DEFAULT_ROLE = {
    OrganisationKind.MUNICIPALITY: KvuRole.CORE,
    OrganisationKind.POLICE: KvuRole.CORE,
    OrganisationKind.HOSPITALITY: KvuRole.CORE,
    OrganisationKind.KHN: KvuRole.CORE,
    OrganisationKind.HOSPITALITY_ASSOCIATION: KvuRole.RECOMMENDED,
    OrganisationKind.FIRE_SERVICE: KvuRole.RECOMMENDED,
    OrganisationKind.PROSECUTOR: KvuRole.RECOMMENDED,
}
CORE_KINDS = [kind for kind, role in DEFAULT_ROLE.items() if role == KvuRole.CORE]


def default_role_for(kind: str) -> str:
    return DEFAULT_ROLE.get(kind, KvuRole.OPTIONAL)


class Stage(models.TextChoices):
    """Outreach stages, in the order a partner normally moves through them."""

    NOT_APPROACHED = "not_approached", _("not yet approached")
    APPROACHED = "approached", _("approached")
    INTERESTED = "interested", _("interested")
    COMMITTED = "committed", _("committed")
    SIGNED = "signed", _("signed")
    DECLINED = "declined", _("declined")
    ON_HOLD = "on_hold", _("on hold")


# Stages at or beyond "interested": used by the phase guide ("KHN at least interested").
STAGES_INTERESTED_OR_BEYOND = [Stage.INTERESTED, Stage.COMMITTED, Stage.SIGNED]


class ConcernKind(models.TextChoices):
    """The concerns partners commonly raise (CCV handbook), one kind per Concern row."""

    EXTRA_RULES = "extra_rules", _("extra rules")
    EXTRA_COSTS = "extra_costs", _("extra costs")
    ALREADY_ENOUGH = "already_enough", _("“we already do enough”")
    DOUBLE_ROLE = "double_role", _("the municipality's double role (enforcer and partner)")
    OPENING_HOURS = "opening_hours", _("opening and closing hours")
    OTHER = "other", _("other")


class ConcernStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("being addressed")
    RESOLVED = "resolved", _("resolved")
    UNRESOLVABLE = "unresolvable", _("cannot be resolved")


# Statuses of a concern that still needs the municipality's attention.
CONCERN_STATUSES_OPEN = [ConcernStatus.OPEN, ConcernStatus.IN_PROGRESS]


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        return self.filter(municipality__memberships__user=user)

    def active(self):
        return self.filter(is_active=True)


class Organisation(models.Model):
    # Free texts that may mention a contact person: listed for review when one is anonymised.
    personal_text_fields = ("notes",)
    municipality_lookup = "municipality"

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("municipality"),
    )
    name = SingleLineCharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    address = SingleLineCharField(_("address"), max_length=200, blank=True)
    postcode = SingleLineCharField(
        _("postcode"), max_length=7, blank=True, validators=[postcode_validator]
    )
    city = SingleLineCharField(_("place"), max_length=100, blank=True)
    kvk_number = SingleLineCharField(
        _("KvK number"),
        max_length=8,
        blank=True,
        validators=[kvk_validator],
        help_text=_("Chamber of Commerce number, eight digits (optional)."),
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("general e-mail address"), blank=True)
    phone = SingleLineCharField(_("general phone number"), max_length=30, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Deactivate an organisation instead of deleting it; its history is kept."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "kvk_number"],
                condition=~Q(kvk_number=""),
                name="partners_organisation_kvk_uniq_per_municipality",
                violation_error_message=_(
                    "This municipality already has an organisation with this KvK number."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kvk_number="") | Q(kvk_number__regex=r"^[0-9]{8}$"),
                name="partners_organisation_kvk_format",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "name"])]

    def __str__(self):
        return self.name

    def clean(self):
        # Store postcodes one way ("7511 HN") so that matching and sorting work.
        compact = self.postcode.replace(" ", "").upper()
        if len(compact) == 6:
            self.postcode = f"{compact[:4]} {compact[4:]}"


class Person(models.Model):
    """A contact person of an organisation."""

    # Anonymising a person (partners/privacy) blanks exactly these fields of the person's rows.
    personal_data_fields = ("name", "function", "email", "phone", "notes")
    personal_data_of = "self"

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="persons",
        verbose_name=_("organisation"),
    )
    name = SingleLineCharField(_("name"), max_length=150)
    function = SingleLineCharField(_("function"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = SingleLineCharField(_("phone number"), max_length=30, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.function})" if self.function else self.name


class ParticipationQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        return self.filter(project__municipality__memberships__user=user)


class Participation(models.Model):
    """An organisation taking part in (or being approached for) one project."""

    accepts_documents = True  # files can be attached (kvu/documents.py)

    personal_text_fields = ("interests",)
    municipality_lookup = "project__municipality"

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("project"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("organisation"),
    )
    stage = models.CharField(
        _("outreach stage"), max_length=20, choices=Stage.choices, default=Stage.NOT_APPROACHED
    )
    role = models.CharField(_("role in the KVU"), max_length=20, choices=KvuRole.choices)
    main_contact = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="main_contact_for",
        verbose_name=_("main contact person"),
    )
    interests = models.TextField(
        _("interests"),
        blank=True,
        help_text=_(
            "What does this partner want to achieve with the KVU? E.g. longer opening hours."
        ),
    )
    influence = models.PositiveSmallIntegerField(
        _("influence"), null=True, blank=True, validators=score_validators
    )
    interest_level = models.PositiveSmallIntegerField(
        _("interest"), null=True, blank=True, validators=score_validators
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organisation"],
                name="partners_participation_project_organisation_uniq",
                violation_error_message=_("This organisation already takes part in this project."),
            ),
            models.CheckConstraint(
                condition=Q(influence__isnull=True) | Q(influence__gte=1, influence__lte=5),
                name="partners_participation_influence_range",
            ),
            models.CheckConstraint(
                condition=Q(interest_level__isnull=True)
                | Q(interest_level__gte=1, interest_level__lte=5),
                name="partners_participation_interest_range",
            ),
            models.CheckConstraint(
                condition=Q(stage__in=[value for value, _label in Stage.choices]),
                name="partners_participation_stage_valid",
            ),
            models.CheckConstraint(
                condition=Q(role__in=[value for value, _label in KvuRole.choices]),
                name="partners_participation_role_valid",
            ),
        ]
        indexes = [models.Index(fields=["project", "stage"])]

    def __str__(self):
        return f"{self.organisation} – {self.project}"

    def get_absolute_url(self):
        return reverse("participation_detail", args=[self.project_id, self.pk])


class StageChange(models.Model):
    personal_text_fields = ("note",)
    municipality_lookup = "participation__project__municipality"

    """One move of a participation from one outreach stage to another."""

    participation = models.ForeignKey(
        Participation,
        on_delete=models.CASCADE,
        related_name="stage_changes",
        verbose_name=_("participation"),
    )
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    note = SingleLineCharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.participation}: {self.from_stage} → {self.to_stage}"


class Agreement(models.Model):
    personal_text_fields = ("text",)
    municipality_lookup = "project__municipality"

    """Something agreed with one or more partners of a project (afspraak)."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="agreements", verbose_name=_("project")
    )
    participations = models.ManyToManyField(
        Participation,
        blank=True,
        related_name="agreements",
        verbose_name=_("partners"),
    )
    date = models.DateField(_("date"), validators=[date_bounds])
    text = models.TextField(_("agreement"))
    about_double_role = models.BooleanField(
        _("about the municipality's double role"),
        default=False,
        help_text=_(
            "Tick when this agreement settles how enforcement and partnership go together."
        ),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return self.text[:80]


class ConcernQuerySet(models.QuerySet):
    def still_open(self):
        """Concerns that still need attention: open or being addressed."""
        return self.filter(status__in=CONCERN_STATUSES_OPEN)


class Concern(models.Model):
    """One concern a partner raised, and what the municipality does about it (a working list)."""

    personal_text_fields = ("partner_text", "response")
    municipality_lookup = "participation__project__municipality"

    participation = models.ForeignKey(
        Participation,
        on_delete=models.CASCADE,
        related_name="concern_items",
        verbose_name=_("partner"),
    )
    kind = models.CharField(
        _("kind of concern"), max_length=20, choices=ConcernKind.choices, default=ConcernKind.OTHER
    )
    partner_text = models.TextField(
        _("what the partner said"),
        blank=True,
        max_length=5000,
        help_text=_("In the partner's own words, as far as possible."),
    )
    response = models.TextField(
        _("what the municipality does about it"), blank=True, max_length=5000
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    due_date = models.DateField(_("by when"), null=True, blank=True, validators=[date_bounds])
    status = models.CharField(
        _("status"), max_length=20, choices=ConcernStatus.choices, default=ConcernStatus.OPEN
    )
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="settled_concerns",
        verbose_name=_("settled by agreement"),
        help_text=_("The agreement with this partner that settled the concern, if any."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ConcernQuerySet.as_manager()

    class Meta:
        verbose_name = _("concern")
        verbose_name_plural = _("concerns")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ConcernKind.values), name="partners_concern_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ConcernStatus.values), name="partners_concern_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["participation", "status"])]

    def __str__(self):
        return f"{self.participation.organisation}: {self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in CONCERN_STATUSES_OPEN

    def clean(self):
        super().clean()
        errors = {}
        if self.agreement_id and self.participation_id:
            linked = self.agreement.participations.filter(pk=self.participation_id).exists()
            if not linked:
                errors["agreement"] = _("Choose an agreement made with this partner.")
        if self.owner_id and self.participation_id:
            municipality_id = self.participation.project.municipality_id
            is_member = Membership.objects.filter(
                user_id=self.owner_id, municipality_id=municipality_id
            ).exists()
            if not is_member:
                errors["owner"] = _("Choose a member of the municipality's team.")
        if errors:
            raise ValidationError(errors)


class Channel(models.TextChoices):
    PHONE = "phone", _("phone")
    EMAIL = "email", _("e-mail")
    VISIT = "visit", _("visit")
    MEETING = "meeting", _("meeting")
    OTHER = "other", _("other")


class Direction(models.TextChoices):
    OUTGOING = "outgoing", _("we contacted them")
    INCOMING = "incoming", _("they contacted us")


class ContactMomentQuerySet(models.QuerySet):
    def of_project(self, project):
        return self.filter(project=project)

    def follow_ups_open(self):
        return self.filter(follow_up_on__isnull=False, follow_up_done=False)

    def follow_ups_overdue(self, today):
        """Open follow-ups due before `today`, the soonest first (dashboard, overview, digest)."""
        return self.follow_ups_open().filter(follow_up_on__lt=today).order_by("follow_up_on", "pk")

    def follow_ups_upcoming(self, today, *, days: int):
        """Open follow-ups due from `today` up to `days` ahead, the soonest first."""
        until = today + datetime.timedelta(days=days)
        return (
            self.follow_ups_open()
            .filter(follow_up_on__gte=today, follow_up_on__lte=until)
            .order_by("follow_up_on", "pk")
        )


class ContactMoment(models.Model):
    """One entry of the contact log."""

    accepts_documents = True  # files can be attached (kvu/documents.py)

    personal_text_fields = ("summary", "outcome")
    municipality_lookup = "project__municipality"

    participation = models.ForeignKey(
        Participation,
        on_delete=models.CASCADE,
        related_name="contact_moments",
        verbose_name=_("partner"),
    )
    # The participation's project, copied so that the log of a project with thousands of
    # contacts reads its newest page and its count from one index instead of joining every
    # partner first (bench: 7 ms to 0.2 ms). Set from the participation on save.
    project = models.ForeignKey(
        "kvu.Project",
        on_delete=models.CASCADE,
        related_name="contact_moments",
        editable=False,
        verbose_name=_("project"),
    )
    occurred_at = models.DateTimeField(_("date and time"), validators=[date_bounds])
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.OUTGOING
    )
    persons = models.ManyToManyField(
        Person, blank=True, related_name="contact_moments", verbose_name=_("spoke with")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    summary = models.TextField(_("what was discussed"))
    outcome = models.TextField(_("outcome"), blank=True)
    follow_up_on = models.DateField(
        _("follow up on"), null=True, blank=True, validators=[date_bounds]
    )
    follow_up_done = models.BooleanField(_("follow-up done"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ContactMomentQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact moment")
        verbose_name_plural = _("contact moments")
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["participation", "-occurred_at"]),
            models.Index(
                fields=["project", "-occurred_at", "-id"], name="partners_contact_project_log"
            ),
            # Open follow-ups of a set of partners (dashboard, project overview, board counts).
            models.Index(
                fields=["participation", "follow_up_on"],
                condition=Q(follow_up_done=False, follow_up_on__isnull=False),
                name="partners_contact_open_fu",
            ),
            # The same across the projects of a dashboard or on a project's overview.
            models.Index(
                fields=["project", "follow_up_on"],
                condition=Q(follow_up_done=False, follow_up_on__isnull=False),
                name="partners_contact_project_fu",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=[value for value, _label in Channel.choices]),
                name="partners_contactmoment_channel_valid",
            ),
        ]

    def __str__(self):
        return f"{self.participation.organisation} – {self.occurred_at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        # A participation never changes project, so the copy is taken once, when created.
        if self.project_id is None:
            self.project_id = self.participation.project_id
        super().save(*args, **kwargs)


class CsvImportStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    CHECKING = "checking", _("checking rows")
    SAVING = "saving", _("saving")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class CsvImport(models.Model):
    """A confirmed CSV import of partners, run by a background task (partners/tasks.py)."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="csv_imports", verbose_name=_("project")
    )
    # The file's text, kept only until the import has run: it holds contact persons' data.
    content = models.TextField(_("file content"), blank=True)
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(
        _("status"), max_length=10, choices=CsvImportStatus.choices, default=CsvImportStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows in the file"), default=0)
    rows_done = models.PositiveIntegerField(_("rows checked"), default=0)
    errors_so_far = models.PositiveIntegerField(_("faulty rows"), default=0)
    messages = models.JSONField(_("messages"), default=list, blank=True)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("CSV import")
        verbose_name_plural = _("CSV imports")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CsvImportStatus.values),
                name="partners_csvimport_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(rows_done__lte=models.F("rows_total")),
                name="partners_csvimport_rows_done_lte_total",
            ),
        ]

    def __str__(self):
        return f"{self.project} – {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_finished(self) -> bool:
        return self.status in (CsvImportStatus.DONE, CsvImportStatus.FAILED)


# The subdomains' models belong to this app (label "partners"); importing them here registers them.
from partners.declaration.models import *  # noqa: E402, F403
from partners.inbox.models import *  # noqa: E402, F403
from partners.workgroup.models import *  # noqa: E402, F403
