"""Demo data of the analysis' report part: a report in progress for Enschede.

Introduction and method written, the summary still empty; three conclusions and two
recommendations resting on whatever findings, figures, survey questions and sources the other
parts' demos made; three knelpunten. The conclusions are not agreed and the report is not
shared yet, so step 3's guide shows work to do. Idempotent: nothing is added twice.
"""

from analysis.models import (
    ConclusionKind,
    FigureKind,
    Finding,
    FindingCategory,
    KeyFigure,
    Question,
    Severity,
    Source,
    SourceKind,
    Street,
    Theme,
)
from analysis.report import services

INTRODUCTION = (
    "De binnenstad van Enschede trekt elk weekend duizenden bezoekers. Gemeente, politie, KHN "
    "en de horecaondernemers hebben in de intentieverklaring afgesproken samen te werken aan "
    "een veilig uitgaansgebied. Deze veiligheidsanalyse beschrijft hoe het gebied er nu voor "
    "staat en is het vertrekpunt voor het plan van aanpak."
)
METHOD = (
    "De werkgroep heeft de politiecijfers van de afgelopen drie jaar opgevraagd, het gebied "
    "overdag en 's nachts geschouwd met politie, horeca en gemeente, en de ondernemers en "
    "bezoekers een enquête voorgelegd. De wijkagent haalde de ondernemersenquête langs de deur "
    "op."
)

CONCLUSIONS = [
    (
        "In de stegen rond de Oude Markt is de verlichting 's nachts onvoldoende; bezoekers "
        "voelen zich daar onveilig.",
        {"category": FindingCategory.VISIBILITY},
        [FigureKind.VIOLENCE],
        [SourceKind.WALK_THROUGH],
    ),
    (
        "Het aantal geweldsincidenten in het uitgaansgebied is de afgelopen drie jaar gestegen, "
        "vooral tussen 02:00 en 04:00 uur.",
        {},
        [FigureKind.INCIDENTS, FigureKind.VIOLENCE],
        [SourceKind.POLICE_FIGURES],
    ),
    (
        "Bij sluitingstijd ontstaan opstoppingen bij de taxistandplaats op de Oude Markt.",
        {"category": FindingCategory.TRAFFIC},
        [],
        [SourceKind.OBSERVATIONS],
    ),
]
RECOMMENDATIONS = [
    (
        "Vervang en verbeter de verlichting in de stegen en laat de gemeente de lampen elke "
        "maand controleren.",
        {"category": FindingCategory.VISIBILITY},
        [],
        [SourceKind.WALK_THROUGH],
    ),
    (
        "Maak met de taxibedrijven afspraken over een opstapplaats met toezicht op vrijdag- en "
        "zaterdagnacht.",
        {"category": FindingCategory.TRAFFIC},
        [],
        [],
    ),
]
KNELPUNTEN = [
    (
        Theme.SAFETY,
        "Donkere stegen rond de Oude Markt",
        "Slecht verlichte stegen waar bezoekers zich 's nachts onveilig voelen.",
        "Stegen tussen Oude Markt en Walstraat",
        {"category": FindingCategory.VISIBILITY},
    ),
    (
        Theme.NUISANCE,
        "Geweld na sluitingstijd",
        "Meer geweldsincidenten tussen 02:00 en 04:00 uur, als bezoekers tegelijk vertrekken.",
        "",
        {"severity": Severity.RED},
    ),
    (
        Theme.MAINTENANCE,
        "Opstoppingen bij de taxistandplaats",
        "Drukte en ruzies bij de taxi's bij sluitingstijd.",
        "Taxistandplaats Oude Markt",
        {"category": FindingCategory.TRAFFIC},
    ),
]


def _evidence(analysis, finding_filter, figure_kinds, source_kinds):
    findings = Finding.objects.filter(walk_through__analysis=analysis)
    findings = findings.filter(**finding_filter) if finding_filter else findings.none()
    questions = Question.objects.filter(survey__analysis=analysis).order_by("survey", "position")
    return {
        "findings": list(findings.order_by("pk").values_list("pk", flat=True)[:3]),
        "figures": list(
            KeyFigure.objects.filter(analysis=analysis, kind__in=figure_kinds).values_list(
                "pk", flat=True
            )
        ),
        "questions": list(questions.values_list("pk", flat=True)[:1]),
        "sources": list(
            Source.objects.filter(analysis=analysis, kind__in=source_kinds).values_list(
                "pk", flat=True
            )
        ),
    }


def load(analysis, leader) -> int:
    created = 0
    if not analysis.introduction and not analysis.method:
        services.save_report_texts(
            analysis=analysis, introduction=INTRODUCTION, summary="", method=METHOD
        )
    if not analysis.conclusions.exists():
        for kind, items in (
            (ConclusionKind.CONCLUSION, CONCLUSIONS),
            (ConclusionKind.RECOMMENDATION, RECOMMENDATIONS),
        ):
            for text, finding_filter, figure_kinds, source_kinds in items:
                services.add_conclusion(
                    analysis=analysis,
                    kind=kind,
                    text=text,
                    evidence=_evidence(analysis, finding_filter, figure_kinds, source_kinds),
                )
                created += 1
    if not analysis.knelpunten.exists():
        streets = list(Street.objects.filter(analysis=analysis).order_by("position", "pk")[:2])
        for theme, title, description, location, finding_filter in KNELPUNTEN:
            services.add_knelpunt(
                analysis=analysis,
                fields={
                    "theme": theme,
                    "title": title,
                    "description": description,
                    "location": location,
                },
                streets=streets[:1] if location else [],
                evidence=_evidence(analysis, finding_filter, [], []),
            )
            created += 1
    return created
