"""Writes of the area profile: the profile, its streets, establishments and key figures.

Each is an ordinary save or delete, so the audit trail records it.
"""

from django.db import transaction

from analysis.models import AreaProfile, Establishment, KeyFigure, Street
from analysis.profile import selectors


@transaction.atomic
def update_profile(
    *,
    profile: AreaProfile,
    description: str,
    functions: str,
    capacity: int | None,
    peak_nights: str,
    peak_hours: str,
) -> AreaProfile:
    profile.description = description
    profile.functions = functions
    profile.capacity = capacity
    profile.peak_nights = peak_nights
    profile.peak_hours = peak_hours
    profile.save()
    return profile


@transaction.atomic
def add_street(*, analysis, name: str) -> Street:
    return Street.objects.create(analysis=analysis, name=name)


@transaction.atomic
def rename_street(*, street: Street, name: str) -> Street:
    street.name = name
    street.save()
    return street


@transaction.atomic
def delete_street(*, street: Street) -> None:
    """Delete a street; its findings and establishments stay, without a street.

    The database would clear those keys itself (SET_NULL) in one UPDATE the audit trail does
    not see; clearing them one by one first records each change, as does taking the street
    off the knelpunten that name it.
    """
    for finding in street.findings.all():
        finding.street = None
        finding.save(update_fields=["street"])
    for establishment in street.establishments.all():
        establishment.street = None
        establishment.save(update_fields=["street"])
    for knelpunt in street.knelpunten.all():
        knelpunt.streets.remove(street)
    street.delete()


@transaction.atomic
def save_establishment(
    *,
    analysis,
    participation,
    kind: str,
    opening_hours: str,
    capacity: int | None,
    street: Street | None,
) -> Establishment:
    """Create or update what the profile records of one hospitality partner."""
    establishment = Establishment.objects.filter(
        analysis=analysis, participation=participation
    ).first() or Establishment(analysis=analysis, participation=participation)
    establishment.kind = kind
    establishment.opening_hours = opening_hours
    establishment.capacity = capacity
    establishment.street = street
    establishment.save()
    return establishment


@transaction.atomic
def add_figure(*, analysis, kind: str, label: str, year: int, value, source: str) -> KeyFigure:
    return KeyFigure.objects.create(
        analysis=analysis, kind=kind, label=label, year=year, value=value, source=source
    )


@transaction.atomic
def update_figure(*, figure: KeyFigure, kind: str, label: str, year: int, value, source: str):
    figure.kind = kind
    figure.label = label
    figure.year = year
    figure.value = value
    figure.source = source
    figure.save()
    return figure


@transaction.atomic
def delete_figure(*, figure: KeyFigure) -> None:
    """Delete a figure; the conclusions and knelpunten that cite it lose it, each audited."""
    for item in selectors.citing(figure):
        item.figures.remove(figure)
    figure.delete()
