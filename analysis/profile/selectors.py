"""Reads of the area profile: the hospitality partners as establishments, streets, key figures."""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count

from analysis.models import (
    Conclusion,
    Establishment,
    EstablishmentKind,
    FigureKind,
    KeyFigure,
    Knelpunt,
    Street,
)
from partners.models import OrganisationKind, Participation


def hospitality_partners(project):
    """The project's hospitality businesses: the establishments the area profile counts."""
    return (
        Participation.objects.filter(
            project=project, organisation__kind=OrganisationKind.HOSPITALITY
        )
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )


def streets_with_counts(analysis):
    """The analysis' streets, each with the number of findings and establishments on it."""
    return Street.objects.filter(analysis=analysis).annotate(
        finding_count=Count("findings", distinct=True),
        establishment_count=Count("establishments", distinct=True),
    )


@dataclass
class EstablishmentRow:
    participation: Participation
    establishment: Establishment | None


@dataclass
class KindCount:
    kind: str
    label: str
    count: int


@dataclass
class Establishments:
    rows: list[EstablishmentRow]
    kinds: list[KindCount]
    not_described: int
    total_capacity: int
    with_capacity: int


def establishments_of(analysis, project) -> Establishments:
    """Every hospitality partner with what the analysis knows of it, counted per kind.

    Two queries whatever the number of partners: the partners, and the analysis' rows of them.
    """
    partners = list(hospitality_partners(project))
    known = {
        e.participation_id: e
        for e in Establishment.objects.filter(analysis=analysis).select_related("street")
    }
    rows = [EstablishmentRow(p, known.get(p.pk)) for p in partners]
    described = [row.establishment for row in rows if row.establishment is not None]
    counts = Counter(e.kind for e in described)
    kinds = [
        KindCount(kind.value, kind.label, counts[kind.value])
        for kind in EstablishmentKind
        if counts[kind.value]
    ]
    capacities = [e.capacity for e in described if e.capacity is not None]
    return Establishments(
        rows=rows,
        kinds=kinds,
        not_described=len(rows) - len(described),
        total_capacity=sum(capacities),
        with_capacity=len(capacities),
    )


@dataclass
class Series:
    """One key figure over the years: its name and its rows, oldest year first."""

    kind: str
    label: str
    name: str
    figures: list[KeyFigure] = field(default_factory=list)
    key: str = ""  # an id for the page: the figure's table and chart

    @property
    def points(self) -> list[tuple[int, Decimal]]:
        return [(figure.year, figure.value) for figure in self.figures]


def figure_series(analysis) -> list[Series]:
    """The analysis' key figures grouped per figure (the named kinds first), in one query."""
    order = {kind.value: i for i, kind in enumerate(FigureKind)}
    series: dict[tuple[str, str], Series] = {}
    figures = KeyFigure.objects.filter(analysis=analysis).order_by("kind", "label", "year", "pk")
    for figure in figures:
        key = (figure.kind, figure.label)
        if key not in series:
            name = figure.label if figure.kind == FigureKind.OTHER else figure.get_kind_display()
            series[key] = Series(figure.kind, figure.label, str(name))
        series[key].figures.append(figure)
    ordered = sorted(series.values(), key=lambda s: (order.get(s.kind, 99), s.label.lower()))
    for number, one in enumerate(ordered, start=1):
        one.key = f"series-{number}"
    return ordered


def citing(figure: KeyFigure) -> list:
    """The conclusions and knelpunten that name `figure` as evidence."""
    return [
        *Conclusion.objects.filter(figures=figure),
        *Knelpunt.objects.filter(figures=figure),
    ]
