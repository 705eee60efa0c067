"""Demo data of the walk-through: Enschede's day and night walk-through with findings and photos.

The photos are simple pictures drawn with Pillow when the demo loads (a street scene in the
colours of the moment, with a label), stored through the documents like a real upload.
Idempotent: a walk-through is looked up by its timing, a finding by its fixed form key.
"""

import datetime
import io
import uuid

from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from analysis.models import Street, WalkThrough
from analysis.walkthrough import photos, services
from kvu.models import Membership

NAMESPACE = uuid.UUID("6f1c1d3e-2a8b-4c55-9a57-0c2b1f1e9d20")

# Findings per walk-through: street, spot, category, severity, description, who should act
# (the start of a partner's organisation name), photo label (None: no photo).
FINDINGS = {
    "day": [
        (
            "Oude Markt",
            "Trap naast de Grote Kerk",
            "maintenance",
            "orange",
            "Losliggende klinkers bij de trap; struikelgevaar als het druk is.",
            "Gemeente Enschede",
            "Klinkers los",
        ),
        (
            "Walstraat",
            "Achteringang Club Nachtwacht",
            "fire_burglary",
            "red",
            "Nooduitgang geblokkeerd door containers en fietsen.",
            "Brandweer",
            "Nooduitgang",
        ),
        (
            "Marktstraat",
            "",
            "attractiveness",
            "green",
            "Afvalbakken geleegd en schoon; geen graffiti gezien.",
            "",
            None,
        ),
    ],
    "night": [
        (
            "Stadsgravenstraat",
            "Hoek Stadsgravenstraat / Walstraat",
            "visibility",
            "red",
            "Twee lantaarnpalen kapot: donkere hoek waar bezoekers wachten op een taxi.",
            "Gemeente Enschede",
            "Donkere hoek",
        ),
        (
            "Hoge Bothofstraat",
            "Taxistandplaats",
            "traffic",
            "orange",
            "Taxi's staan dubbel geparkeerd; fietsers wijken uit over de stoep.",
            "Politie",
            "Taxistandplaats",
        ),
        (
            "Oude Markt",
            "Terras Café De Zwarte Ruiter",
            "access",
            "orange",
            "Rij voor de deur staat op de rijbaan; geen afzetting of portier buiten.",
            "Café De Zwarte Ruiter",
            "Rij voor de deur",
        ),
        (
            "Oude Markt",
            "Midden op het plein",
            "visibility",
            "green",
            "Plein goed verlicht; cameratoezicht dekt de terrassen.",
            "",
            None,
        ),
    ],
}


def picture(label: str, *, night: bool) -> bytes:
    """A simple street scene with a label, as a phone photo would arrive (a large JPEG)."""
    width, height = 1200, 900
    sky, ground, window = (
        ((18, 24, 58), (40, 40, 48), (250, 214, 90))
        if night
        else ((150, 195, 235), (120, 120, 120), (70, 90, 120))
    )
    image = Image.new("RGB", (width, height), sky)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 620, width, height], fill=ground)
    for i, x in enumerate(range(40, width, 230)):
        top = 220 + (i % 3) * 60
        draw.rectangle([x, top, x + 190, 620], fill=(120 + i * 15, 70 + i * 10, 60))
        for wy in range(top + 30, 580, 80):
            for wx in (x + 25, x + 110):
                draw.rectangle([wx, wy, wx + 50, wy + 45], fill=window)
    draw.rectangle([580, 300, 592, 640], fill=(30, 30, 30))  # a lamp post
    draw.ellipse([556, 270, 616, 320], fill=(255, 240, 170) if night else (200, 200, 200))
    font = ImageFont.load_default(size=56)
    draw.rectangle([0, 760, width, 860], fill=(0, 0, 0))
    draw.text((40, 775), label, fill=(255, 255, 255), font=font)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()


def _partner(project, name_start):
    if not name_start:
        return None
    return (
        project.participations.filter(organisation__name__startswith=name_start)
        .order_by("pk")
        .first()
    )


def _street(analysis, name):
    street, _created = Street.objects.get_or_create(
        analysis=analysis, name=name, defaults={"position": analysis.streets.count()}
    )
    return street


def _walk_through(analysis, leader, timing) -> tuple[WalkThrough, bool]:
    walk = analysis.walk_throughs.filter(timing=timing).order_by("pk").first()
    if walk is not None:
        return walk, False
    project = analysis.project
    today = timezone.localdate()
    if timing == "day":
        data = {
            "date": today - datetime.timedelta(days=24),
            "start_time": datetime.time(14, 0),
            "route": "Oude Markt, Marktstraat, Walstraat",
            "notes": "Daglicht: onderhoud, vluchtwegen en inrichting van de openbare ruimte.",
        }
        partners = ["Gemeente Enschede", "Brandweer", "KHN"]
    else:
        data = {
            "date": today - datetime.timedelta(days=17),
            "start_time": datetime.time(0, 30),
            "route": "Oude Markt, Stadsgravenstraat, Walstraat, Hoge Bothofstraat",
            "notes": "Zaterdagnacht op het drukste moment, met de wijkagent en KHN.",
        }
        partners = ["Politie", "KHN", "Café De Zwarte Ruiter"]
    colleagues = [
        m.user
        for m in Membership.objects.filter(
            municipality=project.municipality, role__in=["leader", "editor"]
        ).select_related("user")
    ]
    walk = services.create_walk_through(
        analysis=analysis,
        user=leader,
        data={
            "timing": timing,
            **data,
            "partners": [p for p in (_partner(project, name) for name in partners) if p],
            "colleagues": colleagues,
        },
    )
    return walk, True


def load(analysis, leader) -> int:
    created = 0
    for timing, findings in FINDINGS.items():
        walk, new = _walk_through(analysis, leader, timing)
        created += new
        for street, spot, category, severity, description, acts, label in findings:
            key = uuid.uuid5(NAMESPACE, f"{timing}:{description}")
            if walk.findings.filter(client_key=key).exists():
                continue
            photo = photos.process_photo(picture(label, night=timing == "night")) if label else None
            _finding, new = services.record_finding(
                walk_through=walk,
                user=leader,
                client_key=key,
                data={
                    "street": _street(analysis, street),
                    "location": spot,
                    "category": category,
                    "severity": severity,
                    "description": description,
                    "action_by": _partner(analysis.project, acts),
                },
                photo=photo,
            )
            created += new
    return created
