"""What the partners app puts in a user's overview e-mail: the follow-ups they recorded.

The follow-ups are chosen as on the dashboard (partners.panels: open, overdue or due within two
weeks, the soonest first), limited to the contact moments the user recorded themselves.
"""

import datetime

from django.db.models import Count, Q
from django.template.defaultfilters import truncatechars
from django.utils.translation import gettext as _

from kvu.digest import SECTION_LIMIT, Item, Section, absolute
from partners.models import ContactMoment
from partners.panels import UPCOMING_DAYS


def digest_sections(user, projects, today: datetime.date) -> list[Section]:
    mine = ContactMoment.objects.filter(project__in=projects, recorded_by=user)
    horizon = today + datetime.timedelta(days=UPCOMING_DAYS)
    counts = (
        mine.follow_ups_open()
        .filter(follow_up_on__lte=horizon)
        .aggregate(
            overdue=Count("pk", filter=Q(follow_up_on__lt=today)),
            upcoming=Count("pk", filter=Q(follow_up_on__gte=today)),
        )
    )
    related = ("participation__organisation", "participation__project")
    overdue = list(mine.follow_ups_overdue(today).select_related(*related)[:SECTION_LIMIT])
    upcoming = list(
        mine.follow_ups_upcoming(today, days=UPCOMING_DAYS).select_related(*related)[:SECTION_LIMIT]
    )
    return [
        Section(10, _("Overdue follow-ups"), [_item(m, today) for m in overdue], counts["overdue"]),
        Section(
            20,
            _("Follow-ups in the coming %(days)s days") % {"days": UPCOMING_DAYS},
            [_item(m, today) for m in upcoming],
            counts["upcoming"],
        ),
    ]


def _item(moment, today) -> Item:
    participation = moment.participation
    return Item(
        title=participation.organisation.name,
        url=absolute(f"{participation.get_absolute_url()}#contact-{moment.pk}"),
        when=moment.follow_up_on,
        detail=truncatechars(moment.summary, 80),
        project=participation.project.name,
        overdue=moment.follow_up_on < today,
    )
