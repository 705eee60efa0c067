"""Reads of the analysis used in more than one place."""

from analysis.models import Analysis


def current_analysis(project) -> Analysis | None:
    """The analysis of the project's current cycle, or None before the leader started it."""
    return Analysis.objects.current(project)
