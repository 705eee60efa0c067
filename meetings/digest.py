"""What the meetings app puts in a user's overview e-mail: their open action items and the
meetings of the coming two weeks."""

import datetime

from django.utils.translation import gettext as _

from kvu.digest import SECTION_LIMIT, UPCOMING_DAYS, Item, Section, absolute
from meetings.models import ActionItem, Meeting, MeetingStatus


def digest_sections(user, projects, today: datetime.date) -> list[Section]:
    actions = ActionItem.objects.open().filter(owner_user=user, meeting__project__in=projects)
    meetings = Meeting.objects.filter(
        project__in=projects,
        status=MeetingStatus.PLANNED,
        date__gte=today,
        date__lte=today + datetime.timedelta(days=UPCOMING_DAYS),
    )
    shown_actions = list(
        actions.select_related("meeting__project").order_by("due_date", "pk")[:SECTION_LIMIT]
    )
    shown_meetings = list(
        meetings.select_related("project").order_by("date", "start_time", "pk")[:SECTION_LIMIT]
    )
    return [
        Section(
            30,
            _("Your open action items"),
            [_action(item, today) for item in shown_actions],
            actions.count(),
        ),
        Section(
            40,
            _("Meetings in the coming %(days)s days") % {"days": UPCOMING_DAYS},
            [_meeting(meeting) for meeting in shown_meetings],
            meetings.count(),
        ),
    ]


def _action(item, today) -> Item:
    meeting = item.meeting
    return Item(
        title=item.description,
        url=absolute(f"{meeting.get_absolute_url()}#actions"),
        when=item.due_date,
        detail=_("from the meeting “%(title)s”") % {"title": meeting.title},
        project=meeting.project.name,
        overdue=item.due_date < today,
    )


def _meeting(meeting) -> Item:
    times = meeting.time_span
    return Item(
        title=meeting.title,
        url=absolute(meeting.get_absolute_url()),
        when=meeting.date,
        detail=f"{times}, {meeting.location}" if meeting.location else times,
        project=meeting.project.name,
    )
