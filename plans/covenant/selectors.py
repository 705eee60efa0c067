"""Reads of step 5 shared by the commitments page, the covenant's first draft and the panels."""

from dataclasses import dataclass, field

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When

from analysis.report.models import Theme
from partners.models import OrganisationKind, Participation, Stage
from plans.models import Commitment, Measure

# The order in which the parties are named, on the page and in the covenant: the public partners
# first, then KHN, the association and the businesses, then the others; each by name.
PARTY_ORDER = [
    OrganisationKind.MUNICIPALITY,
    OrganisationKind.POLICE,
    OrganisationKind.PROSECUTOR,
    OrganisationKind.FIRE_SERVICE,
    OrganisationKind.KHN,
    OrganisationKind.HOSPITALITY_ASSOCIATION,
    OrganisationKind.HOSPITALITY,
]
KIND_ORDER = Case(
    *(When(organisation__kind=kind, then=Value(rank)) for rank, kind in enumerate(PARTY_ORDER)),
    default=Value(len(PARTY_ORDER)),
    output_field=IntegerField(),
)


@dataclass
class PartnerCommitments:
    participation: Participation
    commitments: list = field(default_factory=list)
    measures: list = field(default_factory=list)  # the plan's measures it is responsible for


def covenant_partners(plan):
    """The project's partners that can commit to the covenant: all but those that declined the
    KVU, unless they have commitments already (which stay visible)."""
    return (
        Participation.objects.filter(project_id=plan.project_id)
        .filter(
            ~Q(stage__in=[Stage.DECLINED, Stage.NOT_APPROACHED])
            | Exists(Commitment.objects.filter(plan=plan, participation=OuterRef("pk")))
        )
        .select_related("organisation", "main_contact")
        .annotate(kind_order=KIND_ORDER)
        .order_by("kind_order", "organisation__name", "pk")
    )


def commitments_by_partner(plan, partners=None) -> list[PartnerCommitments]:
    """Per partner (all of `covenant_partners`, or the given ones: a page of them) its
    commitments, in their order, and the measures of the plan it is responsible for: three
    queries, whatever the number of partners."""
    partners = covenant_partners(plan) if partners is None else partners
    groups = {p.pk: PartnerCommitments(p) for p in partners}
    commitments = Commitment.objects.filter(plan=plan, participation_id__in=list(groups))
    for commitment in commitments.order_by("participation_id", "position", "pk"):
        group = groups[commitment.participation_id]
        commitment.participation = group.participation
        group.commitments.append(commitment)
    measures = Measure.objects.filter(plan=plan, responsible_id__in=list(groups))
    for measure in measures.order_by("theme", "position", "pk"):
        groups[measure.responsible_id].measures.append(measure)
    return list(groups.values())


def committed_count(plan) -> int:
    """How many partners have recorded at least one commitment."""
    return Commitment.objects.filter(plan=plan).values("participation_id").distinct().count()


def page_of_partner(plan, participation_id, per_page) -> int:
    """The page of the commitments page on which a partner is listed (1 when it is not)."""
    ids = list(covenant_partners(plan).values_list("pk", flat=True))
    return ids.index(participation_id) // per_page + 1 if participation_id in ids else 1


def measures_by_theme(plan) -> list[tuple[str, list]]:
    """(theme label, measures) in the order of the CCV themes, with the responsible partner."""
    measures = list(
        Measure.objects.filter(plan=plan)
        .select_related("responsible__organisation", "knelpunt")
        .order_by("position", "pk")
    )
    themes = []
    for value, label in Theme.choices:
        # A measure for a knelpunt is under the knelpunt's theme, as in the matrix, also when
        # the knelpunt's theme was changed in the analysis after the measure was made.
        here = [m for m in measures if (m.knelpunt.theme if m.knelpunt else m.theme) == value]
        if here:
            themes.append((label, here))
    return themes
