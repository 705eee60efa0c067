"""Anonymises contact persons past the retention period; run daily by a scheduler (cron)."""

from django.core.management.base import BaseCommand

from partners.privacy.services import anonymise_past_retention


class Command(BaseCommand):
    help = (
        "Anonymise contact persons whose organisation takes part only in projects closed more "
        "than PERSON_RETENTION_DAYS ago."
    )

    def handle(self, *args, **options):
        count = anonymise_past_retention()
        self.stdout.write(f"{count} contact person(s) anonymised.")
