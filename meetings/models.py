"""Meetings of a project: agenda, invitees and attendance, minutes, agreements, action items."""

import datetime
import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kvu.fields import SingleLineCharField, date_bounds
from kvu.models import Project
from partners.models import Agreement, Person


def new_uid() -> str:
    """A globally unique iCalendar UID; it never changes, so calendars update the same event."""
    return f"{uuid.uuid4()}@kvu-werkplaats"


class MeetingKind(models.TextChoices):
    INTRO_TALK = "intro_talk", _("introductory talk with mayor or alderman and police chief")
    ENTREPRENEURS = "entrepreneurs", _("presentation to hospitality entrepreneurs")
    WORKING_GROUP = "working_group", _("working group meeting")
    OTHER = "other", _("other meeting")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    HELD = "held", _("held")
    CANCELLED = "cancelled", _("cancelled")


class MeetingQuerySet(models.QuerySet):
    def of_project(self, project):
        return self.filter(project=project)

    def upcoming(self):
        return self.filter(status=MeetingStatus.PLANNED, date__gte=timezone.localdate()).order_by(
            "date", "start_time", "pk"
        )


class Meeting(models.Model):
    accepts_documents = True  # files can be attached (kvu/documents.py)

    # Free texts that may mention a contact person: listed for review when one is anonymised.
    personal_text_fields = ("title", "location", "notes")
    municipality_lookup = "project__municipality"

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("project")
    )
    title = SingleLineCharField(_("title"), max_length=200)
    kind = models.CharField(
        _("kind of meeting"), max_length=20, choices=MeetingKind.choices, default=MeetingKind.OTHER
    )
    date = models.DateField(_("date"), validators=[date_bounds])
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))
    location = SingleLineCharField(_("location"), max_length=200, blank=True)
    online_url = models.URLField(_("online meeting link"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    notes = models.TextField(_("notes"), blank=True)
    agreements = models.ManyToManyField(
        Agreement, blank=True, related_name="meetings", verbose_name=_("agreements")
    )
    # iCalendar identity: the UID stays, the SEQUENCE goes up with every change sent out, so a
    # calendar program replaces the event instead of adding a second one.
    uid = models.CharField(_("calendar UID"), max_length=100, unique=True, default=new_uid)
    sequence = models.PositiveIntegerField(_("calendar sequence number"), default=0)
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

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-date", "-start_time", "-pk"]
        constraints = [
            # An end time before the start time is on the next day (a night walk-through
            # 23:00-03:00); a meeting of no length is refused.
            models.CheckConstraint(
                condition=~Q(end_time=F("start_time")),
                name="meetings_meeting_has_length",
                violation_error_message=_("The end time must differ from the start time."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[value for value, _label in MeetingKind.choices]),
                name="meetings_meeting_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[value for value, _label in MeetingStatus.choices]),
                name="meetings_meeting_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["project", "date"])]

    def __str__(self):
        return f"{self.title} ({self.date:%d-%m-%Y})"

    def get_absolute_url(self):
        return reverse("meeting_detail", args=[self.project_id, self.pk])

    def _aware(self, time) -> datetime.datetime:
        return datetime.datetime.combine(self.date, time, tzinfo=timezone.get_default_timezone())

    @property
    def starts_at(self) -> datetime.datetime:
        return self._aware(self.start_time)

    @property
    def ends_next_day(self) -> bool:
        """True for a meeting that runs past midnight: its end time is before its start time."""
        return self.end_time < self.start_time

    @property
    def ends_at(self) -> datetime.datetime:
        end_date = self.date + datetime.timedelta(days=1 if self.ends_next_day else 0)
        return datetime.datetime.combine(
            end_date, self.end_time, tzinfo=timezone.get_default_timezone()
        )

    @property
    def time_span(self) -> str:
        """ "20:00-21:30", or "23:00-03:00 (the next day)" for a meeting past midnight."""
        span = f"{self.start_time:%H:%M}–{self.end_time:%H:%M}"
        if not self.ends_next_day:
            return span
        next_day = _("the next day")
        return f"{span} ({next_day})"

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED


class AgendaItem(models.Model):
    personal_text_fields = ("title", "description", "minutes")
    municipality_lookup = "meeting__project__municipality"

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("meeting")
    )
    # Not unique: swapping two positions under a unique constraint needs deferrable constraints,
    # which SQLite lacks; order by (position, pk) is stable either way.
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = SingleLineCharField(_("agenda item"), max_length=200)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=15)
    description = models.TextField(_("explanation"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1) & Q(duration_minutes__lte=480),
                name="meetings_agendaitem_duration_range",
                violation_error_message=_("A duration is between 1 and 480 minutes."),
            ),
        ]

    def __str__(self):
        return self.title


class Attendance(models.TextChoices):
    UNKNOWN = "", _("not recorded")
    PRESENT = "present", _("present")
    ABSENT = "absent", _("absent")
    EXCUSED = "excused", _("excused")


class Attendee(models.Model):
    """Someone invited to a meeting: a contact person of a partner or a municipal user."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendees", verbose_name=_("meeting")
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="meeting_attendances",
        verbose_name=_("contact person"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="meeting_attendances",
        verbose_name=_("municipal user"),
    )
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, default="", blank=True
    )
    invited_at = models.DateTimeField(_("invitation sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitee")
        verbose_name_plural = _("invitees")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, user__isnull=True)
                | Q(person__isnull=True, user__isnull=False),
                name="meetings_attendee_person_xor_user",
            ),
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=Q(person__isnull=False),
                name="meetings_attendee_meeting_person_uniq",
                violation_error_message=_("This person has already been invited."),
            ),
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=Q(user__isnull=False),
                name="meetings_attendee_meeting_user_uniq",
                violation_error_message=_("This user has already been invited."),
            ),
            models.CheckConstraint(
                condition=Q(attendance__in=[value for value, _label in Attendance.choices]),
                name="meetings_attendee_attendance_valid",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        if self.person_id:
            return self.person.name
        return self.user.get_full_name() or self.user.username

    @property
    def email(self) -> str:
        return self.person.email if self.person_id else self.user.email

    @property
    def organisation_name(self) -> str:
        """The organisation the attendee represents; users represent the municipality."""
        if self.person_id:
            return self.person.organisation.name
        return str(_("Municipality of %(name)s") % {"name": self.meeting.project.municipality})


class ActionItemStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("done")
    DROPPED = "dropped", _("dropped")


class ActionItemQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=ActionItemStatus.OPEN)

    def overdue(self):
        return self.open().filter(due_date__lt=timezone.localdate())


class ActionItem(models.Model):
    personal_text_fields = ("description",)
    municipality_lookup = "meeting__project__municipality"

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="action_items", verbose_name=_("meeting")
    )
    description = SingleLineCharField(_("action"), max_length=300)
    owner_person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("owner (contact person)"),
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("owner (municipal user)"),
    )
    due_date = models.DateField(_("due date"), validators=[date_bounds])
    status = models.CharField(
        _("status"), max_length=10, choices=ActionItemStatus.choices, default=ActionItemStatus.OPEN
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_person__isnull=False, owner_user__isnull=True)
                | Q(owner_person__isnull=True, owner_user__isnull=False),
                name="meetings_actionitem_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[value for value, _label in ActionItemStatus.choices]),
                name="meetings_actionitem_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self):
        return self.description

    @property
    def owner_name(self) -> str:
        if self.owner_person_id:
            return str(self.owner_person)
        return self.owner_user.get_full_name() or self.owner_user.username

    @property
    def is_overdue(self) -> bool:
        return self.status == ActionItemStatus.OPEN and self.due_date < timezone.localdate()


def hash_feed_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class CalendarFeed(models.Model):
    """A project's private calendar subscription; only the SHA-256 of its secret is stored."""

    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, related_name="calendar_feed", verbose_name=_("project")
    )
    secret_hash = models.CharField(_("hash of the secret"), max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.project)
