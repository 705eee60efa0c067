"""`manage.py send_digests`: queue today's overview e-mails (daily; the weekly ones on Monday).

Django's Tasks framework has no periodic schedule, so cron (or a systemd timer) runs this once
a day, e.g. `0 7 * * * cd /srv/kvu && .venv/bin/python manage.py send_digests`. Running it
again the same day sends nothing twice (kvu.tasks.send_digest).
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from kvu.digest import queue_digests


class Command(BaseCommand):
    help = "Queue today's overview e-mails for the users whose digest is due."

    def handle(self, *args, **options):
        today = timezone.localdate()
        count = queue_digests(today)
        self.stdout.write(f"{count} overview e-mail(s) queued for {today.isoformat()}.")
