"""Demo data of the phase guide, kvu side: the leader's manual ticks (idempotent)."""

from kvu.models import GuideStepRecord, Project

# Enschede is nearly ready for the gate; Apeldoorn is earlier in the phase.
TICKS = {
    "KVU Binnenstad Enschede": (
        "CCV-cursus 'Veilig uitgaan' gevolgd en het KVU-draaiboek van Eindhoven doorgenomen met "
        "de projectleider daar."
    ),
    "KVU Centrum Apeldoorn": (
        "Handreiking KVU van het CCV gelezen; gesprek gehad met de projectleider van de KVU in "
        "Deventer."
    ),
}


def load() -> int:
    created = 0
    for project in Project.objects.filter(name__in=TICKS):
        _record, new = GuideStepRecord.objects.get_or_create(
            project=project,
            step="knowledge",
            defaults={
                "ticked": True,
                "note": TICKS[project.name],
                "updated_by": project.project_leader,
            },
        )
        created += new
    return created
