"""The phase guide: the steps of the preparatory phase and the registries the apps fill.

`kvu` never imports `partners` or `meetings`. Those apps register, in modules imported from their
AppConfig.ready():

- evidence providers for a step (`@guide.evidence("intro_talk")`): a function taking a LIST of
  projects and returning {project_id: Evidence}; it must issue a fixed number of queries,
  whatever the number of projects or partners, so that every page that shows the guide for one
  or for many projects keeps a constant query count. A step may have providers of several apps;
  the step is done when ANY of them reports done (e.g. "association involved" OR "presentation
  given").
- the support meter (`@guide.support_meter`): projects -> {project_id: Support}, and its course
  (`@guide.support_course`): project -> [(date, score)].
- timeline sources (`@guide.timeline_source("contact", label)`): (project, cursor, since, until,
  limit) -> [TimelineEntry], the newest `limit` entries strictly before the cursor.

Report sections use the panel slot "status_report" (kvu.panels) with kwargs project and pdf.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    why: str
    required: bool
    manual: bool = False


# The preparatory phase (CCV step 2, "initiative"), in the order a project leader works through
# it. Required steps guard the gate to the safety analysis; the others are strongly advised.
STEPS = [
    Step(
        "knowledge",
        _("Knowledge of safe nightlife in house"),
        _(
            "Knowing what works elsewhere helps you judge what is possible here and keeps the "
            "later steps on track. Tick it with a short note on how you got the knowledge."
        ),
        required=False,
        manual=True,
    ),
    Step(
        "intro_talk",
        _("Introductory talk with the mayor or alderman and the police chief"),
        _(
            "Without the backing of the mayor and the police the KVU does not get going. Discuss "
            "results of KVU projects elsewhere and what a KVU adds for this municipality."
        ),
        required=True,
    ),
    Step(
        "core_partners",
        _("Core partners selected"),
        _(
            "A lasting KVU needs the right participants: the municipality, the police, "
            "hospitality entrepreneurs and KHN all take part."
        ),
        required=True,
    ),
    Step(
        "khn",
        _("KHN's regional adviser involved"),
        _(
            "KHN's regional advisers know the entrepreneurs and can help win them over for the "
            "KVU; KHN counts as involved once it is at least interested."
        ),
        required=True,
    ),
    Step(
        "hospitality_support",
        _("Hospitality association involved or entrepreneurs' presentation given"),
        _(
            "Entrepreneurs often fear extra rules and costs. A local association or a clear "
            "presentation on experiences elsewhere builds trust."
        ),
        required=False,
    ),
    Step(
        "double_role",
        _("Agreements on the municipality's double role"),
        _(
            "The municipality enforces permits and rules and is a partner at the same time. "
            "Clear agreements about this prevent distrust among entrepreneurs."
        ),
        required=True,
    ),
    Step(
        "interests",
        _("Interests of every core partner recorded"),
        _(
            "Partners join for their own reasons, some for longer opening hours. Knowing every "
            "core partner's interests now avoids surprises later."
        ),
        required=True,
    ),
    Step(
        "shared_vision",
        _("Shared vision written"),
        _(
            "A shared vision is a success factor of every KVU: it says what the partners want "
            "to achieve together. It is part of the declaration of intent."
        ),
        required=True,
    ),
    Step(
        "declaration_signed",
        _("Declaration of intent signed by all core partners"),
        _(
            "With their signature the partners commit to the goal and to giving time and means; "
            "it secures everyone's commitment."
        ),
        required=True,
    ),
    Step(
        "working_group",
        _("Working group formed"),
        _(
            "The working group is appointed from the signatories and does the safety analysis "
            "in the next step. It needs at least the municipality, the police and hospitality."
        ),
        required=True,
    ),
]
STEPS_BY_KEY = {step.key: step for step in STEPS}


@dataclass(frozen=True)
class Evidence:
    """What one provider found for one project: done or not, a short text, where it is done."""

    done: bool
    text: str = ""
    url: str = ""
    link_label: str = ""


@dataclass(frozen=True)
class Support:
    """The support meter of one project: score 0 to 100 (None without partners) and its parts."""

    score: int | None
    partners: int = 0
    parts: list = field(default_factory=list)

    @property
    def total_weight(self) -> int:
        return sum(part.get("weights", 0) for part in self.parts)

    @property
    def total_points(self) -> int:
        return sum(part.get("points", 0) for part in self.parts)


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime.datetime
    kind: str
    pk: int
    title: str
    text: str = ""
    url: str = ""

    @property
    def cursor(self) -> str:
        return encode_cursor(self.at, self.kind, self.pk)

    def sort_key(self):
        return (self.at, self.kind, self.pk)


_evidence: dict[str, list[tuple[str, object]]] = {}
_support_meter = None
_support_course = None
_support_scale = None
_timeline_sources: dict[str, tuple[str, object]] = {}


def evidence(step_key: str):
    """Register an evidence provider for `step_key` (several providers combine with OR)."""
    if step_key not in STEPS_BY_KEY:
        raise KeyError(f"unknown guide step {step_key!r}")

    def decorator(func):
        name = f"{func.__module__}.{func.__qualname__}"
        entries = [entry for entry in _evidence.get(step_key, []) if entry[0] != name]
        entries.append((name, func))
        _evidence[step_key] = sorted(entries, key=lambda entry: entry[0])
        return func

    return decorator


def providers(step_key: str):
    return [func for _name, func in _evidence.get(step_key, [])]


def support_meter(func):
    global _support_meter
    _support_meter = func
    return func


def support_course(func):
    global _support_course
    _support_course = func
    return func


def support_scale(func):
    """Register the function that explains the meter: {"stages": [(label, value)], "roles": ...}."""
    global _support_scale
    _support_scale = func
    return func


def scale() -> dict:
    return _support_scale() if _support_scale else {"stages": [], "roles": []}


def timeline_source(kind: str, label):
    def decorator(func):
        _timeline_sources[kind] = (label, func)
        return func

    return decorator


def timeline_kinds() -> list[tuple[str, str]]:
    return sorted(((kind, label) for kind, (label, _f) in _timeline_sources.items()), key=str)


# --- evaluating the guide ---


@dataclass
class StepState:
    step: Step
    derived_done: bool
    evidence: list[Evidence]
    record: object = None  # the GuideStepRecord (manual tick, override) or None

    @property
    def overridden(self) -> bool:
        return bool(self.record and self.record.override)

    @property
    def done(self) -> bool:
        if self.overridden:
            return self.record.override == "done"
        return self.derived_done

    @property
    def links(self) -> list[Evidence]:
        seen, links = set(), []
        for item in self.evidence:
            if item.url and item.url not in seen:
                seen.add(item.url)
                links.append(item)
        return links


@dataclass
class GuideState:
    steps: list[StepState]

    @property
    def required_open(self) -> list[StepState]:
        return [s for s in self.steps if s.step.required and not s.done]

    @property
    def required_count(self) -> int:
        return sum(1 for s in self.steps if s.step.required)

    @property
    def required_done(self) -> int:
        return self.required_count - len(self.required_open)

    @property
    def done_count(self) -> int:
        return sum(1 for s in self.steps if s.done)

    @property
    def next_step(self) -> StepState | None:
        return next((s for s in self.steps if not s.done), None)

    @property
    def gate_open(self) -> bool:
        return not self.required_open


class Projects(list):
    """The projects of one reading of the guide (evidence and support meter).

    Providers that need the same rows read them once through `shared()`; pass one instance to
    evaluate() and support() to share across both. Made per request, so it never goes stale.
    """

    def __init__(self, projects=()):
        super().__init__(projects)
        self._shared = {}

    def shared(self, key: str, load):
        if key not in self._shared:
            self._shared[key] = load(self)
        return self._shared[key]


def shared(projects, key: str, load):
    """`load(projects)`, read once per reading of the guide when `projects` is a Projects."""
    if isinstance(projects, Projects):
        return projects.shared(key, load)
    return load(projects)


def _as_projects(projects) -> Projects:
    return projects if isinstance(projects, Projects) else Projects(projects)


def evaluate(projects) -> dict[int, GuideState]:
    """The guide's state for each project, with a constant number of queries."""
    from kvu.models import GuideStepRecord

    projects = _as_projects(projects)
    ids = [project.pk for project in projects]
    if not ids:
        return {}
    records = {}
    for record in GuideStepRecord.objects.filter(project_id__in=ids).select_related("updated_by"):
        records[(record.project_id, record.step)] = record
    found = {
        step.key: [func(projects) for func in providers(step.key)]
        for step in STEPS
        if not step.manual
    }
    result = {}
    for pid in ids:
        states = []
        for step in STEPS:
            record = records.get((pid, step.key))
            if step.manual:
                ticked = bool(record and record.ticked)
                items = [
                    Evidence(
                        ticked,
                        record.note if ticked else "",
                        url="",
                    )
                ]
                states.append(StepState(step, ticked, items, record))
                continue
            items = [by_project[pid] for by_project in found[step.key] if pid in by_project]
            states.append(StepState(step, any(item.done for item in items), items, record))
        result[pid] = GuideState(states)
    return result


def support(projects) -> dict[int, Support]:
    projects = _as_projects(projects)
    if _support_meter is None or not projects:
        return {project.pk: Support(None) for project in projects}
    return _support_meter(projects)


def course(project) -> list[tuple[datetime.date, int]]:
    if _support_course is None:
        return []
    return _support_course(project)


# --- timeline paging: a cursor (time, kind, pk) that every source applies exactly ---


def encode_cursor(at: datetime.datetime, kind: str, pk: int) -> str:
    return f"{at.astimezone(datetime.UTC).strftime('%Y%m%d%H%M%S%f')}-{kind}-{pk}"


def decode_cursor(value: str | None):
    """(aware datetime, kind, pk) or None; garbage gives None (the first page)."""
    if not value:
        return None
    try:
        stamp, kind, pk = value.split("-", 2)
        at = datetime.datetime.strptime(stamp, "%Y%m%d%H%M%S%f").replace(tzinfo=datetime.UTC)
        return at, kind, int(pk)
    except (ValueError, TypeError):
        return None


def day_start(day: datetime.date) -> datetime.datetime:
    """Entries known only by date are placed at the start of that (local) day."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_default_timezone())


def _tie(kind: str, cursor) -> Q:
    _at, cursor_kind, cursor_pk = cursor
    if kind < cursor_kind:
        return Q()
    if kind == cursor_kind:
        return Q(pk__lt=cursor_pk)
    return Q(pk__in=[])


def before_q(cursor, *, kind: str, field: str, is_date: bool = False) -> Q:
    """Rows of one source whose (time, kind, pk) comes strictly before the cursor."""
    if cursor is None:
        return Q()
    at = cursor[0]
    if not is_date:
        return Q(**{f"{field}__lt": at}) | (Q(**{field: at}) & _tie(kind, cursor))
    day = timezone.localtime(at).date()
    if day_start(day) == at:
        return Q(**{f"{field}__lt": day}) | (Q(**{field: day}) & _tie(kind, cursor))
    return Q(**{f"{field}__lte": day})


def period_q(*, field: str, since, until, is_date: bool = False) -> Q:
    q = Q()
    suffix = "" if is_date else "__date"
    if since:
        q &= Q(**{f"{field}{suffix}__gte": since})
    if until:
        q &= Q(**{f"{field}{suffix}__lte": until})
    return q


def timeline(project, *, kinds=None, since=None, until=None, cursor=None, limit=25):
    """(entries, next_cursor): the newest `limit` entries before the cursor, of all sources."""
    decoded = decode_cursor(cursor)
    entries = []
    for kind, (_label, func) in sorted(_timeline_sources.items()):
        if kinds and kind not in kinds:
            continue
        entries += func(project, cursor=decoded, since=since, until=until, limit=limit + 1)
    entries.sort(key=TimelineEntry.sort_key, reverse=True)
    page = entries[:limit]
    next_cursor = page[-1].cursor if len(entries) > limit else None
    return page, next_cursor
