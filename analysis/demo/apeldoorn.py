"""Demo data of the analysis of Apeldoorn: a compact, finished safety analysis of the centre.

The project passes the gate to step 3; its analysis has a profile, four streets, key figures for
2023-2025, the six indispensable sources closed, a night walk-through with findings, three
conclusions, five knelpunten across the themes, the conclusions agreed in a held working-group
meeting and the report shared. The plan of approach builds on it (plans/demo/plan.py).
Idempotent: what exists is left alone.
"""

import datetime
import uuid
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from analysis.models import (
    INDISPENSABLE_SOURCES,
    Analysis,
    ConclusionKind,
    FigureKind,
    FindingCategory,
    KeyFigure,
    Severity,
    SourceKind,
    SourceStatus,
    Street,
    Theme,
    WalkThrough,
)
from analysis.profile import services as profile_services
from analysis.report import services as report_services
from analysis.services import start_analysis
from analysis.sources import services as source_services
from analysis.walkthrough import services as walk_services
from kvu import guide
from kvu.guide_services import pass_gate
from kvu.models import CcvStep, Project
from meetings import services as meeting_services
from meetings.models import Attendance, Attendee, Meeting, MeetingKind, MeetingStatus
from partners.models import Person

PROJECT = "KVU Centrum Apeldoorn"
LEADER = "projectleider2"
STREETS = ["Caterplein", "Marktplein", "Nieuwstraat", "Beekstraat"]
PROFILE = {
    "description": (
        "Het uitgaansgebied ligt in het centrum van Apeldoorn, rond het Caterplein en het "
        "Marktplein. De Nieuwstraat en de Beekstraat verbinden beide pleinen; aan de pleinen "
        "liggen de meeste cafés en de twee clubs."
    ),
    "functions": "Winkels, wonen boven de winkels, het theater Orpheus, parkeergarage Brinklaan.",
    "capacity": 3500,
    "peak_nights": "Vrijdag en zaterdag, en Koningsnacht",
    "peak_hours": "01:00-04:00",
}
FIGURES = [
    (FigureKind.INCIDENTS, [(2023, 128), (2024, 119), (2025, 124)]),
    (FigureKind.VIOLENCE, [(2023, 41), (2024, 44), (2025, 46)]),
    (FigureKind.NUISANCE, [(2023, 212), (2024, 198), (2025, 205)]),
]
FIGURE_SOURCE = "Politie Oost-Nederland, BVH-bevraging uitgaansgebied centrum"
FINDINGS = [
    (
        "Beekstraat",
        FindingCategory.VISIBILITY,
        Severity.RED,
        "Drie lantaarns defect; de steeg naar de Hoofdstraat is 's nachts aardedonker.",
    ),
    (
        "Nieuwstraat",
        FindingCategory.ATTRACTIVENESS,
        Severity.ORANGE,
        "Sporen van wildplassen in portieken; geen openbaar urinoir in de buurt.",
    ),
    (
        "Marktplein",
        FindingCategory.TRAFFIC,
        Severity.ORANGE,
        "Om 03:00 staat een rij van zestig wachtenden bij de taxistandplaats, zonder toezicht.",
    ),
    (
        "Caterplein",
        FindingCategory.ACCESS,
        Severity.RED,
        "Bij sluitingstijd stromen twee clubs tegelijk leeg op het plein; duw- en trekwerk.",
    ),
]
CONCLUSIONS = [
    "Het geweld concentreert zich rond sluitingstijd op het Caterplein, vooral tussen 02:30 "
    "en 04:00 uur.",
    "In de Beekstraat en de steeg naar de Hoofdstraat is de verlichting onvoldoende.",
    "Horecaondernemers en politie hebben geen vast overleg; incidenten worden pas achteraf "
    "besproken.",
]
KNELPUNTEN = [
    (Theme.SAFETY, "Geweld rond sluitingstijd op het Caterplein", "Caterplein, 02:30-04:00 uur"),
    (Theme.NUISANCE, "Geluidsoverlast en wildplassen in de Nieuwstraat", "Nieuwstraat"),
    (
        Theme.MAINTENANCE,
        "Slechte verlichting in de Beekstraat",
        "Beekstraat en steeg naar de Hoofdstraat",
    ),
    (Theme.IMAGE, "Horeca en politie weten elkaar niet te vinden", ""),
    (Theme.OTHER, "Drukte bij de taxistandplaats op het Marktplein", "Marktplein"),
]
MEETING_TITLE = "Werkgroep KVU Centrum: conclusies veiligheidsanalyse"
PERSONS = ["Karin de Groot", "Rob Scholten", "Monique Verhoef", "Frank Jansen"]


def working_group_meeting(project, leader, *, title, days_ago, minutes=""):
    """A held working-group meeting of Apeldoorn with its people present (once per title)."""
    meeting = Meeting.objects.filter(project=project, title=title).first()
    if meeting is not None:
        return meeting, False
    with translation.override("nl"):
        meeting = meeting_services.create_meeting(
            project=project,
            user=leader,
            data={
                "title": title,
                "kind": MeetingKind.WORKING_GROUP,
                "date": timezone.localdate() - datetime.timedelta(days=days_ago),
                "start_time": datetime.time(19, 30),
                "end_time": datetime.time(21, 30),
                "location": "Stadhuis Apeldoorn, Marktplein 1, zaal 3",
                "status": MeetingStatus.HELD,
                "notes": minutes,
            },
        )
    Attendee.objects.create(meeting=meeting, user=leader, attendance=Attendance.PRESENT)
    for person in Person.objects.filter(
        organisation__municipality=project.municipality, name__in=PERSONS
    ).order_by("pk"):
        Attendee.objects.create(meeting=meeting, person=person, attendance=Attendance.PRESENT)
    return meeting, True


def _fill(analysis, leader) -> int:
    created = 0
    today = timezone.localdate()
    profile = analysis.profile
    if not profile.description:
        profile_services.update_profile(profile=profile, **PROFILE)
        created += 1
    streets = {}
    for name in STREETS:
        street = Street.objects.filter(analysis=analysis, name=name).first()
        if street is None:
            street = profile_services.add_street(analysis=analysis, name=name)
            created += 1
        streets[name] = street
    for kind, values in FIGURES:
        for year, value in values:
            if not KeyFigure.objects.filter(analysis=analysis, kind=kind, year=year).exists():
                profile_services.add_figure(
                    analysis=analysis,
                    kind=kind,
                    label="",
                    year=year,
                    value=Decimal(value),
                    source=FIGURE_SOURCE,
                )
                created += 1
    for source in analysis.sources.filter(kind__in=INDISPENSABLE_SOURCES).exclude(
        status__in=[SourceStatus.DONE, SourceStatus.NOT_USED]
    ):
        not_used = source.kind == SourceKind.RESIDENT_SURVEY
        source_services.update_source(
            source=source,
            status=SourceStatus.NOT_USED if not_used else SourceStatus.DONE,
            reason_not_used="Er wonen weinig mensen aan de pleinen; de wijkagent sprak de "
            "bewoners van de Nieuwstraat persoonlijk."
            if not_used
            else "",
            responsible_user=leader,
            responsible_partner=None,
            planned_on=None,
            done_on=None if not_used else today - datetime.timedelta(days=60),
            notes="",
        )
        created += 1
    walk = WalkThrough.objects.filter(analysis=analysis, timing="night").first()
    if walk is None:
        walk = walk_services.create_walk_through(
            analysis=analysis,
            user=leader,
            data={
                "timing": "night",
                "date": today - datetime.timedelta(days=70),
                "start_time": datetime.time(1, 30),
                "notes": "Schouw met politie, gemeente en de horecavereniging.",
            },
        )
        created += 1
    for index, (street, category, severity, description) in enumerate(FINDINGS):
        _finding, new = walk_services.record_finding(
            walk_through=walk,
            user=leader,
            client_key=uuid.uuid5(uuid.NAMESPACE_URL, f"kvu-demo-apeldoorn-finding-{index}"),
            data={
                "street": streets[street],
                "category": category,
                "severity": severity,
                "description": description,
            },
        )
        created += new
    if not analysis.conclusions.exists():
        for text in CONCLUSIONS:
            report_services.add_conclusion(
                analysis=analysis, kind=ConclusionKind.CONCLUSION, text=text, evidence={}
            )
            created += 1
    if not analysis.knelpunten.exists():
        for theme, title, location in KNELPUNTEN:
            street = next((streets[s] for s in STREETS if location.startswith(s)), None)
            report_services.add_knelpunt(
                analysis=analysis,
                fields={"theme": theme, "title": title, "description": "", "location": location},
                streets=[street] if street else [],
                evidence={},
            )
            created += 1
    if analysis.conclusions_agreed_in_id is None:
        meeting, new = working_group_meeting(
            analysis.project,
            leader,
            title=MEETING_TITLE,
            days_ago=45,
            minutes="De werkgroep herkent de conclusies en de vijf knelpunten.",
        )
        created += new
        report_services.agree_conclusions(analysis=analysis, meeting=meeting)
    if not analysis.report_shared_on:
        report_services.share_report(
            analysis=analysis,
            on=today - datetime.timedelta(days=40),
            with_whom="de werkgroep, de burgemeester en de raadscommissie Bestuur",
        )
    return created


def load() -> int:
    project = Project.objects.filter(name=PROJECT).first()
    leader = get_user_model().objects.filter(username=LEADER).first()
    if project is None or leader is None:
        return 0
    created = 0
    if project.ccv_step == CcvStep.INITIATIVE:
        state = guide.evaluate([project])[project.pk]
        pass_gate(
            project=project,
            user=leader,
            reason="De burgemeester wil door; KHN en de horecavereniging tekenen na de "
            "eerste werkgroep.",
            acknowledged=[s.step.key for s in state.required_open],
        )
        created += 1
    analysis = Analysis.objects.current(project)
    if analysis is None:
        analysis = start_analysis(project=project, user=leader)
        created += 1
    return created + _fill(analysis, leader)
