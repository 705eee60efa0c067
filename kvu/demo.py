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


def demo_pdf(title: str, lines: list[str]) -> bytes:
    """A small, valid one-page PDF with a title and some lines of text (Helvetica, Latin-1).

    Written by hand rather than with WeasyPrint: it takes no time and is only demo material.
    """

    def text(value: str) -> str:
        raw = value.encode("latin-1", "replace").decode("latin-1")
        return raw.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    stream = [f"BT /F1 18 Tf 56 780 Td ({text(title)}) Tj ET"]
    for number, line in enumerate(lines):
        stream.append(f"BT /F1 11 Tf 56 {750 - 16 * number} Td ({text(line)}) Tj ET")
    content = "\n".join(stream).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


POLICE_FIGURES = [
    "Politie Oost-Nederland, basisteam Enschede - cijfers uitgaansgebied Oude Markt",
    "",
    "Geweldsincidenten vrijdag- en zaterdagnacht (22.00-06.00 uur)",
    "2023: 112    2024: 98    2025: 104",
    "Meldingen overlast (horeca en straat): 2023: 310    2024: 287    2025: 295",
    "Piek tussen 02.30 en 04.00 uur, rond sluitingstijd.",
    "",
    "Bron: BVH, bewerking gemeente Enschede. Alleen voor intern gebruik in de KVU.",
]
PRESENTATION = [
    "Bijeenkomst met de ondernemers van de Oude Markt",
    "",
    "1. Wat is het Keurmerk Veilig Uitgaan?",
    "2. De cijfers: geweld en overlast in het uitgaansgebied",
    "3. Wat vragen we van horeca, portiers en beveiliging?",
    "4. Planning: intentieverklaring, veiligheidsanalyse, plan van aanpak",
]
DECLARATION = [
    "Intentieverklaring KVU Binnenstad Enschede - op papier ondertekend",
    "",
    "De ondergetekende verklaart mee te werken aan het Keurmerk Veilig Uitgaan.",
    "Ingescand door de gemeente; het origineel ligt in het archief.",
]


def load_documents() -> int:
    """A few documents of the Enschede project: the police figures on the project, the
    presentation for the entrepreneurs on the meeting with them, a paper declaration on a partner
    (idempotent: a title that exists is left alone)."""
    from django.apps import apps

    from kvu.documents import add_document

    project = Project.objects.filter(name="KVU Binnenstad Enschede").first()
    if project is None:
        return 0
    targets = [
        (None, "Politiecijfers uitgaansgebied 2023-2025", "politiecijfers.pdf", POLICE_FIGURES)
    ]
    if apps.is_installed("meetings"):
        meetings = apps.get_model("meetings", "Meeting").objects.filter(project=project)
        meeting = meetings.filter(title__icontains="horeca").first() or meetings.first()
        if meeting is not None:
            targets.append(
                (
                    meeting,
                    "Presentatie voor de ondernemers",
                    "presentatie-ondernemers.pdf",
                    PRESENTATION,
                )
            )
    participation = project.participations.order_by("pk").first()
    if participation is not None:
        targets.append(
            (
                participation,
                "Getekende intentieverklaring (scan)",
                "verklaring-getekend.pdf",
                DECLARATION,
            )
        )
    created = 0
    for target, title, name, lines in targets:
        if project.documents.filter(title=title).exists():
            continue
        add_document(
            project=project,
            target=target,
            title=title,
            name=name,
            data=demo_pdf(title, lines),
            user=project.project_leader,
        )
        created += 1
    return created
