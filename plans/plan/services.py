"""Writes of step 4: the plan's texts, its measures, adopting it in a meeting, sharing it."""

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from meetings import services as meeting_services
from meetings.models import MeetingKind, MeetingStatus
from partners.models import Participation
from plans.models import Measure, Plan, PlanVersion
from plans.plan import versions
from plans.services import PlanError

# The kinds of meeting in which the working group adopts the plan (as it agrees the analysis'
# conclusions, analysis/report/forms.py).
ADOPTING_KINDS = (MeetingKind.WORKING_GROUP,)


@transaction.atomic
def save_texts(*, plan: Plan, fields: dict) -> Plan:
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.save(update_fields=[*fields, "updated_at"])
    return plan


def _next_position(plan, theme) -> int:
    last = Measure.objects.filter(plan=plan, theme=theme).aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


@transaction.atomic
def add_measure(*, plan: Plan, fields: dict, contributors=()) -> Measure:
    """A new measure of the plan, placed last in its theme."""
    measure = Measure.objects.create(
        plan=plan, position=_next_position(plan, fields["theme"]), **fields
    )
    measure.contributors.set(contributors)
    return measure


@transaction.atomic
def save_measure(*, measure: Measure, contributors=()) -> Measure:
    """Save a measure changed by its form; a new theme places it last there."""
    before = Measure.objects.filter(pk=measure.pk).values_list("theme", flat=True).first()
    if before is not None and before != measure.theme:
        measure.position = _next_position(measure.plan, measure.theme)
    measure.save()
    measure.contributors.set(contributors)
    return measure


@transaction.atomic
def delete_measure(*, measure: Measure):
    """Remove a measure from the live plan; adopted versions keep it in their snapshot."""
    measure.delete()


def adoptable_meetings(project):
    """The held working-group meetings of the project in which the plan can be adopted."""
    from meetings.models import Meeting

    return Meeting.objects.filter(
        project=project,
        status=MeetingStatus.HELD,
        kind__in=ADOPTING_KINDS,
        date__lte=timezone.localdate(),
    ).order_by("-date", "-pk")


@transaction.atomic
def adopt_plan(*, plan: Plan, meeting, user) -> PlanVersion:
    """Record that the working group adopted the plan in `meeting`: freeze it as the next
    version, with what changed since the previous one, and the meeting's decision.

    Refused (PlanError) for a meeting that is not a held working-group meeting of the project,
    for a plan without measures, and when nothing changed since the last adopted version.
    """
    plan = Plan.objects.select_for_update().select_related("analysis").get(pk=plan.pk)
    if not adoptable_meetings(plan.project_id).filter(pk=meeting.pk).exists():
        raise PlanError(_("The plan can only be adopted in a held working-group meeting."))
    content = versions.snapshot(plan)
    if not content["measures"]:
        raise PlanError(_("A plan without measures cannot be adopted."))
    previous = plan.versions.order_by("-number").first()
    if previous is not None and not versions.differs(content, previous.content):
        raise PlanError(
            _("Nothing has changed since version %(number)s.") % {"number": previous.number}
        )
    if previous is not None and meeting.date < previous.adopted_on:
        # The record runs forward: a later version is adopted in the same or a later meeting.
        raise PlanError(
            _(
                "Version %(number)s was adopted on %(day)s: a new version is adopted in a "
                "meeting on or after that day."
            )
            % {"number": previous.number, "day": date_format(previous.adopted_on, "j F Y")}
        )
    number = previous.number + 1 if previous else 1
    count = len(content["measures"])
    text = ngettext(
        "The working group adopts version %(number)s of the plan of approach, with %(count)s "
        "measure.",
        "The working group adopts version %(number)s of the plan of approach, with %(count)s "
        "measures.",
        count,
    ) % {"number": number, "count": count}
    responsible = {m["responsible_id"] for m in content["measures"]}
    decision = meeting_services.record_agreement(
        meeting=meeting,
        user=user,
        text=text,
        participations=list(
            Participation.objects.filter(project_id=plan.project_id, pk__in=responsible)
        ),
    )
    return PlanVersion.objects.create(
        plan=plan,
        number=number,
        adopted_in=meeting,
        adopted_on=meeting.date,
        decision=decision,
        content=content,
        changes="\n".join(versions.changes(previous.content, content)) if previous else "",
        adopted_by=user,
    )


@transaction.atomic
def share_plan(*, plan: Plan, on: datetime.date, with_whom: str) -> Plan:
    plan.shared_on = on
    plan.shared_with = with_whom
    plan.save(update_fields=["shared_on", "shared_with", "updated_at"])
    return plan
