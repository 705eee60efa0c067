"""Template tags of the core app."""

from django import template

from kvu import panels as panel_registry

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context, slot, **kwargs):
    """Render the panels registered for `slot`: {% panels "project_overview" project=project %}."""
    return panel_registry.render(slot, context["request"], **kwargs)
