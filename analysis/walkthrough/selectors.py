"""Reads of the walk-through used by more than one page: findings in the order they are shown."""

from itertools import groupby

from django.db.models import Case, F, IntegerField, Value, When
from django.utils.translation import gettext as _

from analysis.models import Finding, FindingCategory, Severity

SEVERITY_ORDER = [Severity.RED, Severity.ORANGE, Severity.GREEN]


def _rank(field, values):
    return Case(
        *(When(**{field: value}, then=Value(i)) for i, value in enumerate(values)),
        default=Value(len(values)),
        output_field=IntegerField(),
    )


def findings_shown(queryset=None):
    """Findings with what every list shows (street, who should act, the walk-through)."""
    queryset = Finding.objects.all() if queryset is None else queryset
    return queryset.select_related(
        "street", "action_by__organisation", "walk_through__analysis"
    ).annotate(
        severity_rank=_rank("severity", SEVERITY_ORDER),
        category_rank=_rank("category", FindingCategory.values),
    )


def per_street(queryset):
    """Per street in the leader's street order (findings without a street last), red first."""
    return queryset.order_by(
        F("street__position").asc(nulls_last=True),
        F("street__name").asc(nulls_last=True),
        "severity_rank",
        "pk",
    )


def per_category(queryset):
    """Per CCV category in CCV's order, red first."""
    return queryset.order_by("category_rank", "severity_rank", "pk")


def street_label(finding) -> str:
    return finding.street.name if finding.street_id else _("No street given")


def category_label(finding) -> str:
    return str(finding.get_category_display())


def grouped(findings, label) -> list[tuple[str, list]]:
    """Consecutive findings with the same label (an ordered page) as (label, findings)."""
    return [(key, list(items)) for key, items in groupby(findings, key=label)]
