"""The phase guide's steps that rest on partners' data, with their evidence; the support meter,
the timeline entries and the status report's sections of the partners app.

Every evidence function takes all projects at once and issues a fixed number of queries,
whatever the number of projects or partners (see kvu/guide.py). PartnersConfig hands these to
kvu (kvu/extensions.py).
"""

from collections import Counter, defaultdict
from typing import NamedTuple

from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from kvu import guide
from kvu.guide import Evidence, Step, Support, TimelineEntry
from partners.models import (
    CORE_KINDS,
    STAGES_INTERESTED_OR_BEYOND,
    Agreement,
    Concern,
    ConcernKind,
    ContactMoment,
    Decision,
    Declaration,
    KvuRole,
    OrganisationKind,
    Participation,
    Person,
    Signature,
    Stage,
    StageChange,
    WorkingGroupMember,
)


def _ids(projects):
    return [project.pk for project in projects]


class PartnerRow(NamedTuple):
    role: str
    stage: str
    kind: str
    name: str
    has_interests: bool
    has_concerns: bool
    open_concerns: int
    pk: int = 0
    has_person: bool = True


PARTNER_COLUMNS = (
    "project_id",
    "role",
    "stage",
    "organisation__kind",
    "organisation__name",
    "interests",
    "has_concerns",
    "open_concerns",
    "pk",
    "has_person",
)


def _with_concern_figures(participations):
    """Annotates has_concerns (any concern recorded) and open_concerns (still open ones)."""
    open_count = (
        Concern.objects.filter(participation=OuterRef("pk"))
        .still_open()
        .order_by()
        .values("participation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return participations.annotate(
        has_concerns=Exists(Concern.objects.filter(participation=OuterRef("pk"))),
        open_concerns=Coalesce(Subquery(open_count, output_field=IntegerField()), Value(0)),
    )


def _partner_rows(projects) -> dict[int, list[PartnerRow]]:
    """{project_id: every partner as a light row, by organisation name}, in one query.

    Shared by the evidence functions and the support meter within one reading of the guide.
    """

    def load(projects):
        rows = defaultdict(list)
        participations = _with_concern_figures(
            Participation.objects.filter(project_id__in=_ids(projects))
        ).annotate(
            has_person=Exists(Person.objects.filter(organisation_id=OuterRef("organisation_id")))
        )
        for project_id, role, stage, kind, name, interests, *rest in participations.order_by(
            "organisation__name", "pk"
        ).values_list(*PARTNER_COLUMNS):
            rows[project_id].append(
                PartnerRow(role, stage, kind, name, bool(interests.strip()), *rest)
            )
        return rows

    return guide.shared(projects, "partners.rows", load)


def partners_read(reading, project) -> list[PartnerRow]:
    """The project's partners as the guide of `reading` read them, by organisation name."""
    return _partner_rows(reading).get(project.pk, [])


def newest_declaration_read(reading, project):
    """The project's newest declaration as the guide of `reading` read it (a few fields)."""
    return _newest_declarations(reading).get(project.pk)


def _active_core(rows):
    """Core partners that have not declined."""
    return [r for r in rows if r.role == KvuRole.CORE and r.stage != Stage.DECLINED]


def _named(rows):
    """The names of the partners a step waits for; one without a contact person says so."""
    return [
        row.name if row.has_person else _("%(name)s (no contact person)") % {"name": row.name}
        for row in rows
    ]


def _core_list_url(project):
    return reverse("partner_list", args=[project.pk]) + f"?role={KvuRole.CORE}"


# --- evidence ---


def core_partners(projects):
    """Done when every core kind (municipality, police, hospitality, KHN) takes part."""
    partners = _partner_rows(projects)
    kinds = {
        pk: {r.kind for r in rows if r.kind in CORE_KINDS and r.stage != Stage.DECLINED}
        for pk, rows in partners.items()
    }
    labels = dict(OrganisationKind.choices)
    result = {}
    for project in projects:
        present = kinds.get(project.pk, set())
        missing = [labels[kind] for kind in CORE_KINDS if kind not in present]
        text = (
            _("Missing: %(kinds)s.") % {"kinds": ", ".join(str(m) for m in missing)}
            if missing
            else _("Municipality, police, hospitality and KHN all take part.")
        )
        result[project.pk] = Evidence(
            not missing, text, reverse("partner_list", args=[project.pk]), _("Partners")
        )
    return result


def _kind_at_least_interested(projects, kind, *, missing):
    """Evidence that a partner of `kind` is at least interested, per project (one query)."""
    found = {}
    for project_id, rows in _partner_rows(projects).items():
        first = next(
            (r for r in rows if r.kind == kind and r.stage in STAGES_INTERESTED_OR_BEYOND), None
        )
        if first:
            found[project_id] = (first.name, Stage(first.stage).label)
    result = {}
    for project in projects:
        if project.pk in found:
            name, stage = found[project.pk]
            text = _("%(name)s: %(stage)s.") % {"name": name, "stage": stage}
        else:
            text = missing
        result[project.pk] = Evidence(
            project.pk in found, text, reverse("partner_list", args=[project.pk]), _("Partners")
        )
    return result


def khn_involved(projects):
    return _kind_at_least_interested(
        projects, OrganisationKind.KHN, missing=_("KHN is not yet at least interested.")
    )


def association_involved(projects):
    return _kind_at_least_interested(
        projects,
        OrganisationKind.HOSPITALITY_ASSOCIATION,
        missing=_("No hospitality association is at least interested yet."),
    )


def double_role_agreement(projects):
    found = {}
    rows = (
        Agreement.objects.filter(project_id__in=_ids(projects), about_double_role=True)
        .order_by("-date", "-pk")
        .values_list("project_id", "date", "text")
    )
    for project_id, date, text in rows:
        found.setdefault(project_id, (date, text))
    result = {}
    for project in projects:
        if project.pk in found:
            date, text = found[project.pk]
            summary = text if len(text) <= 120 else text[:117] + "…"
            evidence_text = _("Agreed on %(date)s: %(text)s") % {
                "date": date_format(date, "SHORT_DATE_FORMAT"),
                "text": summary,
            }
        else:
            evidence_text = _("No agreement about the double role recorded yet.")
        result[project.pk] = Evidence(
            project.pk in found,
            evidence_text,
            reverse("partner_list", args=[project.pk]),
            _("Partners"),
        )
    return result


def core_interests(projects):
    """Done when every core partner that has not declined has its interests or at least one
    concern recorded; the evidence also says how many concerns of the project are still open."""
    counts = {}
    for project_id, rows in _partner_rows(projects).items():
        core = _active_core(rows)
        without = [r for r in core if not (r.has_interests or r.has_concerns)]
        counts[project_id] = {
            "total": len(core),
            "without": len(without),
            "waiting": _named(without),
            "open": sum(r.open_concerns for r in rows),
        }
    result = {}
    for project in projects:
        row = counts.get(project.pk, {"total": 0, "without": 0, "waiting": [], "open": 0})
        done = row["total"] > 0 and row["without"] == 0
        if not row["total"]:
            text = _("No core partners yet.")
        else:
            text = _(
                "%(done)s of %(total)s core partners have their interests or concerns recorded."
            ) % {"done": row["total"] - row["without"], "total": row["total"]}
        if row["open"]:
            text += " " + ngettext(
                "%(count)s concern is still open.",
                "%(count)s concerns are still open.",
                row["open"],
            ) % {"count": row["open"]}
            link, label = (
                reverse("concern_list", args=[project.pk]) + "?status=still_open",
                _("Concerns"),
            )
        else:
            link, label = reverse("partner_list", args=[project.pk]), _("Partners")
        result[project.pk] = Evidence.waiting_for(
            done, text, row["waiting"], link, label, more_url=_core_list_url(project)
        )
    return result


def _declarations(projects):
    """Every version of the projects' declarations, the newest first per project (one query,
    shared by the steps that read them)."""

    def load(projects):
        return list(
            Declaration.objects.declarations()
            .filter(project_id__in=_ids(projects))
            .only("pk", "project_id", "version", "vision", "frozen_at")
            .order_by("project_id", "-version")
        )

    return guide.shared(projects, "partners.declarations", load)


def _newest_declarations(projects):
    """{project_id: newest declaration, draft or sent}."""
    newest = {}
    for declaration in _declarations(projects):
        newest.setdefault(declaration.project_id, declaration)
    return newest


def _newest_sent(projects):
    """{project_id: newest declaration that was sent out}."""
    sent = Declaration.objects.declarations().filter(project_id__in=_ids(projects)).newest_sent()
    # No ordering: the model's default (by project) would join the projects and municipalities.
    sent = sent.only("pk", "project_id").order_by()
    return {declaration.project_id: declaration for declaration in sent}


def shared_vision(projects):
    newest = _newest_declarations(projects)
    result = {}
    for project in projects:
        declaration = newest.get(project.pk)
        vision = declaration.vision.strip() if declaration else ""
        if vision:
            text = vision if len(vision) <= 140 else vision[:137] + "…"
        else:
            text = _("The declaration of intent has no shared vision yet.")
        url = reverse("declaration_detail", args=[project.pk])
        result[project.pk] = Evidence(bool(vision), text, url, _("Declaration of intent"))
    return result


def _core_signing(projects):
    """{project_id: (core partners, core partners that signed the newest sent version)}.

    A core partner whose stage is "declined" has left the outreach and no longer counts.
    """
    frozen = _newest_sent(projects)
    core = {pk: _active_core(rows) for pk, rows in _partner_rows(projects).items()}
    # The core partners that signed the newest sent version: one row per signer, so at most
    # as many rows as the partners the guide reads anyway.
    signers = set(
        Signature.objects.filter(
            declaration_id__in=[d.pk for d in frozen.values()],
            decision=Decision.SIGNED,
            participation__role=KvuRole.CORE,
        )
        .order_by()
        .values_list("participation_id", flat=True)
        .distinct()
    )
    result = {}
    for p in projects:
        rows = core.get(p.pk, [])
        unsigned = [r for r in rows if r.pk not in signers]
        result[p.pk] = (len(rows), len(rows) - len(unsigned), unsigned)
    return result


def declaration_signed(projects):
    counts = _core_signing(projects)
    result = {}
    for project in projects:
        total, signed, unsigned = counts[project.pk]
        done = total > 0 and signed >= total
        text = _("%(signed)s of %(total)s core partners signed.") % {
            "signed": signed,
            "total": total,
        }
        url = reverse("declaration_detail", args=[project.pk])
        result[project.pk] = Evidence.waiting_for(
            done,
            text,
            _named(unsigned),
            url,
            _("Declaration of intent"),
            more_url=_core_list_url(project),
        )
    return result


# The working group needs the municipality, the police and someone for the hospitality sector.
WORKING_GROUP_NEEDS = {
    OrganisationKind.MUNICIPALITY: [OrganisationKind.MUNICIPALITY],
    OrganisationKind.POLICE: [OrganisationKind.POLICE],
    OrganisationKind.HOSPITALITY: [
        OrganisationKind.HOSPITALITY,
        OrganisationKind.KHN,
        OrganisationKind.HOSPITALITY_ASSOCIATION,
    ],
}


def working_group(projects):
    kinds = defaultdict(set)
    for project_id, kind in (
        WorkingGroupMember.objects.filter(participation__project_id__in=_ids(projects))
        .order_by()
        .values_list("participation__project_id", "participation__organisation__kind")
    ):
        kinds[project_id].add(kind)
    labels = {
        OrganisationKind.MUNICIPALITY: _("the municipality"),
        OrganisationKind.POLICE: _("the police"),
        OrganisationKind.HOSPITALITY: _("the hospitality sector"),
    }
    partners = _partner_rows(projects)
    result = {}
    for project in projects:
        present = kinds[project.pk]
        needs = [
            (need, accepted)
            for need, accepted in WORKING_GROUP_NEEDS.items()
            if not present.intersection(accepted)
        ]
        missing = [str(labels[need]) for need, _accepted in needs]
        if not present:
            text = _("No members chosen yet.")
        elif missing:
            text = _("Still missing: %(who)s.") % {"who": ", ".join(missing)}
        else:
            text = _("Members from the municipality, the police and the hospitality sector.")
        # The partners that could fill a missing place, once they have signed and are chosen.
        accepted = {kind for _need, kinds_ in needs for kind in kinds_}
        candidates = [
            r
            for r in partners.get(project.pk, [])
            if r.kind in accepted and r.stage != Stage.DECLINED
        ]
        more_url = reverse("partner_list", args=[project.pk])
        if len(needs) == 1 and len(needs[0][1]) == 1:
            more_url += f"?kind={needs[0][1][0]}"
        url = reverse("working_group", args=[project.pk])
        result[project.pk] = Evidence.waiting_for(
            not missing, text, _named(candidates), url, _("Working group"), more_url=more_url
        )
    return result


# --- support meter (draagvlak) ---

# How far each stage has come, 0 to 100, and how heavily each role weighs.
STAGE_VALUE = {
    Stage.NOT_APPROACHED: 0,
    Stage.APPROACHED: 25,
    Stage.INTERESTED: 50,
    Stage.COMMITTED: 75,
    Stage.SIGNED: 100,
    Stage.ON_HOLD: 25,
    Stage.DECLINED: 0,
}
ROLE_WEIGHT = {KvuRole.CORE: 3, KvuRole.RECOMMENDED: 2, KvuRole.OPTIONAL: 1}


def support_score(pairs) -> int | None:
    """Weighted mean of the stage values: sum(weight * value) / sum(weight), rounded.

    `pairs` are (role, stage). A declined partner counts with its full weight and value 0, so
    a declined core partner pulls the figure down. None when there are no partners.
    """
    weights = total = 0
    for role, stage in pairs:
        weight = ROLE_WEIGHT.get(role, 1)
        weights += weight
        total += weight * STAGE_VALUE.get(stage, 0)
    if not weights:
        return None
    return int(total / weights + 0.5)


def support_scale():
    return {
        "stages": [(Stage(stage).label, value) for stage, value in STAGE_VALUE.items()],
        "roles": [(KvuRole(role).label, weight) for role, weight in ROLE_WEIGHT.items()],
    }


def support_meter(projects):
    pairs = {pk: [(r.role, r.stage) for r in rows] for pk, rows in _partner_rows(projects).items()}
    result = {}
    for project in projects:
        counts = Counter(pairs.get(project.pk, []))
        stage_order = list(STAGE_VALUE)
        parts = [
            {
                "role": KvuRole(role).label,
                "stage": Stage(stage).label,
                "count": n,
                "weight": ROLE_WEIGHT.get(role, 1),
                "value": STAGE_VALUE.get(stage, 0),
                "weights": n * ROLE_WEIGHT.get(role, 1),
                "points": n * ROLE_WEIGHT.get(role, 1) * STAGE_VALUE.get(stage, 0),
            }
            for (role, stage), n in sorted(
                counts.items(),
                key=lambda item: (-ROLE_WEIGHT.get(item[0][0], 1), stage_order.index(item[0][1])),
            )
        ]
        result[project.pk] = Support(
            support_score(pairs.get(project.pk, [])), len(pairs.get(project.pk, [])), parts
        )
    return result


# The course shows at most this many dates of change, the most recent ones.
COURSE_POINTS = 24


def support_course(project, *, points: int = COURSE_POINTS):
    """[(date, support)]: one point per local date on which the support figure changed.

    Rebuilt from the stage-change history: a partner counts from the moment it was added, with
    the stage it had then (the "from" of its first recorded change, or its current stage when it
    never changed). The figure after the last change of each day is that day's point; a day on
    which the figure ended where it stood is left out. When the history does not end in the
    partners' current stages (a stage set without a recorded change), today's figure closes the
    course, so that its last point is the meter's. The same data give the same course, whenever
    it is read; at most the `points` most recent dates are shown.
    """
    participations = list(
        Participation.objects.filter(project=project)
        .order_by("pk")
        .values_list("pk", "role", "stage", "created_at")
    )
    if not participations:
        return []
    changes = defaultdict(list)
    for pid, from_stage, to_stage, at in (
        StageChange.objects.filter(participation__project=project)
        .order_by("changed_at", "pk")
        .values_list("participation_id", "from_stage", "to_stage", "changed_at")
    ):
        changes[pid].append((at, to_stage))
        if len(changes[pid]) == 1:
            changes[pid].insert(0, (None, from_stage or Stage.NOT_APPROACHED))
    # (moment, order, participation, stage): every moment a partner's stage became `stage`.
    events = []
    roles = {}
    for pid, role, current, created in participations:
        roles[pid] = role
        history = changes.get(pid)
        if not history:
            events.append((created, 0, pid, current))
            continue
        (_none, first_stage), *moves = history
        events.append((min(created, moves[0][0]), 0, pid, first_stage))
        events.extend((at, seq, pid, stage) for seq, (at, stage) in enumerate(moves, start=1))
    events.sort()

    stages = {}
    course = []

    def close_day(day):
        score = support_score((roles[pid], stage) for pid, stage in stages.items())
        score = score if score is not None else 0
        if not course or course[-1][1] != score:
            course.append((day, score))

    day = None
    for at, _order, pid, stage in events:
        event_day = timezone.localtime(at).date()
        if day is not None and event_day != day:
            close_day(day)
        day = event_day
        stages[pid] = stage
    close_day(day)
    now = {pid: current for pid, _role, current, _created in participations}
    if stages != now:
        stages = now
        today = max(timezone.localdate(), day)
        if course[-1][0] == today:
            course.pop()
        close_day(today)
    return course[-points:]


# --- timeline sources ---


def contacts_source(project, *, cursor, since, until, limit):
    qs = (
        ContactMoment.objects.filter(project=project)
        .filter(guide.before_q(cursor, kind="contact", field="occurred_at"))
        .filter(guide.period_q(field="occurred_at", since=since, until=until))
        .select_related("participation__organisation")
        .order_by("-occurred_at", "-pk")[:limit]
    )
    return [
        TimelineEntry(
            c.occurred_at,
            "contact",
            c.pk,
            _("%(channel)s with %(name)s")
            % {"channel": c.get_channel_display(), "name": c.participation.organisation.name},
            c.summary,
            reverse("participation_detail", args=[project.pk, c.participation_id]),
        )
        for c in qs
    ]


def stages_source(project, *, cursor, since, until, limit):
    qs = (
        StageChange.objects.filter(participation__project=project)
        .filter(guide.before_q(cursor, kind="stage", field="changed_at"))
        .filter(guide.period_q(field="changed_at", since=since, until=until))
        .select_related("participation__organisation")
        .order_by("-changed_at", "-pk")[:limit]
    )
    return [
        TimelineEntry(
            s.changed_at,
            "stage",
            s.pk,
            _("%(name)s: %(from)s → %(to)s")
            % {
                "name": s.participation.organisation.name,
                "from": s.get_from_stage_display() or "–",
                "to": s.get_to_stage_display(),
            },
            s.note,
            reverse("participation_detail", args=[project.pk, s.participation_id]),
        )
        for s in qs
    ]


def agreements_source(project, *, cursor, since, until, limit):
    qs = (
        Agreement.objects.filter(project=project)
        .filter(guide.before_q(cursor, kind="agreement", field="date", is_date=True))
        .filter(guide.period_q(field="date", since=since, until=until, is_date=True))
        .order_by("-date", "-pk")[:limit]
    )
    return [
        TimelineEntry(
            guide.day_start(a.date),
            "agreement",
            a.pk,
            _("Agreement about the double role") if a.about_double_role else _("Agreement"),
            a.text,
        )
        for a in qs
    ]


def signatures_source(project, *, cursor, since, until, limit):
    qs = (
        Signature.objects.filter(declaration__project=project)
        .filter(guide.before_q(cursor, kind="signature", field="answered_at"))
        .filter(guide.period_q(field="answered_at", since=since, until=until))
        .select_related("declaration")
        .order_by("-answered_at", "-pk")[:limit]
    )
    return [
        TimelineEntry(
            s.answered_at,
            "signature",
            s.pk,
            (
                _("%(org)s signed %(document)s, version %(version)s")
                if s.decision == Decision.SIGNED
                else _("%(org)s declined %(document)s, version %(version)s")
            )
            % {
                "org": s.organisation_name,
                "document": s.declaration.kind_spec.the_name,
                "version": s.declaration.version,
            },
            s.decline_reason or f"{s.signer_name}, {s.signer_function}".strip(", "),
            s.declaration.get_absolute_url(),
        )
        for s in qs
    ]


# --- status report sections ---

# The report lists this many open concerns; the concerns page shows the rest.
REPORT_CONCERNS = 10


def _open_concerns_for_report(request, project) -> dict:
    """The open concerns by kind (concerns and partners), and the first REPORT_CONCERNS of them."""
    still_open = Concern.objects.filter(participation__project=project).still_open()
    by_kind = {
        row["kind"]: row
        for row in still_open.order_by()
        .values("kind")
        .annotate(n=Count("pk"), partners=Count("participation", distinct=True))
    }
    kinds = [
        (label, by_kind[value]["n"], by_kind[value]["partners"])
        for value, label in ConcernKind.choices
        if value in by_kind
    ]
    total = sum(n for _label, n, _partners in kinds)
    first = list(
        still_open.select_related("participation__organisation", "owner").order_by(
            "participation__organisation__name", "created_at", "pk"
        )[:REPORT_CONCERNS]
    )
    url = reverse("concern_list", args=[project.pk]) + "?status=still_open"
    return {
        "concern_kinds": kinds,
        "open_concerns": first,
        "open_concerns_total": total,
        "open_concerns_more": total - len(first),
        "concerns_url": request.build_absolute_uri(url) if request is not None else url,
    }


def report_partners(request, *, project, pdf=False):
    participations = list(
        Participation.objects.filter(project=project)
        .select_related("organisation")
        .order_by("organisation__name")
        .only("role", "stage", "interests", "organisation__name", "organisation__kind")
    )
    stages = [value for value, _label in Stage.choices]
    roles = [value for value, _label in KvuRole.choices]
    matrix = Counter((p.role, p.stage) for p in participations)
    rows = [
        {
            "role": KvuRole(role).label,
            "cells": [matrix[(role, stage)] for stage in stages],
            "total": sum(matrix[(role, stage)] for stage in stages),
        }
        for role in roles
    ]
    core = [p for p in participations if p.role == KvuRole.CORE]
    return render_to_string(
        "pdf/status_report_partners.html",
        {
            "stage_labels": [label for _value, label in Stage.choices],
            "rows": rows,
            "total": len(participations),
            **_open_concerns_for_report(request, project),
            "with_interests": sum(1 for p in participations if p.interests.strip()),
            "core_interests": [(p.organisation.name, p.interests) for p in core if p.interests],
            "pdf": pdf,
        },
        request=request,
    )


def report_declaration(request, *, project, pdf=False):
    declaration = Declaration.objects.current_for(project)
    agreements = list(Agreement.objects.filter(project=project).order_by("-date", "-pk")[:20])
    signatures = []
    core_total = core_signed = 0
    if declaration is not None:
        frozen = _newest_sent([project]).get(project.pk)
        core_total, core_signed, _unsigned = _core_signing([project])[project.pk]
        if frozen is not None:
            signatures = list(
                Signature.objects.filter(declaration=frozen).order_by("organisation_name")
            )
    return render_to_string(
        "pdf/status_report_declaration.html",
        {
            "declaration": declaration,
            "signed": [s for s in signatures if s.decision == Decision.SIGNED],
            "declined": [s for s in signatures if s.decision == Decision.DECLINED],
            "core_total": core_total,
            "core_signed": core_signed,
            "agreements": agreements,
            "pdf": pdf,
        },
        request=request,
    )


# --- what this app gives kvu (PartnersConfig) ---


class SupportMeter:
    """The support meter (draagvlak) the guide shows: see kvu.extensions."""

    support = staticmethod(support_meter)
    course = staticmethod(support_course)
    scale = staticmethod(support_scale)


TIMELINE_SOURCES = {
    "contact": (gettext_lazy("contacts"), contacts_source),
    "stage": (gettext_lazy("stage changes"), stages_source),
    "agreement": (gettext_lazy("agreements"), agreements_source),
    "signature": (gettext_lazy("signatures"), signatures_source),
}

REPORT_SECTIONS = [(30, report_partners), (50, report_declaration)]

STEPS = [
    Step(
        "core_partners",
        30,
        gettext_lazy("Core partners selected"),
        gettext_lazy(
            "A lasting KVU needs the right participants: the municipality, the police, "
            "hospitality entrepreneurs and KHN all take part."
        ),
        required=True,
        evidence=core_partners,
    ),
    Step(
        "khn",
        40,
        gettext_lazy("KHN's regional adviser involved"),
        gettext_lazy(
            "KHN's regional advisers know the entrepreneurs and can help win them over for the "
            "KVU; KHN counts as involved once it is at least interested."
        ),
        required=True,
        evidence=khn_involved,
    ),
    Step(
        "double_role",
        60,
        gettext_lazy("Agreements on the municipality's double role"),
        gettext_lazy(
            "The municipality enforces permits and rules and is a partner at the same time. "
            "Clear agreements about this prevent distrust among entrepreneurs."
        ),
        required=True,
        evidence=double_role_agreement,
    ),
    Step(
        "interests",
        70,
        gettext_lazy("Interests and concerns of every core partner recorded"),
        gettext_lazy(
            "Partners join for their own reasons, some for longer opening hours, and some have "
            "concerns, such as extra rules or costs. Knowing every core partner's interests and "
            "concerns now, and what the municipality does about them, avoids surprises later."
        ),
        required=True,
        evidence=core_interests,
    ),
    Step(
        "shared_vision",
        80,
        gettext_lazy("Shared vision written"),
        gettext_lazy(
            "A shared vision is a success factor of every KVU: it says what the partners want "
            "to achieve together. It is part of the declaration of intent."
        ),
        required=True,
        evidence=shared_vision,
    ),
    Step(
        "declaration_signed",
        90,
        gettext_lazy("Declaration of intent signed by all core partners"),
        gettext_lazy(
            "With their signature the partners commit to the goal and to giving time and means; "
            "it secures everyone's commitment."
        ),
        required=True,
        evidence=declaration_signed,
    ),
    Step(
        "working_group",
        100,
        gettext_lazy("Working group formed"),
        gettext_lazy(
            "The working group is appointed from the signatories and does the safety analysis "
            "in the next step. It needs at least the municipality, the police and hospitality."
        ),
        required=True,
        evidence=working_group,
    ),
]
