"""The guide of CCV step 3 (the safety analysis): its steps with their evidence, derived from data.

Every evidence function takes a LIST of projects and returns {project_id: Evidence} with a fixed
number of queries (kvu/guide.py). The projects' current analyses are read once per reading of
the guide (`guide.shared`); each step then reads its own rows for all analyses at once.
AnalysisConfig.guide_steps() hands STEPS to kvu.
"""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from analysis.models import (
    INDISPENSABLE_SOURCES,
    Analysis,
    Conclusion,
    ConclusionKind,
    KeyFigure,
    SourceStatus,
    Street,
    Survey,
    SurveyKind,
    WalkThrough,
    WalkThroughTiming,
)
from analysis.sources.models import Source
from kvu import guide
from kvu.guide import Evidence, Step
from kvu.models import CcvStep
from meetings.models import MeetingKind, MeetingStatus

# The pages each step links to. Names of pages other parts of step 3 build; a name that does
# not exist fails tests/test_analysis_guide.py.
URL_NAMES = {
    "profile": "area_profile",
    "figures": "figures",
    "sources": "sources",
    "walk_throughs": "walk_through_list",
    "findings": "finding_list",
    "surveys": "survey_list",
    "conclusions": "conclusion_list",
    "knelpunten": "knelpunt_list",
    "report": "analysis_report",
    "report_pdf": "analysis_report_pdf",
}


def _url(part, project):
    return reverse(URL_NAMES[part], args=[project.pk])


def part_links(project) -> dict:
    """{part: URL} of every part of the analysis (the home page's links)."""
    return {part: _url(part, project) for part in URL_NAMES}


def analyses(projects) -> dict:
    """{project_id: the current Analysis} of the projects that started one; read once per
    reading of the guide, with the meeting that agreed the conclusions."""

    def load(projects):
        found = {}
        rows = (
            Analysis.objects.filter(project_id__in=[p.pk for p in projects])
            .select_related("profile", "conclusions_agreed_in")
            .order_by("project_id", "-cycle")
        )
        for analysis in rows:
            found.setdefault(analysis.project_id, analysis)
        return found

    return guide.shared(projects, "analysis.analyses", load)


def _not_started(project):
    return Evidence(
        False,
        _("The safety analysis has not been started yet."),
        reverse("analysis_home", args=[project.pk]),
        _("Safety analysis"),
    )


def _per_analysis(projects, found, judge):
    """Evidence per project: `judge(project, analysis)` for those with an analysis."""
    result = {}
    for project in projects:
        analysis = found.get(project.pk)
        result[project.pk] = judge(project, analysis) if analysis else _not_started(project)
    return result


def _counts(queryset, ids):
    rows = queryset.filter(analysis_id__in=ids).values("analysis_id").annotate(n=Count("pk"))
    return {row["analysis_id"]: row["n"] for row in rows.order_by()}


def area_profile(projects):
    """A description of the area, at least one street and at least one key figure."""
    found = analyses(projects)
    ids = [a.pk for a in found.values()]
    streets = _counts(Street.objects, ids)
    figures = _counts(KeyFigure.objects, ids)

    def judge(project, analysis):
        profile = getattr(analysis, "profile", None)
        missing = []
        if not (profile and profile.description.strip()):
            missing.append(_("a description of the area"))
        if not streets.get(analysis.pk):
            missing.append(_("its streets"))
        if not figures.get(analysis.pk):
            missing.append(_("key figures"))
        url, label = _url("profile", project), _("Area profile")
        if missing:
            return Evidence(False, _("Still missing: %s.") % ", ".join(missing), url, label)
        text = ngettext(
            "Described, with %(streets)s street and %(figures)s key figures.",
            "Described, with %(streets)s streets and %(figures)s key figures.",
            streets[analysis.pk],
        ) % {"streets": streets[analysis.pk], "figures": figures[analysis.pk]}
        return Evidence(True, text, url, label)

    return _per_analysis(projects, found, judge)


def indispensable_sources(projects):
    """CCV's six indispensable sources each done, or not used with a reason."""
    found = analyses(projects)
    rows = Source.objects.filter(
        analysis_id__in=[a.pk for a in found.values()], kind__in=INDISPENSABLE_SOURCES
    ).values_list("analysis_id", "kind", "status")
    status = {}
    for analysis_id, kind, state in rows.order_by():
        status.setdefault(analysis_id, {})[kind] = state
    closed = {SourceStatus.DONE, SourceStatus.NOT_USED}

    def judge(project, analysis):
        states = status.get(analysis.pk, {})
        open_kinds = [kind for kind in INDISPENSABLE_SOURCES if states.get(kind) not in closed]
        url, label = _url("sources", project), _("Sources")
        if not open_kinds:
            skipped = sum(1 for s in states.values() if s == SourceStatus.NOT_USED)
            text = (
                ngettext(
                    "All six are done or consciously not used (%(n)s not used).",
                    "All six are done or consciously not used (%(n)s not used).",
                    skipped,
                )
                % {"n": skipped}
                if skipped
                else _("All six are done.")
            )
            return Evidence(True, text, url, label)
        names = ", ".join(str(kind.label) for kind in open_kinds)
        return Evidence(False, _("Still open: %(names)s.") % {"names": names}, url, label)

    return _per_analysis(projects, found, judge)


def night_walk_through(projects):
    """At least one walk-through at night with at least one finding."""
    found = analyses(projects)
    walks = (
        WalkThrough.objects.filter(
            analysis_id__in=[a.pk for a in found.values()], timing=WalkThroughTiming.NIGHT
        )
        .annotate(n=Count("findings"))
        .filter(n__gt=0)
        .values_list("analysis_id", "date", "n")
        .order_by("analysis_id", "-date", "-pk")
    )
    newest = {}
    for analysis_id, day, n in walks:
        newest.setdefault(analysis_id, (day, n))

    def judge(project, analysis):
        url, label = _url("walk_throughs", project), _("Walk-throughs")
        if analysis.pk not in newest:
            return Evidence(
                False, _("No walk-through at night with findings recorded yet."), url, label
            )
        day, n = newest[analysis.pk]
        text = ngettext(
            "Walked at night on %(date)s: %(n)s finding.",
            "Walked at night on %(date)s: %(n)s findings.",
            n,
        ) % {"date": date_format(day, "SHORT_DATE_FORMAT"), "n": n}
        return Evidence(True, text, url, label)

    return _per_analysis(projects, found, judge)


# Counted as the surveys part counts its response rate (analysis/surveys/selectors.py): invited
# through a personal link, answered online, and typed in from paper apart.
INVITED = Q(responses__channel="online") & (
    Q(responses__invited_at__isnull=False) | Q(responses__submitted_at__isnull=False)
)
ANSWERED_ONLINE = Q(responses__channel="online", responses__submitted_at__isnull=False)
ON_PAPER = Q(responses__channel="paper")


def entrepreneurs_survey(projects):
    """A survey of the entrepreneurs sent through personal links with at least one answer, so
    that its response rate can be shown."""
    found = analyses(projects)
    surveys = (
        Survey.objects.filter(
            analysis_id__in=[a.pk for a in found.values()], kind=SurveyKind.ENTREPRENEURS
        )
        .annotate(
            invited=Count("responses", filter=INVITED),
            answered=Count("responses", filter=ANSWERED_ONLINE),
            paper=Count("responses", filter=ON_PAPER),
        )
        .values_list("analysis_id", "invited", "answered", "paper")
        .order_by("analysis_id", "pk")
    )
    best = {}
    for analysis_id, invited, answered, paper in surveys:
        if (invited > 0, answered + paper) > best.get(analysis_id, (False, -1, 0, 0))[:2]:
            best[analysis_id] = (invited > 0, answered + paper, invited, answered, paper)

    def judge(project, analysis):
        url, label = _url("surveys", project), _("Surveys")
        _sent, total, invited, answered, paper = best.get(analysis.pk, (False, 0, 0, 0, 0))
        if not invited:
            if paper:
                text = ngettext(
                    "%(n)s response typed in from paper; send personal links to show a "
                    "response rate.",
                    "%(n)s responses typed in from paper; send personal links to show a "
                    "response rate.",
                    paper,
                ) % {"n": paper}
                return Evidence(False, text, url, label)
            return Evidence(False, _("No entrepreneurs' survey sent yet."), url, label)
        if not total:
            text = ngettext(
                "Sent to %(n)s entrepreneur; no answer yet.",
                "Sent to %(n)s entrepreneurs; no answer yet.",
                invited,
            ) % {"n": invited}
            return Evidence(False, text, url, label)
        text = _("Response rate %(rate)s%% (%(answered)s of %(invited)s).") % {
            "rate": round(100 * answered / invited),
            "answered": answered,
            "invited": invited,
        }
        if paper:
            text += " " + ngettext(
                "And %(n)s typed in from paper.", "And %(n)s typed in from paper.", paper
            ) % {"n": paper}
        return Evidence(True, text, url, label)

    return _per_analysis(projects, found, judge)


# The kinds of meeting that count as the working group's (analysis/report/forms.py offers the
# same kinds).
AGREEING_KINDS = (MeetingKind.WORKING_GROUP,)


def conclusions_agreed(projects):
    """At least one conclusion, agreed in a working-group meeting that has been held."""
    found = analyses(projects)
    written = _counts(
        Conclusion.objects.filter(kind=ConclusionKind.CONCLUSION), [a.pk for a in found.values()]
    )

    def judge(project, analysis):
        meeting = analysis.conclusions_agreed_in
        if not written.get(analysis.pk):
            return Evidence(
                False,
                _("No conclusions have been written yet."),
                _url("conclusions", project),
                _("Conclusions"),
            )
        if meeting is None:
            return Evidence(
                False,
                _("The working group has not agreed the conclusions yet."),
                _url("conclusions", project),
                _("Conclusions"),
            )
        if meeting.kind not in AGREEING_KINDS:
            return Evidence(
                False,
                _(
                    "%(title)s is not a working-group meeting; record the working-group meeting "
                    "in which the conclusions were agreed."
                )
                % {"title": meeting.title},
                _url("conclusions", project),
                _("Conclusions"),
            )
        if meeting.status != MeetingStatus.HELD:
            return Evidence(
                False,
                _("The meeting %(title)s has not been held yet.") % {"title": meeting.title},
                reverse("meeting_detail", args=[project.pk, meeting.pk]),
                _("Meeting"),
            )
        text = _("Agreed on %(date)s: %(title)s.") % {
            "date": date_format(meeting.date, "SHORT_DATE_FORMAT"),
            "title": meeting.title,
        }
        return Evidence(True, text, _url("conclusions", project), _("Conclusions"))

    return _per_analysis(projects, found, judge)


def report_shared(projects):
    """The analysis report shared (with the working group, the council)."""
    found = analyses(projects)

    def judge(project, analysis):
        url, label = _url("report", project), _("Analysis report")
        if not analysis.report_shared_on:
            return Evidence(False, _("The report has not been shared yet."), url, label)
        text = _("Shared on %(date)s with %(who)s.") % {
            "date": date_format(analysis.report_shared_on, "SHORT_DATE_FORMAT"),
            "who": analysis.report_shared_with,
        }
        return Evidence(True, text, url, label)

    return _per_analysis(projects, found, judge)


def _step(key, order, title, why, evidence):
    return Step(
        key,
        order,
        title,
        why,
        required=True,
        evidence=evidence,
        ccv_step=CcvStep.SAFETY_ANALYSIS,
    )


STEPS = [
    _step(
        "analysis_area_profile",
        310,
        gettext_lazy("Area profile filled in"),
        gettext_lazy(
            "Describe the area, its streets and its key figures: they are the baseline that the "
            "evaluation measures against later."
        ),
        area_profile,
    ),
    _step(
        "analysis_sources",
        320,
        gettext_lazy("The six indispensable sources done or consciously not used"),
        gettext_lazy(
            "CCV names police figures, the safety monitor, the walk-through and the surveys of "
            "visitors, entrepreneurs and residents as the sources an analysis should not miss. "
            "Skipping one is allowed, with a reason."
        ),
        indispensable_sources,
    ),
    _step(
        "analysis_night_walk",
        330,
        gettext_lazy("A walk-through at night"),
        gettext_lazy(
            "At the busiest moment of the night the area shows what it is like for visitors: "
            "lighting, crowds, taxis, litter. Record what you see as findings."
        ),
        night_walk_through,
    ),
    _step(
        "analysis_entrepreneurs_survey",
        340,
        gettext_lazy("Entrepreneurs' survey with its response rate"),
        gettext_lazy(
            "The entrepreneurs know the area's night best. With the community officer handing "
            "out and collecting the survey the response can reach every business."
        ),
        entrepreneurs_survey,
    ),
    _step(
        "analysis_conclusions_agreed",
        350,
        gettext_lazy("Conclusions agreed in a working-group meeting"),
        gettext_lazy(
            "The partners carry the plan of approach only when they recognise the problems. "
            "Discuss the conclusions in the working group and record the meeting."
        ),
        conclusions_agreed,
    ),
    _step(
        "analysis_report_shared",
        360,
        gettext_lazy("Analysis report shared"),
        gettext_lazy(
            "Share the report with the working group and the council: it is where the plan of "
            "approach starts."
        ),
        report_shared,
    ),
]


def states(projects) -> dict:
    """{project_id: kvu.guide.GuideState} of step 3's guide, for any list of projects."""
    return guide.evaluate(projects, CcvStep.SAFETY_ANALYSIS)
