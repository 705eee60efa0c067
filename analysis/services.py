"""Writes of the analysis as a whole: starting it (the subdomains have their own services)."""

from django.db import transaction

from analysis.models import Analysis, AreaProfile, Source, SourceKind


@transaction.atomic
def start_analysis(*, project, user) -> Analysis:
    """Start the project's safety analysis (cycle 1): its profile and CCV's ten sources.

    Starting twice returns the analysis already there.
    """
    analysis, created = Analysis.objects.get_or_create(
        project=project, cycle=1, defaults={"started_by": user}
    )
    if created:
        AreaProfile.objects.create(analysis=analysis)
        for kind in SourceKind:
            Source.objects.create(analysis=analysis, kind=kind)
    return analysis
