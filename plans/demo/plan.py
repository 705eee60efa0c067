"""Demo: the plan of approach of Apeldoorn, adopted as version 1 and past the gate to step 5.

Builds on the analysis demo of Apeldoorn (analysis/demo/apeldoorn.py): passes the gate 3 -> 4,
writes the plan's texts and eight SMART measures for its knelpunten, adopts it in a held
working-group meeting, records that it was shared with the mayor and the council, and passes
the gate 4 -> 5 so that the covenant's demo (plans/demo/covenant.py) can follow. Idempotent.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from analysis.demo.apeldoorn import LEADER, PROJECT, working_group_meeting
from analysis.models import Analysis, FigureKind, KeyFigure, Theme
from kvu import guide
from kvu.guide_services import pass_gate
from kvu.models import CcvStep, Project
from partners.models import Participation
from plans.models import Measure, Plan
from plans.plan import services
from plans.plan.models import EvidenceStatus
from plans.services import start_plan

GEMEENTE = "Gemeente Apeldoorn – Veiligheid"
POLITIE = "Politie Oost-Nederland, basisteam Apeldoorn"
KHN = "KHN afdeling Apeldoorn"
VERENIGING = "Horecavereniging Apeldoorn Centrum"

TEXTS = {
    "motives": (
        "De veiligheidsanalyse laat zien dat het geweld in het centrum rond sluitingstijd "
        "toeneemt en zich op het Caterplein concentreert. Bezoekers voelen zich in de Beekstraat "
        "onveilig en bewoners van de Nieuwstraat klagen over overlast. Gemeente, politie, KHN en "
        "de horeca willen dit samen aanpakken."
    ),
    "goal": (
        "Eind 2028 is het aantal geweldsincidenten op vrijdag- en zaterdagnacht met een kwart "
        "gedaald ten opzichte van 2025, voelen bezoekers zich veiliger in het centrum en hebben "
        "horeca, politie en gemeente een vast overleg."
    ),
    "decision_making": (
        "De werkgroep besluit over de uitvoering en over aanpassingen van de maatregelen. "
        "Besluiten over budget en handhaving neemt de burgemeester; de werkgroep legt ze voor "
        "via de projectleider. Het plan wordt elk jaar in de werkgroep herijkt."
    ),
    "organisation": (
        "De gemeente heeft de regie; de projectleider zit de werkgroep voor, die elk kwartaal "
        "vergadert. Elke maatregel heeft één verantwoordelijke partner die de voortgang meldt."
    ),
    "evaluation": (
        "Na een jaar bespreekt de werkgroep de tussenstand aan de hand van de politiecijfers. "
        "Eind 2028 volgen de nameting van de kerncijfers en een evaluatie van de samenwerking."
    ),
}
MEETING_TITLE = "Werkgroep KVU Centrum: vaststelling plan van aanpak"

# (knelpunt title or None, theme, title, indicator, unit, baseline key figure kind or
#  (value, source), target, responsible, contributors, costs, paid by, evidence)
MEASURES = [
    (
        "Geweld rond sluitingstijd op het Caterplein",
        Theme.SAFETY,
        "Gezamenlijke huisregels en een portiersoverleg voor het Caterplein",
        "geweldsincidenten op vrijdag- en zaterdagnacht",
        "per jaar",
        FigureKind.VIOLENCE,
        35,
        KHN,
        [VERENIGING, POLITIE],
        2500,
        "KHN en de horecavereniging",
        EvidenceStatus.PROMISING,
    ),
    (
        "Geweld rond sluitingstijd op het Caterplein",
        Theme.SAFETY,
        "Gespreide sluitingstijden voor de twee clubs aan het plein",
        "incidenten tussen 02:30 en 04:00 uur",
        "per jaar",
        FigureKind.INCIDENTS,
        95,
        GEMEENTE,
        [KHN, VERENIGING],
        0,
        "",
        EvidenceStatus.UNKNOWN,
    ),
    (
        "Geluidsoverlast en wildplassen in de Nieuwstraat",
        Theme.NUISANCE,
        "Training verantwoord alcoholschenken voor het barpersoneel",
        "aandeel getraind barpersoneel in het centrum",
        "%",
        (10, "Rondvraag horecavereniging, 2025"),
        80,
        VERENIGING,
        [KHN],
        6000,
        "KHN en de horecavereniging, ieder de helft",
        EvidenceStatus.EFFECTIVE,
    ),
    (
        "Geluidsoverlast en wildplassen in de Nieuwstraat",
        Theme.NUISANCE,
        "Tijdelijke urinoirs in de Nieuwstraat op vrijdag- en zaterdagnacht",
        "meldingen van overlast",
        "per jaar",
        FigureKind.NUISANCE,
        160,
        GEMEENTE,
        [],
        8000,
        "gemeente, budget openbare ruimte",
        EvidenceStatus.UNKNOWN,
    ),
    (
        "Slechte verlichting in de Beekstraat",
        Theme.MAINTENANCE,
        "Verlichting in de Beekstraat vervangen en elke maand controleren",
        "defecte lichtpunten bij de nachtschouw",
        "aantal",
        (7, "Nachtschouw werkgroep"),
        0,
        GEMEENTE,
        [POLITIE],
        18000,
        "gemeente, budget openbare verlichting",
        EvidenceStatus.PROMISING,
    ),
    (
        "Horeca en politie weten elkaar niet te vinden",
        Theme.IMAGE,
        "Horecaoverleg met politie en gemeente, elk kwartaal",
        "gehouden horecaoverleggen",
        "per jaar",
        (0, "Werkgroep, 2025"),
        4,
        GEMEENTE,
        [POLITIE, KHN, VERENIGING],
        0,
        "",
        EvidenceStatus.UNKNOWN,
    ),
    (
        "Drukte bij de taxistandplaats op het Marktplein",
        Theme.OTHER,
        "Taxi-opstapplaats met toezicht op vrijdag- en zaterdagnacht",
        "wachtenden om 03:00 uur bij de standplaats",
        "aantal",
        (60, "Nachtschouw werkgroep"),
        20,
        GEMEENTE,
        [POLITIE],
        12000,
        "gemeente en de taxibedrijven",
        EvidenceStatus.UNKNOWN,
    ),
    (
        None,
        Theme.SECURING,
        "Voortgangsrapportage aan de burgemeester, elk half jaar",
        "voortgangsrapportages",
        "per jaar",
        (0, "Werkgroep, 2025"),
        2,
        GEMEENTE,
        [],
        0,
        "",
        EvidenceStatus.UNKNOWN,
    ),
]


def _partner(project, name):
    found = Participation.objects.filter(project=project, organisation__name=name).first()
    return found or Participation.objects.filter(project=project).order_by("pk").first()


def _pass(project, leader, reason):
    state = guide.evaluate([project])[project.pk]
    pass_gate(
        project=project,
        user=leader,
        reason=reason,
        acknowledged=[s.step.key for s in state.required_open],
    )
    project.refresh_from_db(fields=["ccv_step"])


def _measures(plan, project) -> int:
    if Measure.objects.filter(plan=plan).exists():
        return 0
    knelpunten = {k.title: k for k in plan.analysis.knelpunten.all()}
    figures = {}
    for figure in KeyFigure.objects.filter(analysis=plan.analysis).order_by("kind", "-year"):
        figures.setdefault(figure.kind, figure)
    start = plan.starts_on
    for (
        knelpunt,
        theme,
        title,
        indicator,
        unit,
        baseline,
        target,
        responsible,
        contributors,
        costs,
        paid_by,
        evidence,
    ) in MEASURES:
        if isinstance(baseline, tuple):
            value, source = baseline
        else:
            figure = figures.get(baseline)
            value = figure.value if figure else None
            source = (
                f"{figure.get_kind_display()} {figure.year}: {figure.source}"[:200]
                if figure
                else ""
            )
        services.add_measure(
            plan=plan,
            fields={
                "knelpunt": knelpunten.get(knelpunt),
                "theme": theme,
                "title": title,
                "description": "",
                "indicator": indicator,
                "unit": unit,
                "baseline": Decimal(value) if value is not None else None,
                "baseline_source": source,
                "target": Decimal(target),
                "target_date": plan.ends_on,
                "responsible": _partner(project, responsible),
                "costs": Decimal(costs),
                "paid_by": paid_by,
                "starts_on": start,
                "ends_on": plan.ends_on,
                "evidence": evidence,
            },
            contributors=[
                p
                for p in (_partner(project, name) for name in contributors)
                if p and p.pk != _partner(project, responsible).pk
            ],
        )
    return len(MEASURES)


def load() -> int:
    project = Project.objects.filter(name=PROJECT).first()
    leader = get_user_model().objects.filter(username=LEADER).first()
    if project is None or leader is None or Analysis.objects.current(project) is None:
        return 0
    created = 0
    if project.ccv_step == CcvStep.SAFETY_ANALYSIS:
        _pass(
            project,
            leader,
            "De ondernemersenquête volgt bij de volgende cyclus; de werkgroep gaat door met "
            "het plan.",
        )
        created += 1
    if project.ccv_step < CcvStep.PLAN:
        return created
    plan = Plan.objects.current(project) or start_plan(project=project, user=leader)
    if not plan.goal:
        today = timezone.localdate()
        services.save_texts(
            plan=plan,
            fields={
                **TEXTS,
                "starts_on": today.replace(day=1),
                "ends_on": datetime.date(today.year + 2, 12, 31),
            },
        )
        created += 1
    created += _measures(plan, project)
    if not plan.versions.exists():
        meeting, new = working_group_meeting(
            project,
            leader,
            title=MEETING_TITLE,
            days_ago=14,
            minutes="De werkgroep stelt het plan van aanpak met acht maatregelen vast.",
        )
        created += new
        with translation.override("nl"):
            services.adopt_plan(plan=plan, meeting=meeting, user=leader)
        created += 1
    if not plan.shared_on:
        services.share_plan(
            plan=plan,
            on=timezone.localdate() - datetime.timedelta(days=10),
            with_whom="de burgemeester en de gemeenteraad, ter kennisname",
        )
    if project.ccv_step == CcvStep.PLAN:
        _pass(project, leader, "")
        created += 1
    return created
