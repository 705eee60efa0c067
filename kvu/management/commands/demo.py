"""Loads the demo data: two municipalities, their KVU projects, the five demo accounts, and what
every other app adds to them (AppConfig.load_demo(), see kvu/extensions.py)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kvu import demo
from kvu.extensions import collect


class Command(BaseCommand):
    help = "Load the demo data (idempotent). Refuses to run when DEBUG is off."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("The demo data may only be loaded in development (DEBUG on).")
        with transaction.atomic():
            created = demo.load()
            # The other apps, in the order of INSTALLED_APPS, so each builds on the one below.
            created += sum(collect("load_demo"))
            # The phase guide's own records come last: they describe the data loaded above.
            created += demo.load_guide_ticks()
            # Documents attach to the meetings and partners loaded above.
            created += demo.load_documents()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({created} new objects)."))
