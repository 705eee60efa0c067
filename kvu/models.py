"""Tenancy and projects: Municipality (the tenant), Membership and Project."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.core.files.storage import storages
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery, Value
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kvu.fields import SingleLineCharField, date_bounds

cbs_code_validator = RegexValidator(
    regex=r"^GM[0-9]{4}\Z",
    message=_("Enter a CBS municipality code: GM followed by four digits, e.g. GM0363."),
)


class Province(models.TextChoices):
    GRONINGEN = "GR", "Groningen"
    FRIESLAND = "FR", "Fryslân"
    DRENTHE = "DR", "Drenthe"
    OVERIJSSEL = "OV", "Overijssel"
    FLEVOLAND = "FL", "Flevoland"
    GELDERLAND = "GE", "Gelderland"
    UTRECHT = "UT", "Utrecht"
    NOORD_HOLLAND = "NH", "Noord-Holland"
    ZUID_HOLLAND = "ZH", "Zuid-Holland"
    ZEELAND = "ZE", "Zeeland"
    NOORD_BRABANT = "NB", "Noord-Brabant"
    LIMBURG = "LI", "Limburg"


class Municipality(models.Model):
    name = SingleLineCharField(_("name"), max_length=100, unique=True)
    cbs_code = SingleLineCharField(
        _("CBS code"),
        max_length=6,
        unique=True,
        validators=[cbs_code_validator],
        help_text=_("GM followed by four digits, as used by Statistics Netherlands (CBS)."),
    )
    province = models.CharField(_("province"), max_length=2, choices=Province.choices)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Membership",
        related_name="municipalities",
        verbose_name=_("members"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cbs_code__regex=r"^GM[0-9]{4}$"),
                name="kvu_municipality_cbs_code_format",
            ),
        ]

    def __str__(self):
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        LEADER = "leader", _("project leader")
        EDITOR = "editor", _("editor")
        VIEWER = "viewer", _("viewer")

    WRITE_ROLES = (Role.LEADER, Role.EDITOR)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("municipality"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["municipality__name", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "municipality"],
                name="kvu_membership_user_municipality_uniq",
                violation_error_message=_("This user already has a role in this municipality."),
            ),
            models.CheckConstraint(
                condition=Q(role__in=["leader", "editor", "viewer"]),
                name="kvu_membership_role_valid",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.municipality} ({self.get_role_display()})"


class CcvStep(models.IntegerChoices):
    """The seven steps of CCV's KVU method; ordinal, so stored as a number."""

    SUCCESS_FACTORS = 1, _("Success factors")
    INITIATIVE = 2, _("Initiative")
    SAFETY_ANALYSIS = 3, _("Safety analysis")
    PLAN = 4, _("Plan of action")
    COVENANT = 5, _("Covenant")
    EXECUTION = 6, _("Execution")
    EVALUATION = 7, _("Evaluation")


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Projects the user may see, each annotated with `user_role` and `user_can_write`.

        Staff administer every municipality, so they see and may change every project.
        """
        if not user.is_authenticated:
            return self.none()
        # No ordering: one membership per (user, municipality), and Membership's default
        # ordering joined two tables into every project query (planning took 1.4 ms).
        mine = Membership.objects.filter(
            user=user, municipality=OuterRef("municipality_id")
        ).order_by()
        qs = self.annotate(
            user_role=Subquery(mine.values("role")[:1]),
            user_can_write=Value(True)
            if user.is_staff
            else Exists(mine.filter(role__in=Membership.WRITE_ROLES)),
        )
        if user.is_staff:
            return qs
        return qs.filter(municipality__memberships__user=user)

    def member_of(self, user):
        """Projects of the municipalities the user is a member of (staff: theirs only, too)."""
        return self.visible_to(user).filter(user_role__isnull=False)


class Project(models.Model):
    # Free texts that may mention a contact person: listed for review when one is anonymised.
    personal_text_fields = ("name", "nightlife_area", "description")
    municipality_lookup = "municipality"

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("municipality"),
    )
    name = SingleLineCharField(_("name"), max_length=150)
    nightlife_area = SingleLineCharField(
        _("nightlife area"),
        max_length=150,
        help_text=_("The area the KVU covers, e.g. 'Binnenstad – Grote Markt en Vismarkt'."),
    )
    description = models.TextField(_("description"), blank=True)
    ccv_step = models.PositiveSmallIntegerField(
        _("current CCV step"), choices=CcvStep.choices, default=CcvStep.INITIATIVE
    )
    start_date = models.DateField(_("start date"), null=True, blank=True, validators=[date_bounds])
    closed_on = models.DateField(
        _("closed on"),
        null=True,
        blank=True,
        validators=[date_bounds],
        help_text=_(
            "Fill in when the project has ended. After the retention period, the contact "
            "persons who take part in no open project are anonymised."
        ),
    )
    project_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_projects",
        verbose_name=_("project leader"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["municipality__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"],
                name="kvu_project_municipality_name_uniq",
                violation_error_message=_(
                    "This municipality already has a project with this name."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ccv_step__gte=1) & Q(ccv_step__lte=7),
                name="kvu_project_ccv_step_range",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("project_detail", args=[self.pk])

    def ccv_steps(self):
        """The seven steps with their state relative to the current one, for the step bar."""
        return [
            {
                "number": step.value,
                "label": step.label,
                "state": "done"
                if step.value < self.ccv_step
                else "current"
                if step.value == self.ccv_step
                else "todo",
            }
            for step in CcvStep
        ]


class RateLimitCounter(models.Model):
    """Requests counted per client and time window, for kvu.ratelimit.

    The key is a SHA-256 of the limit's name and the client address, so no IP address is
    stored in clear. Kept in the database because the application keeps all state there.
    """

    key = models.CharField(_("key"), max_length=64)
    window_start = models.DateTimeField(_("window start"))
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("rate limit counter")
        verbose_name_plural = _("rate limit counters")
        constraints = [
            models.UniqueConstraint(
                fields=["key", "window_start"], name="kvu_ratelimitcounter_key_window_uniq"
            )
        ]
        indexes = [models.Index(fields=["window_start"])]

    def __str__(self):
        return f"{self.key[:8]}… {self.window_start:%H:%M} ({self.count})"


class GuideStepRecord(models.Model):
    """The leader's own entry for one step of the phase guide: a manual tick or an override.

    Steps are derived from the project's data; the leader may tick a manual step (with a note)
    or override a derived state with a reason, which the guide then shows as such.
    """

    personal_text_fields = ("note", "override_reason")
    municipality_lookup = "project__municipality"

    class Override(models.TextChoices):
        NONE = "", _("no override")
        DONE = "done", _("done")
        OPEN = "open", _("not done")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="guide_records", verbose_name=_("project")
    )
    step = models.CharField(_("step"), max_length=40)
    ticked = models.BooleanField(_("done"), default=False)
    note = models.TextField(_("note"), blank=True)
    override = models.CharField(
        _("override"), max_length=4, choices=Override.choices, default="", blank=True
    )
    override_reason = models.TextField(_("reason for the override"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    updated_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("phase guide entry")
        verbose_name_plural = _("phase guide entries")
        ordering = ["project", "step"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "step"], name="kvu_guidesteprecord_project_step_uniq"
            ),
            models.CheckConstraint(
                condition=Q(override__in=["", "done", "open"]),
                name="kvu_guidesteprecord_override_valid",
            ),
            # An override without a reason would hide why the guide disagrees with the data.
            models.CheckConstraint(
                condition=Q(override="") | ~Q(override_reason=""),
                name="kvu_guidesteprecord_override_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.project} – {self.step}"


class GateDecision(models.Model):
    """The leader's recorded decision to pass the phase gate while required steps are open."""

    personal_text_fields = ("reason",)
    municipality_lookup = "project__municipality"

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="gate_decisions", verbose_name=_("project")
    )
    from_step = models.PositiveSmallIntegerField(_("from step"), choices=CcvStep.choices)
    to_step = models.PositiveSmallIntegerField(_("to step"), choices=CcvStep.choices)
    missing = models.TextField(
        _("what is missing"), help_text=_("The required steps that were still open, one a line.")
    )
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        verbose_name = _("gate decision")
        verbose_name_plural = _("gate decisions")
        ordering = ["-decided_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason="") & ~Q(missing=""),
                name="kvu_gatedecision_names_missing_and_reason",
            ),
        ]

    def __str__(self):
        return f"{self.project}: {self.from_step} → {self.to_step}"

    def missing_lines(self) -> list[str]:
        return [line for line in self.missing.splitlines() if line.strip()]


class Document(models.Model):
    """A file attached to a project, or through the project to one of its objects.

    The file lives in the private "documents" storage under a random name; it is only ever
    served by kvu.documents.document_download, which checks the user's municipality. No
    `personal_text_fields`: a file cannot be redacted, so anonymising a person lists the
    documents that may show them and deletes the ticked ones (partners/privacy/services.py).
    """

    municipality_lookup = "project__municipality"

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="documents", verbose_name=_("project")
    )
    # What the document is attached to (a participation, a meeting, a contact moment);
    # empty when it is attached to the project itself.
    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("attached to (kind)"),
    )
    object_id = models.PositiveBigIntegerField(_("attached to (id)"), null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    title = SingleLineCharField(_("title"), max_length=200)
    original_name = SingleLineCharField(_("file name"), max_length=200)
    # The name in the "documents" storage (settings.STORAGES), random: no user-chosen name
    # reaches the storage. Looked up through django.core.files.storage.storages each time
    # (not a FileField, whose storage is fixed when the model class is loaded).
    stored_name = models.CharField(_("stored as"), max_length=200, unique=True, editable=False)
    content_type_detected = models.CharField(_("file type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            # Both or neither: a kind without an id (or the reverse) points at nothing.
            models.CheckConstraint(
                condition=Q(content_type__isnull=True, object_id__isnull=True)
                | Q(content_type__isnull=False, object_id__isnull=False),
                name="kvu_document_attachment_complete",
            ),
            models.CheckConstraint(condition=Q(size__gt=0), name="kvu_document_size_positive"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("document_download", args=[self.project_id, self.pk])

    @property
    def storage(self):
        return storages["documents"]


class DigestFrequency(models.TextChoices):
    DAILY = "daily", _("every day")
    WEEKLY = "weekly", _("every week (on Monday)")
    NONE = "none", _("never")


# Weekly digests go out on this weekday (date.weekday(): Monday is 0).
DIGEST_WEEKDAY = 0


class UserSettings(models.Model):
    """A user's own preferences; made on the first save, the defaults apply until then."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="kvu_settings",
        verbose_name=_("user"),
    )
    digest = models.CharField(
        _("overview e-mail"),
        max_length=10,
        choices=DigestFrequency.choices,
        default=DigestFrequency.WEEKLY,
        help_text=_(
            "An e-mail with your overdue and upcoming follow-ups, your open action items and the "
            "meetings of the coming two weeks. It is not sent when there is nothing to report."
        ),
    )
    language = models.CharField(
        _("language of e-mails"), max_length=5, choices=settings.LANGUAGES, default="nl"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("user settings")
        verbose_name_plural = _("user settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(digest__in=[value for value, _label in DigestFrequency.choices]),
                name="kvu_usersettings_digest_valid",
            ),
            models.CheckConstraint(
                condition=Q(language__in=[code for code, _name in settings.LANGUAGES]),
                name="kvu_usersettings_language_valid",
            ),
        ]

    def __str__(self):
        return str(self.user)

    @classmethod
    def language_of(cls, user) -> str:
        """The language of e-mails to `user`: their own choice, else Dutch."""
        chosen = cls.objects.filter(user=user).values_list("language", flat=True).first()
        return chosen or settings.LANGUAGE_CODE


class DigestSent(models.Model):
    """One overview e-mail sent to a user on a day; the unique row makes sending idempotent.

    The row is inserted in the same transaction as the e-mail is sent: a second run that day
    waits for the first one's row and then finds it, and a failed send leaves no row behind.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )
    date = models.DateField(_("date"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("overview e-mail sent")
        verbose_name_plural = _("overview e-mails sent")
        ordering = ["-date", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "date"], name="kvu_digestsent_user_date_uniq")
        ]

    def __str__(self):
        return f"{self.user} – {self.date:%Y-%m-%d}"


# The subdomains' models belong to this app (label "kvu"); importing them here registers them.
from kvu.team.models import *  # noqa: E402, F403
