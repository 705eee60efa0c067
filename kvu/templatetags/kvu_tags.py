"""Template tags of the core app."""

from django import template

from kvu import panels as page_panels

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context, slot, **kwargs):
    """Render the panels apps add to `slot`: {% panels "dashboard" %}."""
    return page_panels.render(slot, context["request"], **kwargs)


@register.simple_tag(takes_context=True)
def project_tabs(context, project):
    """The tabs apps add to the project's tab bar: {% project_tabs project as tabs %}."""
    match = context["request"].resolver_match
    return page_panels.project_tabs(project, match.url_name if match else "")
