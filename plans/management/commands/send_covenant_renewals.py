"""`manage.py send_covenant_renewals`: remind the leaders to renew a covenant that ends within
three months (daily).

Django's Tasks framework has no schedule of its own, so cron (or a systemd timer) runs this once
a day, e.g. `45 7 * * * cd /srv/kvu && .venv/bin/python manage.py send_covenant_renewals`.
Idempotent: each covenant's leaders are e-mailed once (plans/covenant/renewal.py).
"""

from django.core.management.base import BaseCommand

from plans.covenant.renewal import queue_renewal_reminders


class Command(BaseCommand):
    help = "E-mail the leaders of projects whose covenant ends within three months (once each)."

    def handle(self, *args, **options):
        count = queue_renewal_reminders()
        self.stdout.write(f"{count} covenant renewal reminder(s) queued.")
