"""The phase guide: its steps, their state for a set of projects, the support meter, the timeline.

`kvu` never imports `partners` or `meetings`. The steps are defined in the apps that know their
concepts and reach the guide through the one extension point (kvu/extensions.py):
`AppConfig.guide_steps()`. A step's evidence function takes a LIST of projects and returns
{project_id: Evidence or [Evidence]}; it must issue a fixed number of queries, whatever the
number of projects or partners, so that every page that shows the guide for one or for many
projects keeps a constant query count. The support meter comes from `AppConfig.support_meter()`,
the timeline's entries from `AppConfig.timeline_sources()`: (project, cursor, since, until,
limit) -> [TimelineEntry], the newest `limit` entries strictly before the cursor.

Report sections use the panel slot "status_report" (kvu.panels) with kwargs project and pdf.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kvu.extensions import collect
from kvu.models import CcvStep


@dataclass(frozen=True)
class Step:
    """One step of the guide of one CCV step (`ccv_step`; the preparatory phase is step 2).

    `order` places it among the steps of every app, in the order a project leader works through
    them. Required steps guard the gate to the next CCV step; the others are strongly advised.
    A step without `evidence` is ticked by hand (with a note). Keys are unique over all CCV steps.
    """

    key: str
    order: int
    title: str
    why: str
    required: bool
    evidence: Callable | None = None
    ccv_step: int = CcvStep.INITIATIVE

    @property
    def manual(self) -> bool:
        return self.evidence is None


KNOWLEDGE = Step(
    "knowledge",
    10,
    _("Knowledge of safe nightlife in house"),
    _(
        "Knowing what works elsewhere helps you judge what is possible here and keeps the "
        "later steps on track. Tick it with a short note on how you got the knowledge."
    ),
    required=False,
)


def all_steps() -> list[Step]:
    """Every step of every CCV step's guide: kvu's own and those of the installed apps."""
    contributed = [step for app_steps in collect("guide_steps") for step in app_steps]
    return sorted([KNOWLEDGE, *contributed], key=lambda step: (step.ccv_step, step.order))


def steps(ccv_step: int = CcvStep.INITIATIVE) -> list[Step]:
    """The steps of one CCV step's guide, in order (by default the preparatory phase's)."""
    return [step for step in all_steps() if step.ccv_step == ccv_step]


def steps_by_key() -> dict[str, Step]:
    return {step.key: step for step in all_steps()}


def guided_steps() -> list[int]:
    """The CCV steps that have a guide (and so a gate to the next step), in order."""
    return sorted({step.ccv_step for step in all_steps()})


def shown_step(project) -> int:
    """The CCV step whose guide the project's pages show: its current step's, or, when that
    step has no guide, the nearest earlier one's."""
    guided = [number for number in guided_steps() if number <= project.ccv_step]
    return guided[-1] if guided else CcvStep.INITIATIVE


def has_gate(ccv_step: int) -> bool:
    """A gate leads from a CCV step with a guide to the next one (none after the last)."""
    return ccv_step in guided_steps() and ccv_step < CcvStep.EVALUATION


# A step that waits for particular partners names this many of them, and how many more.
NAMES_SHOWN = 5


@dataclass(frozen=True)
class Evidence:
    """What one provider found for one project: done or not, a short text, where it is done.

    `names` are the first NAMES_SHOWN partners the step waits for, `more` how many others, and
    `more_url` the filtered list with all of them; `text` then says the same in plain words
    (for the PDF and the gate), `lead` is the text without the names (for the page's link).
    """

    done: bool
    text: str = ""
    url: str = ""
    link_label: str = ""
    lead: str = ""
    names: tuple = ()
    more: int = 0
    more_url: str = ""

    @classmethod
    def waiting_for(cls, done, lead, names, url, link_label, *, more_url=""):
        """Evidence that names the partners the step waits for, bounded to NAMES_SHOWN."""
        from django.utils.translation import gettext, ngettext

        names = list(names)
        if not names:
            return cls(done, lead, url, link_label)
        shown, more = tuple(names[:NAMES_SHOWN]), max(len(names) - NAMES_SHOWN, 0)
        listed = ", ".join(shown)
        if more:
            waiting = ngettext(
                "Waiting for: %(names)s and one more.",
                "Waiting for: %(names)s and %(count)s more.",
                more,
            ) % {"names": listed, "count": more}
        else:
            waiting = gettext("Waiting for: %(names)s.") % {"names": listed}
        return cls(
            done,
            f"{lead} {waiting}".strip(),
            url,
            link_label,
            lead=lead,
            names=shown,
            more=more,
            more_url=more_url or url,
        )


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


def _support_meter():
    meters = collect("support_meter")
    return meters[0] if meters else None


def scale() -> dict:
    """What the support meter weighs: {"stages": [(label, value)], "roles": [(label, weight)]}."""
    meter = _support_meter()
    return meter.scale() if meter else {"stages": [], "roles": []}


def _timeline_sources() -> dict:
    sources = {}
    for app_sources in collect("timeline_sources"):
        sources.update(app_sources)
    return sources


def timeline_kinds() -> list[tuple[str, str]]:
    return sorted(((kind, label) for kind, (label, _f) in _timeline_sources().items()), key=str)


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
    ccv_step: int = CcvStep.INITIATIVE

    @property
    def ccv_label(self) -> str:
        return CcvStep(self.ccv_step).label

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


def evaluate(projects, ccv_step: int | None = None) -> dict[int, GuideState]:
    """The guide's state for each project, with a constant number of queries.

    Each project's guide is that of `ccv_step`, or by default of the step its pages show
    (`shown_step`). The evidence of a CCV step's guide is read once for all projects that show
    it, so the count of queries is bounded by the number of guides, not of projects.
    """
    from kvu.models import GuideStepRecord

    projects = _as_projects(projects)
    ids = [project.pk for project in projects]
    if not ids:
        return {}
    records = {}
    # No ordering: the model's default (by project) would join the projects and municipalities.
    rows = GuideStepRecord.objects.filter(project_id__in=ids).select_related("updated_by")
    for record in rows.order_by():
        records[(record.project_id, record.step)] = record
    shown = {p.pk: ccv_step if ccv_step is not None else shown_step(p) for p in projects}
    result = {}
    for number in sorted(set(shown.values())):
        # Evidence functions read for the whole list, so that rows shared through `shared()`
        # are read once for every guide and for the panels that reuse this reading.
        ids_here = [pid for pid in ids if shown[pid] == number]
        result.update(_evaluate_step(projects, number, records, ids_here))
    return result


def _evaluate_step(projects, number, records, ids) -> dict[int, GuideState]:
    step_list = steps(number)
    found = {step.key: step.evidence(projects) for step in step_list if not step.manual}
    result = {}
    for pid in ids:
        states = []
        for step in step_list:
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
            items = found[step.key].get(pid, [])
            items = items if isinstance(items, list) else [items]
            states.append(StepState(step, any(item.done for item in items), items, record))
        result[pid] = GuideState(states, number)
    return result


def support(projects) -> dict[int, Support]:
    projects = _as_projects(projects)
    meter = _support_meter()
    if meter is None or not projects:
        return {project.pk: Support(None) for project in projects}
    return meter.support(projects)


def course(project) -> list[tuple[datetime.date, int]]:
    meter = _support_meter()
    return meter.course(project) if meter else []


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
    for kind, (_label, func) in sorted(_timeline_sources().items()):
        if kinds and kind not in kinds:
            continue
        entries += func(project, cursor=decoded, since=since, until=until, limit=limit + 1)
    entries.sort(key=TimelineEntry.sort_key, reverse=True)
    page = entries[:limit]
    next_cursor = page[-1].cursor if len(entries) > limit else None
    return page, next_cursor
