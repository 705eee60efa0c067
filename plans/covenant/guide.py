"""The guide of CCV step 5 (the covenant): its steps with their evidence, derived from data.

Every evidence function takes a LIST of projects and returns {project_id: Evidence} with a fixed
number of queries (kvu/guide.py). The rows several steps need (the current plans, the covenant's
versions, the partners, the signatures of the sent version) are read once per reading of the
guide (`guide.shared`). PlansConfig.guide_steps() hands STEPS to kvu.
"""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from kvu import guide
from kvu.guide import Evidence, Step
from kvu.models import CcvStep
from partners.models import (
    Decision,
    Declaration,
    Departure,
    DocumentKind,
    KvuRole,
    OrganisationKind,
    Participation,
    Signature,
    Stage,
)
from plans.models import Commitment, Plan

# The public partners that sign every covenant; the Public Prosecution Service when it takes part.
PUBLIC_SIGNATORIES = (OrganisationKind.MUNICIPALITY, OrganisationKind.POLICE, OrganisationKind.KHN)
IF_TAKING_PART = (OrganisationKind.PROSECUTOR,)
# The share of the project's hospitality businesses that signed for the step to be done.
BUSINESS_SHARE = 0.5


def _ids(projects):
    return [project.pk for project in projects]


def plans(projects) -> dict:
    """{project_id: the current Plan} of the projects that started one."""

    def load(projects):
        found = {}
        rows = Plan.objects.filter(project_id__in=_ids(projects)).order_by("project_id", "-cycle")
        for plan in rows.only("pk", "project_id", "cycle"):
            found.setdefault(plan.project_id, plan)
        return found

    return guide.shared(projects, "plans.covenant.plans", load)


def covenants(projects) -> dict:
    """{project_id: (newest version, newest sent version or None)} of the projects' covenants."""

    def load(projects):
        found = {}
        rows = (
            Declaration.objects.filter(project_id__in=_ids(projects), kind=DocumentKind.COVENANT)
            .only(
                "pk",
                "project_id",
                "kind",
                "version",
                "frozen_at",
                "valid_from",
                "valid_until",
                "result_sent_at",
            )
            .order_by("project_id", "-version")
        )
        for document in rows:
            newest, sent = found.get(document.project_id, (None, None))
            newest = newest or document
            if sent is None and document.frozen_at is not None:
                sent = document
            found[document.project_id] = (newest, sent)
        return found

    return guide.shared(projects, "plans.covenant.covenants", load)


def partners(projects) -> dict:
    """{project_id: [(participation pk, kind, name, role)]} of the partners that did not decline."""

    def load(projects):
        found = {}
        rows = (
            Participation.objects.filter(project_id__in=_ids(projects))
            .exclude(stage=Stage.DECLINED)
            .values_list("project_id", "pk", "organisation__kind", "organisation__name", "role")
            .order_by("project_id", "organisation__name", "pk")
        )
        for project_id, pk, kind, name, role in rows:
            found.setdefault(project_id, []).append((pk, kind, name, role))
        return found

    return guide.shared(projects, "plans.covenant.partners", load)


def signed(projects) -> dict:
    """{document pk: {participation pk}} of the partners whose signature on the newest sent
    version stands: signed, and not left since."""

    def load(projects):
        sent = [s.pk for _n, s in covenants(projects).values() if s is not None]
        rows = (
            Signature.objects.filter(declaration_id__in=sent, decision=Decision.SIGNED)
            .exclude(
                Exists(
                    Departure.objects.filter(
                        document_id=OuterRef("declaration_id"),
                        participation_id=OuterRef("participation_id"),
                    )
                )
            )
            .values_list("declaration_id", "participation_id")
            .order_by()
        )
        found = {}
        for document_id, participation_id in rows:
            found.setdefault(document_id, set()).add(participation_id)
        return found

    return guide.shared(projects, "plans.covenant.signed", load)


def _covenant_url(project):
    return reverse("covenant_detail", args=[project.pk])


def _commitments_url(project):
    return reverse("commitment_list", args=[project.pk])


def _not_sent(project, newest):
    url, label = _covenant_url(project), _("Covenant")
    if newest is None:
        return Evidence(False, _("No covenant has been drafted yet."), url, label)
    return Evidence(
        False,
        _("Version %(version)s has been drafted but not sent yet.") % {"version": newest.version},
        url,
        label,
    )


def core_commitments(projects):
    """Every core partner has at least one commitment in the current plan."""
    found = plans(projects)
    partner_rows = partners(projects)
    committed = set(
        Commitment.objects.filter(plan_id__in=[plan.pk for plan in found.values()])
        .values_list("plan_id", "participation_id")
        .distinct()
        .order_by()
    )
    result = {}
    for project in projects:
        url, label = _commitments_url(project), _("Commitments")
        plan = found.get(project.pk)
        if plan is None:
            result[project.pk] = Evidence(
                False, _("The plan of approach has not been started yet."), url, label
            )
            continue
        core = [row for row in partner_rows.get(project.pk, []) if row[3] == KvuRole.CORE]
        if not core:
            result[project.pk] = Evidence(False, _("The project has no core partners."), url, label)
            continue
        waiting = [name for pk, _k, name, _r in core if (plan.pk, pk) not in committed]
        done = not waiting
        lead = (
            ngettext(
                "The core partner has recorded its commitments.",
                "All %(count)s core partners have recorded their commitments.",
                len(core),
            )
            % {"count": len(core)}
            if done
            else _("%(done)s of %(total)s core partners have recorded commitments.")
            % {"done": len(core) - len(waiting), "total": len(core)}
        )
        result[project.pk] = Evidence.waiting_for(done, lead, waiting, url, label)
    return result


def covenant_sent(projects):
    """The covenant drafted and sent to the partners."""
    found = covenants(projects)
    result = {}
    for project in projects:
        newest, sent = found.get(project.pk, (None, None))
        if sent is None:
            result[project.pk] = _not_sent(project, newest)
            continue
        text = _("Version %(version)s sent on %(date)s.") % {
            "version": sent.version,
            "date": date_format(sent.frozen_at, "SHORT_DATE_FORMAT"),
        }
        if newest.pk != sent.pk:
            text += " " + _("A newer version %(version)s is a draft.") % {"version": newest.version}
        result[project.pk] = Evidence(True, text, _covenant_url(project), _("Covenant"))
    return result


def public_partners_signed(projects):
    """Signed by the municipality, the police and KHN, and by the Public Prosecution Service
    when it takes part."""
    found = covenants(projects)
    partner_rows = partners(projects)
    signatures = signed(projects)
    labels = dict(OrganisationKind.choices)
    result = {}
    for project in projects:
        newest, sent = found.get(project.pk, (None, None))
        if sent is None:
            result[project.pk] = _not_sent(project, newest)
            continue
        rows = partner_rows.get(project.pk, [])
        present = {kind for _pk, kind, _n, _r in rows}
        needed = [*PUBLIC_SIGNATORIES, *(k for k in IF_TAKING_PART if k in present)]
        here = signatures.get(sent.pk, set())
        signed_kinds = {kind for pk, kind, _n, _r in rows if pk in here}
        missing_kinds = [kind for kind in needed if kind not in signed_kinds]
        absent = [kind for kind in missing_kinds if kind not in present]
        waiting = [name for pk, kind, name, _r in rows if kind in missing_kinds]
        url, label = _covenant_url(project), _("Covenant")
        if not missing_kinds:
            names = ", ".join(str(labels[kind]) for kind in needed)
            text = _("Signed by: %(kinds)s.") % {"kinds": names}
            result[project.pk] = Evidence(True, text, url, label)
            continue
        lead = _("%(done)s of %(total)s public partners have signed.") % {
            "done": len(needed) - len(missing_kinds),
            "total": len(needed),
        }
        if absent:
            lead += " " + _("Not among the partners: %(kinds)s.") % {
                "kinds": ", ".join(str(labels[kind]) for kind in absent)
            }
        result[project.pk] = Evidence.waiting_for(False, lead, waiting, url, label)
    return result


def businesses_signed(projects):
    """At least half of the project's hospitality businesses signed (and did not leave)."""
    found = covenants(projects)
    partner_rows = partners(projects)
    signatures = signed(projects)
    result = {}
    for project in projects:
        newest, sent = found.get(project.pk, (None, None))
        if sent is None:
            result[project.pk] = _not_sent(project, newest)
            continue
        url, label = _covenant_url(project), _("Covenant")
        businesses = [
            (pk, name)
            for pk, kind, name, _r in partner_rows.get(project.pk, [])
            if kind == OrganisationKind.HOSPITALITY
        ]
        if not businesses:
            result[project.pk] = Evidence(
                False, _("There are no hospitality businesses among the partners."), url, label
            )
            continue
        here = signatures.get(sent.pk, set())
        count = sum(1 for pk, _n in businesses if pk in here)
        total = len(businesses)
        done = count > 0 and count >= BUSINESS_SHARE * total
        lead = _("%(signed)s of %(total)s hospitality businesses signed (%(share)s%%).") % {
            "signed": count,
            "total": total,
            "share": round(100 * count / total),
        }
        waiting = [] if done else [name for pk, name in businesses if pk not in here]
        result[project.pk] = Evidence.waiting_for(done, lead, waiting, url, label)
    return result


def term_set(projects):
    """The sent covenant has its term: the first and the last day."""
    found = covenants(projects)
    result = {}
    for project in projects:
        newest, sent = found.get(project.pk, (None, None))
        if sent is None:
            result[project.pk] = _not_sent(project, newest)
            continue
        url, label = reverse("covenant_edit", args=[project.pk]), _("Covenant")
        if sent.valid_from is None or sent.valid_until is None:
            result[project.pk] = Evidence(
                False, _("The covenant's term has not been set."), url, label
            )
            continue
        text = _("Runs from %(start)s up to and including %(end)s.") % {
            "start": date_format(sent.valid_from, "SHORT_DATE_FORMAT"),
            "end": date_format(sent.valid_until, "SHORT_DATE_FORMAT"),
        }
        result[project.pk] = Evidence(True, text, _covenant_url(project), label)
    return result


def _step(key, order, title, why, evidence, *, required=True):
    return Step(
        key, order, title, why, required=required, evidence=evidence, ccv_step=CcvStep.COVENANT
    )


STEPS = [
    _step(
        "covenant_commitments",
        510,
        gettext_lazy("Commitments recorded for the core partners"),
        gettext_lazy(
            "In the covenant every partner says what it does itself. Write down with each core "
            "partner what it commits to; the measures it is responsible for in the plan are a "
            "good starting point."
        ),
        core_commitments,
    ),
    _step(
        "covenant_sent",
        520,
        gettext_lazy("Covenant drafted and sent"),
        gettext_lazy(
            "The first draft is made from the plan of approach and the commitments. Discuss it "
            "in the working group, adjust it and send it to the partners to sign online."
        ),
        covenant_sent,
    ),
    _step(
        "covenant_public_signed",
        530,
        gettext_lazy("Signed by the municipality, the police and KHN"),
        gettext_lazy(
            "Without the municipality, the police and KHN a covenant carries no weight. The "
            "Public Prosecution Service often becomes active at this step: when it takes part, "
            "it signs too."
        ),
        public_partners_signed,
    ),
    _step(
        "covenant_businesses_signed",
        540,
        gettext_lazy("Signed by the hospitality businesses"),
        gettext_lazy(
            "The agreements work when the businesses of the area keep them. At least half of "
            "them should sign; others can join during the term."
        ),
        businesses_signed,
    ),
    _step(
        "covenant_term",
        550,
        gettext_lazy("Term of the covenant set"),
        gettext_lazy(
            "A covenant usually runs four years and is then renewed after an evaluation. The "
            "leaders are reminded three months before it ends."
        ),
        term_set,
    ),
    Step(
        "covenant_signing_moment",
        560,
        gettext_lazy("The signing made public"),
        gettext_lazy(
            "A public moment, with the mayor and the press, or a notice in the local paper, "
            "shows visitors and residents that the partners work together. Tick it with a short "
            "note on what was done."
        ),
        required=False,
        ccv_step=CcvStep.COVENANT,
    ),
]


def states(projects) -> dict:
    """{project_id: kvu.guide.GuideState} of step 5's guide, for any list of projects."""
    return guide.evaluate(projects, CcvStep.COVENANT)
