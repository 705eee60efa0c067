"""Sends the automatic reminders for the intentieverklaring; run daily by a scheduler.

Idempotent: an invitation is due only when its last e-mail is at least 7 days old, and sending
records the time, so a second run the same day sends nothing. It also retries invitations whose
first e-mail failed to go out. Each run is recorded (ReminderRun): the declaration's status page
shows when the daily job last ran. Django's Tasks framework has no schedule of its own, so cron
or a systemd timer starts it, e.g.

    15 7 * * *  cd /srv/kvu && .venv/bin/python manage.py send_reminders
"""

from django.core.management.base import BaseCommand

from partners.declaration.services import run_reminders


class Command(BaseCommand):
    help = "Send due reminders for open declaration invitations and retry failed invitations."

    def handle(self, *args, **options):
        run = run_reminders()
        self.stdout.write(
            f"{run.reminded} reminder(s) queued, {run.retried} failed invitation(s) retried."
        )
