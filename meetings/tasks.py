"""Background work of the meetings app: invitation, update and cancellation e-mails with .ics."""

from email.message import MIMEPart

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation

METHODS = ("REQUEST", "CANCEL")


@task
def send_meeting_email(
    *, meeting_id: int, email: str, name: str, method: str, update: bool = False
) -> None:
    """Send one Dutch e-mail with an .ics attachment (METHOD:REQUEST or METHOD:CANCEL)."""
    from meetings.ics import meeting_ics
    from meetings.models import Meeting
    from meetings.services import timed_agenda

    if method not in METHODS:
        raise ValueError(method)
    meeting = (
        Meeting.objects.select_related("project__municipality", "project__project_leader")
        .prefetch_related("agenda_items")
        .get(pk=meeting_id)
    )
    with translation.override("nl"):
        agenda = timed_agenda(meeting)
        recipient = _Recipient(email, name)
        context = {
            "meeting": meeting,
            "agenda": agenda,
            "name": name,
            "update": update,
            "cancel": method == "CANCEL",
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string("emails/meeting_subject.txt", context).strip()
        body = render_to_string("emails/meeting_invitation.txt", context)
        ics = meeting_ics(meeting, agenda=agenda, method=method, attendee=recipient)
    part = MIMEPart()
    part.set_content(
        ics.decode(),
        subtype="calendar",
        charset="utf-8",
        params={"method": method},
        disposition="attachment",
        filename="overleg.ics",
    )
    EmailMessage(subject=subject, body=body, to=[email], attachments=[part]).send()


class _Recipient:
    """The attendee line of the .ics: just an address and a name."""

    def __init__(self, email, name):
        self.email, self.name = email, name
