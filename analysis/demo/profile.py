"""Demo data of the area profile and the sources: Enschede's centre, its establishments, key
figures for 2023-2025 and where CCV's ten sources stand. Idempotent: what exists is left alone."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from analysis.models import (
    AreaProfile,
    Establishment,
    EstablishmentKind,
    FigureKind,
    KeyFigure,
    Source,
    SourceKind,
    SourceStatus,
    Street,
)
from analysis.sources.selectors import documents_of
from kvu.demo import demo_pdf
from kvu.documents import add_document
from partners.models import OrganisationKind

STREETS = [
    "Oude Markt",
    "Stadsgravenstraat",
    "Walstraat",
    "Marktstraat",
    "Hoge Bothofstraat",
    "Langestraat",
    "Kalanderstraat",
    "Pijpenstraat",
    "Noorderhagen",
    "Van Heekplein",
]

PROFILE = {
    "description": (
        "Het uitgaansgebied ligt in de binnenstad van Enschede, rond de Oude Markt met de "
        "Grote Kerk. Het wordt begrensd door de Stadsgravenstraat, de Walstraat, de "
        "Marktstraat en de Langestraat; de Van Heekplein-zijde vormt de overgang naar het "
        "winkelgebied. De meeste zaken liggen aan het plein, dat op drukke avonden vol "
        "terrassen staat."
    ),
    "functions": (
        "Naast horeca: winkels (overdag), wonen boven de winkels en in de Walstraat, kantoren, "
        "de Grote Kerk en het stadhuis. Parkeren in de garages Van Heekplein en Irene; "
        "taxistandplaats aan de Hoge Bothofstraat."
    ),
    "capacity": 6500,
    "peak_nights": (
        "Donderdag (studentenavond), vrijdag en zaterdag; ook Koningsnacht en de nacht "
        "voor Hemelvaart"
    ),
    "peak_hours": "00:00-03:30",
}

# Organisation name: kind, opening hours, capacity, street.
ESTABLISHMENTS = {
    "Café De Zwarte Ruiter": (
        EstablishmentKind.BAR,
        "do-za 16:00-02:00, zo 14:00-24:00",
        180,
        "Oude Markt",
    ),
    "Grand Café Het Bolwerk": (
        EstablishmentKind.BAR,
        "dagelijks 10:00-01:00, vr-za tot 03:00",
        350,
        "Oude Markt",
    ),
    "Club Nachtwacht": (EstablishmentKind.CLUB, "do-za 23:00-05:00", 600, "Walstraat"),
    "Eetcafé De Beiaard": (EstablishmentKind.RESTAURANT, "di-zo 11:00-23:00", 90, "Oude Markt"),
    # Danscafé Het Vliegende Paard declined the KVU and is not yet described.
}

FIGURES = {
    FigureKind.INCIDENTS: (
        {2023: 412, 2024: 388, 2025: 356},
        "Politie Oost-Nederland, BVH-bevraging uitgaansgebied (vr-za 22:00-06:00)",
    ),
    FigureKind.VIOLENCE: (
        {2023: 74, 2024: 69, 2025: 58},
        "Politie Oost-Nederland, BVH: geweldsincidenten in het uitgaansgebied",
    ),
    FigureKind.NUISANCE: (
        {2023: 131, 2024: 142, 2025: 118},
        "Gemeente Enschede, meldingen openbare ruimte (categorie overlast horeca)",
    ),
    FigureKind.POLICE_DEPLOYMENT: (
        {2023: 2860, 2024: 2740, 2025: 2650},
        "Basisteam Enschede, inzetregistratie weekendnachten (uren)",
    ),
}


def _partner(project, kind):
    return project.participations.filter(organisation__kind=kind).order_by("pk").first()


def _sources(analysis, leader) -> dict:
    """Where each source stands; days relative to today, so the demo stays current."""
    project = analysis.project
    police = _partner(project, OrganisationKind.POLICE)
    fire = _partner(project, OrganisationKind.FIRE_SERVICE)
    colleague = get_user_model().objects.filter(username="collega").first() or leader
    today = timezone.localdate()

    def day(offset):
        return today + datetime.timedelta(days=offset)

    return {
        SourceKind.POLICE_FIGURES: {
            "status": SourceStatus.DONE,
            "responsible_partner": police,
            "planned_on": day(-60),
            "done_on": day(-45),
            "notes": "BVH-bevraging over 2023-2025, alleen vrijdag- en zaterdagnacht.",
        },
        SourceKind.SAFETY_MONITOR: {
            "status": SourceStatus.DONE,
            "responsible_user": leader,
            "done_on": day(-40),
            "notes": "Veiligheidsmonitor 2025, uitsplitsing wijk Centrum.",
        },
        SourceKind.WALK_THROUGH: {
            "status": SourceStatus.IN_PROGRESS,
            "responsible_user": leader,
            "planned_on": day(10),
            "notes": "Dagschouw gehouden; de nachtschouw volgt op een zaterdag rond 01:00.",
        },
        SourceKind.VISITOR_SURVEY: {
            "status": SourceStatus.PLANNED,
            "responsible_user": colleague,
            "planned_on": day(24),
            "notes": "Straatinterviews met studenten van Saxion, vóór 01:00.",
        },
        SourceKind.ENTREPRENEUR_SURVEY: {
            "status": SourceStatus.IN_PROGRESS,
            "responsible_partner": police,
            "planned_on": day(-7),
            "notes": "De wijkagent brengt de vragenlijst langs en haalt hem weer op.",
        },
        SourceKind.RESIDENT_SURVEY: {
            "status": SourceStatus.NOT_USED,
            "reason_not_used": (
                "De bewonersvereniging hield in 2025 zelf een enquête onder de bewoners van "
                "de binnenstad; we gebruiken die uitkomsten (zie gegevens van derden) en vragen "
                "de bewoners niet twee keer hetzelfde."
            ),
        },
        SourceKind.INTERVIEWS: {
            "status": SourceStatus.PLANNED,
            "responsible_user": colleague,
            "planned_on": day(30),
            "notes": "Gesprekken met de voorzitter van de horecavereniging en de teamchef.",
        },
        SourceKind.FIRE_SERVICE: {
            "status": SourceStatus.IN_PROGRESS,
            "responsible_partner": fire,
            "planned_on": day(14),
            "notes": "Controles op vluchtwegen en bezetting in de drukste zaken.",
        },
        SourceKind.THIRD_PARTIES: {
            "status": SourceStatus.DONE,
            "done_on": day(-20),
            "notes": "Bewonersenquête 2025 van de Bewonersvereniging Binnenstad Enschede.",
        },
    }


DOCUMENTS = {
    SourceKind.POLICE_FIGURES: (
        "BVH-overzicht uitgaansgebied 2023-2025",
        "bvh-overzicht.pdf",
        ["Incidenten: 412 (2023), 388 (2024), 356 (2025)", "Geweld: 74, 69, 58"],
    ),
    SourceKind.SAFETY_MONITOR: (
        "Veiligheidsmonitor 2025, wijk Centrum",
        "veiligheidsmonitor-centrum.pdf",
        ["Voelt zich weleens onveilig in het centrum: 31%", "Overlast van horeca: 18%"],
    ),
}


def _untouched(source: Source) -> bool:
    return (
        source.status == SourceStatus.PLANNED
        and not source.notes
        and source.responsible_user_id is None
        and source.responsible_partner_id is None
    )


def load(analysis, leader) -> int:
    created = 0
    profile, made = AreaProfile.objects.get_or_create(analysis=analysis)
    created += made
    if not profile.description:
        for field, value in PROFILE.items():
            setattr(profile, field, value)
        profile.save()

    streets = {}
    for position, name in enumerate(STREETS, start=1):
        streets[name], made = Street.objects.get_or_create(
            analysis=analysis, name=name, defaults={"position": position}
        )
        created += made

    project = analysis.project
    partners = project.participations.filter(
        organisation__kind=OrganisationKind.HOSPITALITY
    ).select_related("organisation")
    for participation in partners:
        known = ESTABLISHMENTS.get(participation.organisation.name)
        if known is None:
            continue
        kind, hours, capacity, street = known
        _row, made = Establishment.objects.get_or_create(
            analysis=analysis,
            participation=participation,
            defaults={
                "kind": kind,
                "opening_hours": hours,
                "capacity": capacity,
                "street": streets[street],
            },
        )
        created += made

    for kind, (values, source) in FIGURES.items():
        for year, value in values.items():
            _row, made = KeyFigure.objects.get_or_create(
                analysis=analysis,
                kind=kind,
                label="",
                year=year,
                defaults={"value": Decimal(value), "source": source},
            )
            created += made

    wanted = _sources(analysis, leader)
    by_kind = {source.kind: source for source in analysis.sources.all()}
    for kind, values in wanted.items():
        source = by_kind.get(kind)
        if source is None or not _untouched(source):
            continue
        for field, value in values.items():
            setattr(source, field, value)
        source.save()
    attached = documents_of(project, list(by_kind.values()))
    for kind, (title, name, lines) in DOCUMENTS.items():
        source = by_kind.get(kind)
        if source is None or any(d.title == title for d in attached[source.pk]):
            continue
        add_document(
            project=project,
            target=source,
            title=title,
            name=name,
            data=demo_pdf(title, lines),
            user=leader,
        )
        created += 1
    return created
