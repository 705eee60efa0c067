"""The guide of CCV step 4 (the plan of approach): its steps with their evidence, derived from data.

Every evidence function takes a LIST of projects and returns {project_id: Evidence} with a fixed
number of queries (kvu/guide.py). The projects' current plans and the counts of their measures
are read once per reading of the guide (`guide.shared`). PlansConfig.guide_steps() hands STEPS
to kvu.
"""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from analysis.models import Knelpunt
from kvu import guide
from kvu.guide import Evidence, Step
from kvu.models import CcvStep
from meetings.models import MeetingStatus
from plans.models import Measure, Plan, PlanVersion
from plans.plan.services import ADOPTING_KINDS

# Knelpunten without a measure named in the evidence; the matrix shows all of them.
NAMES_SHOWN = 3


def plans(projects) -> dict:
    """{project_id: the current Plan} of the projects that started one; read once per reading."""

    def load(projects):
        found = {}
        rows = Plan.objects.filter(project_id__in=[p.pk for p in projects]).order_by(
            "project_id", "-cycle"
        )
        for plan in rows:
            found.setdefault(plan.project_id, plan)
        return found

    return guide.shared(projects, "plans.plans", load)


NOT_SMART = Q(indicator="") | Q(unit="") | Q(target__isnull=True) | Q(target_date__isnull=True)
COSTS_OPEN = Q(costs__isnull=True) | (Q(costs__gt=0) & Q(paid_by=""))


def measure_counts(projects) -> dict:
    """{plan_id: {"total", "not_smart", "costs_open"}}: one query for all the projects' plans."""

    def load(projects):
        ids = [plan.pk for plan in plans(projects).values()]
        rows = (
            Measure.objects.filter(plan_id__in=ids)
            .values("plan_id")
            .annotate(
                total=Count("pk"),
                not_smart=Count("pk", filter=NOT_SMART),
                costs_open=Count("pk", filter=COSTS_OPEN),
            )
            .order_by()
        )
        return {row["plan_id"]: row for row in rows}

    return guide.shared(projects, "plans.measure_counts", load)


def _url(name, project):
    return reverse(name, args=[project.pk])


def _not_started(project):
    return Evidence(
        False,
        _("The plan of approach has not been started yet."),
        _url("plan_detail", project),
        _("Plan of approach"),
    )


def _per_plan(projects, found, judge):
    return {
        project.pk: judge(project, found[project.pk])
        if project.pk in found
        else _not_started(project)
        for project in projects
    }


def _no_measures(project):
    return Evidence(
        False, _("The plan has no measures yet."), _url("measure_matrix", project), _("Measures")
    )


def texts_filled(projects):
    """The plan started, with every text and its start and end filled in."""
    found = plans(projects)

    def judge(project, plan):
        missing = [
            str(Plan._meta.get_field(name).verbose_name)
            for name in Plan.TEXT_FIELDS
            if not getattr(plan, name).strip()
        ]
        if not plan.starts_on or not plan.ends_on:
            missing.append(_("start and end"))
        url, label = _url("plan_edit", project), _("Texts of the plan")
        if missing:
            return Evidence(False, _("Still missing: %s.") % ", ".join(missing), url, label)
        text = _("Runs from %(start)s to %(end)s.") % {
            "start": date_format(plan.starts_on, "SHORT_DATE_FORMAT"),
            "end": date_format(plan.ends_on, "SHORT_DATE_FORMAT"),
        }
        return Evidence(True, text, url, label)

    return _per_plan(projects, found, judge)


def knelpunten_covered(projects):
    """Every knelpunt of the plan's analysis has at least one measure."""
    found = plans(projects)
    analyses = {plan.analysis_id: plan for plan in found.values()}
    rows = (
        Knelpunt.objects.filter(analysis_id__in=list(analyses))
        .annotate(n=Count("measures"))
        .values_list("analysis_id", "title", "n")
        .order_by("analysis_id", "position", "pk")
    )
    total, uncovered = {}, {}
    for analysis_id, title, n in rows:
        total[analysis_id] = total.get(analysis_id, 0) + 1
        if not n:
            uncovered.setdefault(analysis_id, []).append(title)
    counts = measure_counts(projects)

    def judge(project, plan):
        url, label = _url("measure_matrix", project), _("Measures matrix")
        knelpunten = total.get(plan.analysis_id, 0)
        if not knelpunten:
            return Evidence(
                False,
                _("The analysis has no knelpunten: record them in the analysis first."),
                reverse("knelpunt_list", args=[project.pk]),
                _("Knelpunten"),
            )
        if not counts.get(plan.pk):
            return _no_measures(project)
        open_titles = uncovered.get(plan.analysis_id, [])
        if open_titles:
            names = ", ".join(open_titles[:NAMES_SHOWN])
            more = len(open_titles) - NAMES_SHOWN
            text = ngettext(
                "%(n)s knelpunt has no measure yet: %(names)s",
                "%(n)s knelpunten have no measure yet: %(names)s",
                len(open_titles),
            ) % {"n": len(open_titles), "names": names}
            if more > 0:
                text += " " + ngettext("and one more", "and %(counter)s more", more) % {
                    "counter": more
                }
            return Evidence(False, text + ".", url, label)
        text = ngettext(
            "Every knelpunt has a measure (%(n)s knelpunt).",
            "Every knelpunt has a measure (%(n)s knelpunten).",
            knelpunten,
        ) % {"n": knelpunten}
        return Evidence(True, text, url, label)

    return _per_plan(projects, found, judge)


def measures_smart(projects):
    """Every measure SMART: indicator, unit, target value and date (and a responsible partner,
    which every measure has)."""
    found = plans(projects)
    counts = measure_counts(projects)

    def judge(project, plan):
        row = counts.get(plan.pk)
        if not row:
            return _no_measures(project)
        url, label = _url("measure_matrix", project), _("Measures matrix")
        if row["not_smart"]:
            text = ngettext(
                "%(n)s of %(total)s measures still lacks a target value or date.",
                "%(n)s of %(total)s measures still lack a target value or date.",
                row["not_smart"],
            ) % {"n": row["not_smart"], "total": row["total"]}
            return Evidence(False, text, url, label)
        text = ngettext(
            "The measure has its indicator, target, date and responsible partner.",
            "All %(n)s measures have their indicator, target, date and responsible partner.",
            row["total"],
        ) % {"n": row["total"]}
        return Evidence(True, text, url, label)

    return _per_plan(projects, found, judge)


def costs_known(projects):
    """Every measure's costs known, and for costs above zero who pays them."""
    found = plans(projects)
    counts = measure_counts(projects)

    def judge(project, plan):
        row = counts.get(plan.pk)
        if not row:
            return _no_measures(project)
        url, label = _url("measure_matrix", project), _("Measures matrix")
        if row["costs_open"]:
            text = ngettext(
                "For %(n)s measure the costs or who pays them are not known yet.",
                "For %(n)s measures the costs or who pays them are not known yet.",
                row["costs_open"],
            ) % {"n": row["costs_open"]}
            return Evidence(False, text, url, label)
        return Evidence(True, _("Costs and who pays them are known for every measure."), url, label)

    return _per_plan(projects, found, judge)


def adopted(projects):
    """The plan adopted in a held working-group meeting (its newest version)."""
    found = plans(projects)
    newest = {}
    rows = (
        PlanVersion.objects.filter(plan_id__in=[plan.pk for plan in found.values()])
        .select_related("adopted_in")
        .order_by("plan_id", "-number")
    )
    for version in rows:
        newest.setdefault(version.plan_id, version)

    def judge(project, plan):
        version = newest.get(plan.pk)
        url, label = _url("plan_detail", project) + "#adopt", _("Adopt the plan")
        if version is None:
            return Evidence(False, _("The working group has not adopted the plan yet."), url, label)
        meeting = version.adopted_in
        if meeting.status != MeetingStatus.HELD or meeting.kind not in ADOPTING_KINDS:
            return Evidence(
                False,
                _("%(title)s is no longer a held working-group meeting; adopt the plan again.")
                % {"title": meeting.title},
                reverse("meeting_detail", args=[project.pk, meeting.pk]),
                _("Meeting"),
            )
        text = _("Version %(number)s adopted on %(date)s in %(title)s.") % {
            "number": version.number,
            "date": date_format(version.adopted_on, "SHORT_DATE_FORMAT"),
            "title": meeting.title,
        }
        return Evidence(
            True, text, reverse("plan_version", args=[project.pk, version.number]), _("Version")
        )

    return _per_plan(projects, found, judge)


def shared(projects):
    """The plan shared with the mayor and the council."""
    found = plans(projects)

    def judge(project, plan):
        url, label = _url("plan_detail", project) + "#shared", _("Plan of approach")
        if not plan.shared_on:
            return Evidence(False, _("The plan has not been shared yet."), url, label)
        text = _("Shared on %(date)s with %(who)s.") % {
            "date": date_format(plan.shared_on, "SHORT_DATE_FORMAT"),
            "who": plan.shared_with,
        }
        return Evidence(True, text, url, label)

    return _per_plan(projects, found, judge)


def _step(key, order, title, why, evidence, *, required=True):
    return Step(key, order, title, why, required=required, evidence=evidence, ccv_step=CcvStep.PLAN)


STEPS = [
    _step(
        "plan_texts",
        410,
        gettext_lazy("Plan started, with its texts filled in"),
        gettext_lazy(
            "Write down why the partners make the plan, its goal, when it starts and ends, who "
            "decides when, how the cooperation is organised and when you evaluate."
        ),
        texts_filled,
    ),
    _step(
        "plan_knelpunten_covered",
        420,
        gettext_lazy("A measure for every knelpunt"),
        gettext_lazy(
            "The plan answers the analysis: every knelpunt the partners recognised gets at "
            "least one measure."
        ),
        knelpunten_covered,
    ),
    _step(
        "plan_measures_smart",
        430,
        gettext_lazy("Every measure SMART"),
        gettext_lazy(
            "An indicator with its unit, a baseline, a target value by a date and a responsible "
            "partner: only then can the evaluation tell whether a measure worked."
        ),
        measures_smart,
    ),
    _step(
        "plan_costs_known",
        440,
        gettext_lazy("Costs and who pays them known"),
        gettext_lazy(
            "Partners commit to what they know they will pay for. Record the costs of every "
            "measure, zero included, and who pays them."
        ),
        costs_known,
    ),
    _step(
        "plan_adopted",
        450,
        gettext_lazy("Plan adopted in a working-group meeting"),
        gettext_lazy(
            "The working group adopts the plan in a meeting; the adopted version is frozen and "
            "is what the covenant builds on."
        ),
        adopted,
    ),
    _step(
        "plan_shared",
        460,
        gettext_lazy("Plan shared with the mayor and the council"),
        gettext_lazy(
            "The mayor and the council support the plan better when they know it: send them "
            "the adopted version."
        ),
        shared,
        required=False,
    ),
]


def states(projects) -> dict:
    """{project_id: kvu.guide.GuideState} of step 4's guide, for any list of projects."""
    return guide.evaluate(projects, CcvStep.PLAN)
