"""The plan as a frozen snapshot: written when the working group adopts it, read for its pages.

`snapshot(plan)` captures the plan's texts, the analysis' knelpunten and every measure as plain
JSON (codes, not labels, so a version reads in every language); `read(content)` turns a snapshot
into what the pages and the PDF show. The live plan is shown through the same reading of a
snapshot taken on the spot, so a live page and an adopted version look the same and cannot
drift apart. `changes(old, new)` says in words what changed between two snapshots.

Snapshots name organisations, never persons. Their free texts (the plan's texts, a measure's
description) are copied as they were adopted: like a signed text, an adopted version is not
rewritten when a person is anonymised (docs/privacy.md), so these texts should not name people.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db.models import Prefetch
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from analysis.models import Theme
from analysis.report.selectors import knelpunten_of
from partners.models import KvuRole, OrganisationKind, Participation, Stage
from plans.models import Measure, Plan
from plans.plan.models import EvidenceStatus

SCHEMA = 1

# The measure's fields a snapshot keeps, in the order a change is described.
MEASURE_FIELDS = [
    "knelpunt_id",
    "theme",
    "title",
    "description",
    "indicator",
    "unit",
    "baseline",
    "baseline_source",
    "target",
    "target_date",
    "responsible_id",
    "contributors",
    "costs",
    "paid_by",
    "starts_on",
    "ends_on",
    "evidence",
]
# The measures the Keuzewijzer knows no effect of: the pages warn about them.
WARNED = (EvidenceStatus.UNKNOWN, EvidenceStatus.NOT_EFFECTIVE)


def _day(value):
    return value.isoformat() if value else None


def _number(value):
    return None if value is None else str(value)


def measures_of(plan):
    """The plan's measures with their partners, in the matrix' order (two queries)."""
    return (
        Measure.objects.filter(plan=plan)
        .select_related("responsible__organisation")
        .prefetch_related(
            Prefetch(
                "contributors",
                queryset=Participation.objects.select_related("organisation").order_by(
                    "organisation__name", "pk"
                ),
            )
        )
        .order_by("theme", "position", "pk")
    )


def participants_of(plan):
    """The partners of the project, as the plan's appendix lists them: those approached, less
    those who declined."""
    return (
        Participation.objects.filter(project_id=plan.project_id)
        .exclude(stage__in=[Stage.NOT_APPROACHED, Stage.DECLINED])
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )


def snapshot(plan: Plan) -> dict:
    """The plan as it is now, as JSON: texts, dates, knelpunten, measures and participants."""
    measures = []
    for m in measures_of(plan):
        measures.append(
            {
                "id": m.pk,
                "knelpunt_id": m.knelpunt_id,
                "theme": m.theme,
                "title": m.title,
                "description": m.description,
                "indicator": m.indicator,
                "unit": m.unit,
                "baseline": _number(m.baseline),
                "baseline_source": m.baseline_source,
                "target": _number(m.target),
                "target_date": _day(m.target_date),
                "responsible_id": m.responsible_id,
                "responsible": m.responsible.organisation.name,
                "contributors": [c.organisation.name for c in m.contributors.all()],
                "costs": _number(m.costs),
                "paid_by": m.paid_by,
                "starts_on": _day(m.starts_on),
                "ends_on": _day(m.ends_on),
                "evidence": m.evidence,
            }
        )
    return {
        "schema": SCHEMA,
        "texts": {name: getattr(plan, name) for name in Plan.TEXT_FIELDS},
        "starts_on": _day(plan.starts_on),
        "ends_on": _day(plan.ends_on),
        "knelpunten": [
            {"id": k.pk, "theme": k.theme, "title": k.title, "location": k.location}
            for k in knelpunten_of(plan.analysis)
        ],
        "measures": measures,
        "participants": [
            {"name": p.organisation.name, "kind": p.organisation.kind, "role": p.role}
            for p in participants_of(plan)
        ],
    }


def comparable(content: dict) -> dict:
    """What makes two versions of the plan differ: texts, dates, knelpunten and measures (the
    participants list is an appendix of the moment, not part of what was adopted)."""
    return {
        key: content.get(key) for key in ("texts", "starts_on", "ends_on", "knelpunten", "measures")
    }


def differs(plan_content: dict, version_content: dict) -> bool:
    return comparable(plan_content) != comparable(version_content)


# --- reading a snapshot ---


def _as_date(value):
    try:
        return datetime.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def _as_decimal(value):
    try:
        return Decimal(value) if value not in (None, "") else None
    except (InvalidOperation, TypeError, ValueError):
        return None


def _label(choices, value):
    try:
        return choices(value).label
    except ValueError:
        return value or ""


@dataclass
class MeasureRow:
    """One measure as a page shows it, from a snapshot."""

    id: int
    theme: str
    title: str
    description: str
    indicator: str
    unit: str
    baseline: Decimal | None
    baseline_source: str
    target: Decimal | None
    target_date: datetime.date | None
    responsible: str
    contributors: list
    costs: Decimal | None
    paid_by: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    evidence: str
    knelpunt_id: int | None = None

    @property
    def evidence_label(self):
        return _label(EvidenceStatus, self.evidence)

    @property
    def warned(self) -> bool:
        return self.evidence in WARNED

    @property
    def not_effective(self) -> bool:
        return self.evidence == EvidenceStatus.NOT_EFFECTIVE

    @property
    def smart(self) -> bool:
        return bool(self.indicator and self.unit and self.target is not None and self.target_date)


@dataclass
class KnelpuntRow:
    id: int
    title: str
    location: str
    measures: list = field(default_factory=list)


@dataclass
class ThemeGroup:
    code: str
    label: str
    knelpunten: list = field(default_factory=list)
    loose: list = field(default_factory=list)  # measures without a knelpunt

    @property
    def measure_count(self) -> int:
        return len(self.loose) + sum(len(k.measures) for k in self.knelpunten)


def read(content: dict) -> dict:
    """What the pages and the PDF show of a snapshot: texts, dates, the matrix by theme."""
    texts_of = content.get("texts") or {}
    labels = {name: Plan._meta.get_field(name).verbose_name for name in Plan.TEXT_FIELDS}
    groups = {code: ThemeGroup(code, label) for code, label in Theme.choices}
    knelpunten = {}
    for item in content.get("knelpunten") or []:
        row = KnelpuntRow(item.get("id"), item.get("title", ""), item.get("location", ""))
        knelpunten[row.id] = row
        groups.get(item.get("theme"), groups[Theme.OTHER]).knelpunten.append(row)
    measures = []
    for item in content.get("measures") or []:
        row = MeasureRow(
            id=item.get("id"),
            theme=item.get("theme", ""),
            title=item.get("title", ""),
            description=item.get("description", ""),
            indicator=item.get("indicator", ""),
            unit=item.get("unit", ""),
            baseline=_as_decimal(item.get("baseline")),
            baseline_source=item.get("baseline_source", ""),
            target=_as_decimal(item.get("target")),
            target_date=_as_date(item.get("target_date")),
            responsible=item.get("responsible", ""),
            contributors=list(item.get("contributors") or []),
            costs=_as_decimal(item.get("costs")),
            paid_by=item.get("paid_by", ""),
            starts_on=_as_date(item.get("starts_on")),
            ends_on=_as_date(item.get("ends_on")),
            evidence=item.get("evidence", ""),
            knelpunt_id=item.get("knelpunt_id"),
        )
        measures.append(row)
        if row.knelpunt_id in knelpunten:
            knelpunten[row.knelpunt_id].measures.append(row)
        else:
            groups.get(row.theme, groups[Theme.OTHER]).loose.append(row)
    themes = [g for g in groups.values() if g.knelpunten or g.loose]
    participants = [
        {
            "name": p.get("name", ""),
            "kind": _label(OrganisationKind, p.get("kind")),
            "role": _label(KvuRole, p.get("role")),
        }
        for p in content.get("participants") or []
    ]
    costs = [m.costs for m in measures if m.costs is not None]
    return {
        "texts": [(name, labels[name], texts_of.get(name, "")) for name in Plan.TEXT_FIELDS],
        "starts_on": _as_date(content.get("starts_on")),
        "ends_on": _as_date(content.get("ends_on")),
        "themes": themes,
        "measures": measures,
        "measure_count": len(measures),
        "warned_count": sum(1 for m in measures if m.warned),
        "uncovered": [k for k in knelpunten.values() if not k.measures],
        "total_costs": sum(costs, Decimal(0)) if costs else None,
        "participants": participants,
    }


# --- what changed between two versions ---


def _shown(name, value):
    if value in (None, "", []):
        return "–"
    if name in ("target_date", "starts_on", "ends_on"):
        day = _as_date(value)
        return date_format(day, "SHORT_DATE_FORMAT") if day else "–"
    if name in ("baseline", "target", "costs"):
        number = _as_decimal(value)
        return f"{number.normalize():f}" if number is not None else "–"
    return str(value)


def changes(old: dict, new: dict) -> list[str]:
    """What changed from snapshot `old` to snapshot `new`, one sentence per change."""
    lines = []
    old_texts, new_texts = old.get("texts") or {}, new.get("texts") or {}
    for name in Plan.TEXT_FIELDS:
        if (old_texts.get(name) or "").strip() != (new_texts.get(name) or "").strip():
            label = Plan._meta.get_field(name).verbose_name
            lines.append(_("Text changed: %(text)s.") % {"text": label})
    for name in ("starts_on", "ends_on"):
        if old.get(name) != new.get(name):
            lines.append(
                _("%(field)s changed from %(old)s to %(new)s.")
                % {
                    "field": str(Plan._meta.get_field(name).verbose_name).capitalize(),
                    "old": _shown(name, old.get(name)),
                    "new": _shown(name, new.get(name)),
                }
            )
    if (old.get("knelpunten") or []) != (new.get("knelpunten") or []):
        lines.append(_("The knelpunten of the analysis changed."))
    before = {m["id"]: m for m in old.get("measures") or []}
    after = {m["id"]: m for m in new.get("measures") or []}
    for pk, measure in after.items():
        if pk not in before:
            lines.append(_("Measure added: %(title)s.") % {"title": measure["title"]})
    for pk, measure in before.items():
        if pk not in after:
            lines.append(_("Measure removed: %(title)s.") % {"title": measure["title"]})
    for pk, measure in after.items():
        if pk not in before:
            continue
        was = before[pk]
        changed = []
        for name in MEASURE_FIELDS:
            if was.get(name) == measure.get(name):
                continue
            label = str(Measure._meta.get_field(name.removesuffix("_id")).verbose_name)
            if name in ("target", "baseline", "target_date", "costs"):
                label += f" ({_shown(name, was.get(name))} → {_shown(name, measure.get(name))})"
            elif name == "responsible_id":
                label += f" ({was.get('responsible', '–')} → {measure.get('responsible', '–')})"
            changed.append(label)
        if changed:
            lines.append(
                _("Measure changed: %(title)s (%(fields)s).")
                % {"title": measure["title"], "fields": ", ".join(changed)}
            )
    return lines
