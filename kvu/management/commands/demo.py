"""Loads the demo data: two municipalities, their KVU projects and the five demo accounts."""

import datetime
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import module_has_submodule

from kvu import guide_demo
from kvu.models import CcvStep, Membership, Municipality, Project, Province

DEMO_PASSWORD = "demo-kvu-2026"

MUNICIPALITIES = [
    {"cbs_code": "GM0153", "name": "Enschede", "province": Province.OVERIJSSEL},
    {"cbs_code": "GM0200", "name": "Apeldoorn", "province": Province.GELDERLAND},
]

# (username, first name, last name, staff, [(cbs code, role)])
ACCOUNTS = [
    ("beheer", "Bram", "Beheerder", True, []),
    ("projectleider", "Petra", "Jansen", False, [("GM0153", Membership.Role.LEADER)]),
    ("collega", "Karim", "El Amrani", False, [("GM0153", Membership.Role.EDITOR)]),
    ("meelezer", "Marieke", "de Vries", False, [("GM0153", Membership.Role.VIEWER)]),
    ("projectleider2", "Joost", "Hendriks", False, [("GM0200", Membership.Role.LEADER)]),
]

PROJECTS = [
    {
        "cbs_code": "GM0153",
        "name": "KVU Binnenstad Enschede",
        "nightlife_area": "Binnenstad – Oude Markt en omgeving",
        "description": (
            "Rond de Oude Markt zijn in het weekend veel uitgaanders op straat. De gemeente wil "
            "samen met politie, horeca en KHN afspraken maken over een veilig uitgaansgebied: "
            "minder geweld en overlast, betere samenwerking tussen portiers en politie en "
            "duidelijke afspraken over handhaving."
        ),
        "start_date": datetime.date(2026, 9, 1),
        "leader": "projectleider",
    },
    {
        "cbs_code": "GM0200",
        "name": "KVU Centrum Apeldoorn",
        "nightlife_area": "Centrum – Caterplein en Marktplein",
        "description": (
            "Na een aantal incidenten rond sluitingstijd onderzoekt de gemeente of een KVU "
            "het uitgaansgebied in het centrum veiliger kan maken."
        ),
        "start_date": datetime.date(2026, 10, 15),
        "leader": "projectleider2",
    },
]


class Command(BaseCommand):
    help = "Load the demo data (idempotent). Refuses to run when DEBUG is off."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("The demo data may only be loaded in development (DEBUG on).")
        with transaction.atomic():
            created = self.load()
            # Every other app extends the demo through a `demo.load()` of its own, in the order
            # of INSTALLED_APPS, so that the demo always shows every feature.
            for app in apps.get_app_configs():
                if app.name != "kvu" and module_has_submodule(app.module, "demo"):
                    created += import_module(f"{app.name}.demo").load()
            # The phase guide's own records come last: they describe the data loaded above.
            created += guide_demo.load()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({created} new objects)."))

    def load(self) -> int:
        created = 0
        municipalities = {}
        for data in MUNICIPALITIES:
            municipality, new = Municipality.objects.get_or_create(
                cbs_code=data["cbs_code"], defaults=data
            )
            municipalities[data["cbs_code"]] = municipality
            created += new

        User = get_user_model()
        users = {}
        for username, first, last, staff, memberships in ACCOUNTS:
            user, new = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@example.org",
                    "is_staff": staff,
                    "is_superuser": staff,
                },
            )
            if new:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            users[username] = user
            created += new
            for cbs_code, role in memberships:
                _, new = Membership.objects.get_or_create(
                    user=user, municipality=municipalities[cbs_code], defaults={"role": role}
                )
                created += new

        for data in PROJECTS:
            _, new = Project.objects.get_or_create(
                municipality=municipalities[data["cbs_code"]],
                name=data["name"],
                defaults={
                    "nightlife_area": data["nightlife_area"],
                    "description": data["description"],
                    "start_date": data["start_date"],
                    "project_leader": users[data["leader"]],
                    "ccv_step": CcvStep.INITIATIVE,
                },
            )
            created += new
        return created
