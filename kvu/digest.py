"""The overview e-mail (digest) for the municipality's own people: who gets one today, and its text.

The content comes from the apps above kvu: each may define `digest_sections(user, projects,
today)` on its AppConfig (kvu/extensions.py) and return a few bounded `Section`s; kvu only
chooses the recipients, puts the sections in order and renders the mail. It is sent by the task
in kvu/tasks.py, once per user and day (`DigestSent`).
"""

import dataclasses
import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from kvu.extensions import collect
from kvu.mail import automatic_message, render_subject, render_text
from kvu.models import DIGEST_WEEKDAY, DigestFrequency, DigestSent, Project, UserSettings

# Each section shows at most this many items, then says how many more there are.
SECTION_LIMIT = 10
# "Upcoming" in the digest: the same two weeks as the dashboard.
UPCOMING_DAYS = 14


@dataclasses.dataclass(frozen=True)
class Item:
    """One line of a section: a date, what it is about, where, and a link to it."""

    title: str
    url: str
    when: datetime.date | None = None
    detail: str = ""
    project: str = ""
    overdue: bool = False


@dataclasses.dataclass(frozen=True)
class Section:
    """A bounded list: `items` are the first ones, `total` counts them all."""

    order: int
    title: str
    items: list[Item]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.items)


def absolute(path: str) -> str:
    """An absolute link for an e-mail (settings.SITE_URL, as the other e-mails do)."""
    return settings.SITE_URL + path


def frequencies_due(today: datetime.date) -> list[str]:
    """The digest settings that get an overview e-mail on `today`."""
    if today.weekday() == DIGEST_WEEKDAY:
        return [DigestFrequency.DAILY, DigestFrequency.WEEKLY]
    return [DigestFrequency.DAILY]


def recipients(today: datetime.date):
    """Active users with an e-mail address and a membership whose digest is due on `today`,
    not yet sent today. A user without settings has the default (weekly)."""
    sent = DigestSent.objects.filter(user=OuterRef("pk"), date=today)
    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__isnull=False)
        .exclude(email="")
        .annotate(
            digest_setting=Coalesce("kvu_settings__digest", Value(DigestFrequency.WEEKLY)),
        )
        .filter(Q(digest_setting__in=frequencies_due(today)), ~Exists(sent))
        .distinct()
        .order_by("pk")
    )


def queue_digests(today: datetime.date) -> int:
    """Queue the overview e-mail of `today` for everyone whose digest is due; returns how many."""
    from kvu.tasks import send_digest

    user_ids = list(recipients(today).values_list("pk", flat=True))
    for user_id in user_ids:
        send_digest.enqueue(user_id=user_id, day=today.isoformat())
    return len(user_ids)


def sections_for(user, today: datetime.date) -> list[Section]:
    """The non-empty sections of `user`'s digest, across the projects of their municipalities."""
    projects = list(Project.objects.member_of(user).order_by())
    if not projects:
        return []
    found = [
        section
        for sections in collect("digest_sections", user, projects, today)
        for section in sections
    ]
    return sorted((s for s in found if s.items), key=lambda s: s.order)


def build_message(user, today: datetime.date) -> EmailMultiAlternatives | None:
    """The overview e-mail for `user` on `today`, in their language; None when it would be empty."""
    language = UserSettings.language_of(user)
    with translation.override(language):
        sections = sections_for(user, today)
        if not sections:
            return None
        context = {
            "user": user,
            "name": user.get_full_name() or user.get_username(),
            "today": today,
            "sections": sections,
            "dashboard_url": absolute(reverse("dashboard")),
            "settings_url": absolute(reverse("my_settings")),
            "site_url": settings.SITE_URL,
        }
        subject = render_subject("emails/digest_subject.txt", context)
        text = render_text("emails/digest.txt", context)
        html = render_to_string("emails/digest.html", context)  # HTML: escaped
    message = automatic_message(subject=subject, body=text, to=[user.email])
    message.attach_alternative(html, "text/html")
    return message
