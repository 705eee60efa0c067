"""Demo data of the core app, in one place: municipalities, accounts, projects, and the phase
guide's manual ticks (loaded last, as they describe the data the other apps loaded)."""

import datetime

from django.contrib.auth import get_user_model

from kvu.models import CcvStep, GuideStepRecord, Membership, Municipality, Project, Province

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


def load() -> int:
    """Municipalities, the five demo accounts and the two projects (idempotent)."""
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


# Enschede is nearly ready for the gate; Apeldoorn is earlier in the phase.
TICKS = {
    "KVU Binnenstad Enschede": (
        "CCV-cursus 'Veilig uitgaan' gevolgd en het KVU-draaiboek van Eindhoven doorgenomen met "
        "de projectleider daar."
    ),
    "KVU Centrum Apeldoorn": (
        "Handreiking KVU van het CCV gelezen; gesprek gehad met de projectleider van de KVU in "
        "Deventer."
    ),
}


def load_guide_ticks() -> int:
    created = 0
    for project in Project.objects.filter(name__in=TICKS):
        _record, new = GuideStepRecord.objects.get_or_create(
            project=project,
            step="knowledge",
            defaults={
                "ticked": True,
                "note": TICKS[project.name],
                "updated_by": project.project_leader,
            },
        )
        created += new
    return created
