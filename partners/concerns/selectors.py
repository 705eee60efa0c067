"""Reads of the concerns shared by the pages, the overview panel, the report and the guide."""

from django.db.models import Case, F, IntegerField, Value, When

from partners.models import Concern, ConcernStatus

# A partner's page shows this many concerns; the project's list shows them all.
SECTION_LIMIT = 20

# Open concerns first, then those being addressed, then the closed ones.
STATUS_ORDER = Case(
    When(status=ConcernStatus.OPEN, then=Value(0)),
    When(status=ConcernStatus.IN_PROGRESS, then=Value(1)),
    When(status=ConcernStatus.RESOLVED, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


def of_project(project):
    """The project's concerns with what their rows show, the soonest due first."""
    return (
        Concern.objects.filter(participation__project=project)
        .select_related("participation__organisation", "participation__project")
        .select_related("owner", "agreement")
        .order_by(F("due_date").asc(nulls_last=True), "created_at", "pk")
    )


def open_of_project(project):
    return of_project(project).still_open()


def for_participation_page(participation) -> dict:
    """The partner's concerns, the open ones first: at most SECTION_LIMIT, in one query."""
    rows = list(
        Concern.objects.filter(participation=participation)
        .select_related("owner", "agreement")
        .order_by(STATUS_ORDER, F("due_date").asc(nulls_last=True), "created_at", "pk")[
            : SECTION_LIMIT + 1
        ]
    )
    return {"items": rows[:SECTION_LIMIT], "more": len(rows) > SECTION_LIMIT}
