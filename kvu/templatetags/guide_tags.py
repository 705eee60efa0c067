"""Template tags of the phase guide, for the project overview."""

from django import template

from kvu.guide_views import project_guide

register = template.Library()


@register.simple_tag
def guide_for(project):
    """{% guide_for project as guide_data %}: state, support and gate, constant queries."""
    return project_guide(project)
