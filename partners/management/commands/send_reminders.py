"""Sends the automatic reminders for the intentieverklaring; run daily by a scheduler.

Idempotent: an invitation is due only when its last e-mail is at least 7 days old, and sending
records the time, so a second run the same day sends nothing. It also retries invitations whose
first e-mail failed to go out.
"""

from django.core.management.base import BaseCommand

from partners.declaration import tasks
from partners.declaration.services import due_reminders, unsent_invitations
from partners.models import EventKind


class Command(BaseCommand):
    help = "Send due reminders for open declaration invitations and retry failed invitations."

    def handle(self, *args, **options):
        reminded = retried = 0
        for invitation_id in due_reminders().values_list("pk", flat=True):
            tasks.send_invitation_email.enqueue(invitation_id, EventKind.REMINDED.value)
            reminded += 1
        for invitation_id in unsent_invitations().values_list("pk", flat=True):
            tasks.send_invitation_email.enqueue(invitation_id, EventKind.SENT.value)
            retried += 1
        self.stdout.write(f"{reminded} reminder(s) queued, {retried} failed invitation(s) retried.")
