"""Background work of the meetings app: invitation, update and cancellation e-mails with .ics."""

from email.message import MIMEPart

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone, translation

METHODS = ("REQUEST", "CANCEL")


@task
def send_meeting_email(
    *,
    meeting_id: int,
    email: str,
    name: str,
    method: str,
    update: bool = False,
    invite_attendee_id: int | None = None,
) -> None:
    """Send one Dutch e-mail with an .ics attachment (METHOD:REQUEST or METHOD:CANCEL).

    For a first invitation (`invite_attendee_id`) the attendee is marked invited only after the
    mail went out: a failed send leaves them "not sent", so the next "send invitations" retries.
    """
    from meetings.ics import meeting_ics
    from meetings.models import Attendee, Meeting
    from meetings.services import timed_agenda

    if method not in METHODS:
        raise ValueError(method)
    attendee = None
    if invite_attendee_id is not None:
        attendee = Attendee.objects.filter(pk=invite_attendee_id, invited_at=None).first()
        if attendee is None:
            return  # uninvited meanwhile, or already invited by an earlier click
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
        # One line whatever the title holds: a line break in a header makes the send fail.
        subject = " ".join(render_to_string("emails/meeting_subject.txt", context).split())
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
    if attendee is not None:
        attendee.invited_at = timezone.now()
        attendee.save(update_fields=["invited_at"])


class _Recipient:
    """The attendee line of the .ics: just an address and a name."""

    def __init__(self, email, name):
        self.email, self.name = email, name
