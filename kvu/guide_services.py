"""Writes of the phase guide: manual ticks, overrides and passing the phase gate."""

from django.db import transaction
from django.utils.translation import gettext as _

from kvu import guide
from kvu.models import GateDecision, GuideStepRecord, Project


class GateRefused(Exception):
    """The gate stays shut; the message is meant for the user."""


@transaction.atomic
def tick_step(*, project: Project, step_key: str, user, ticked: bool, note: str) -> GuideStepRecord:
    """Tick (or untick) a manual step, with a note on how it was done."""
    if not guide.steps_by_key()[step_key].manual:
        raise ValueError(f"step {step_key} is derived from the data, not ticked")
    record, _created = GuideStepRecord.objects.select_for_update().get_or_create(
        project=project, step=step_key
    )
    record.ticked = ticked
    record.note = note
    record.updated_by = user
    record.save()
    return record


@transaction.atomic
def override_step(
    *, project: Project, step_key: str, user, override: str, reason: str
) -> GuideStepRecord:
    """Override a step's state ("done"/"open") with a reason, or clear the override ("")."""
    if step_key not in guide.steps_by_key():
        raise KeyError(step_key)
    if override not in ("", "done", "open"):
        raise ValueError(override)
    if override and not reason.strip():
        raise ValueError("an override needs a reason")
    record, _created = GuideStepRecord.objects.select_for_update().get_or_create(
        project=project, step=step_key
    )
    record.override = override
    record.override_reason = reason.strip() if override else ""
    record.updated_by = user
    record.save()
    return record


@transaction.atomic
def pass_gate(*, project: Project, user, reason: str = "", acknowledged=()) -> GateDecision | None:
    """Move the project from its current CCV step to the next (e.g. initiative to analysis).

    Allowed when every required step of the current step's guide is done; otherwise only
    through a recorded decision that names every open required step (`acknowledged`) and gives
    a reason. A step without a guide in this application has no gate.
    """
    project = Project.objects.select_for_update().get(pk=project.pk)
    current = project.ccv_step
    if not guide.has_gate(current):
        raise GateRefused(_("This step has no phase gate in KVU-werkplaats."))
    state = guide.evaluate([project], ccv_step=current)[project.pk]
    open_steps = [s.step for s in state.required_open]
    decision = None
    if open_steps:
        if set(acknowledged) != {s.key for s in open_steps}:
            raise GateRefused(
                _("Name every open required step in your decision before passing the gate.")
            )
        if not reason.strip():
            raise GateRefused(_("Give the reason for passing the gate with steps still open."))
        decision = GateDecision.objects.create(
            project=project,
            from_step=current,
            to_step=current + 1,
            missing="\n".join(str(s.title) for s in open_steps),
            reason=reason.strip(),
            decided_by=user,
        )
    project.ccv_step = current + 1
    project.save(update_fields=["ccv_step", "updated_at"])
    return decision
