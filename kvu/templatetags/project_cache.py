"""{% projectcache %}: a part of a page rendered once and kept until its project's data changes.

    {% load project_cache %}
    {% projectcache project "board" project.user_can_write request.get_full_path %}
      ... the cards ...
    {% endprojectcache %}

The first argument is the project whose data the part shows (or a list of projects, for a part
about all of a user's projects), the second a name unique among the cached parts; every further
value the part depends on (the user's rights, the query string) is part of the key. The key also
holds what every derived figure's key holds (the project's data version, its last change, the
language; kvu/derived.py) and today's date, so a change to the project's data, a new day or
another language renders the part afresh. A project of None renders the part without caching it
(a form that was refused shows what was typed).

A form inside the part keeps its CSRF token per request: the part is rendered with a
placeholder for the token, which each request replaces with its own.

Only project data may be shown inside such a part: nothing of the user (their name, their
messages) unless it is a value of the key. The parts live in CACHES["parts"].
"""

import hashlib
import logging
import re

from django import template
from django.core.cache import caches
from django.utils.crypto import salted_hmac
from django.utils.safestring import mark_safe

from kvu import derived

logger = logging.getLogger(__name__)
register = template.Library()

# Letters and digits only, so HTML escaping leaves it as it is; from the secret key, so that
# nobody can type it into a text and every process of the installation writes the same one.
CSRF_PLACEHOLDER = (
    "kvucsrf" + salted_hmac("kvu.project_cache", "csrf", algorithm="sha256").hexdigest()[:32]
)
TOKEN_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=)"[^"]*"')


class ProjectCacheNode(template.Node):
    def __init__(self, nodelist, project, name, vary_on):
        self.nodelist = nodelist
        self.project = project
        self.name = name
        self.vary_on = vary_on

    def render(self, context):
        project = self.project.resolve(context)
        name = self.name.resolve(context)
        vary = repr([value.resolve(context) for value in self.vary_on])
        token = context.get("csrf_token")
        if not project or not token or token == "NOTPROVIDED":
            # No project (an empty list of them): nothing that a change would renew the part by.
            # Outside a request (or without CSRF protection) there is no token to put back.
            return self.nodelist.render(context)
        key = derived.fragment_key(project, name, hashlib.sha256(vary.encode()).hexdigest())
        cache = caches["parts"]
        html = cache.get(key)
        if html is None:
            with context.push(csrf_token=CSRF_PLACEHOLDER):
                html = str(self.nodelist.render(context))
            # A template rendered on its own inside the part (a panel) wrote this request's
            # token itself: that one is replaced too, so no user's token is ever kept.
            html = TOKEN_INPUT.sub(f'\\1"{CSRF_PLACEHOLDER}"', html)
            if html.count("csrfmiddlewaretoken") != html.count(CSRF_PLACEHOLDER):
                logger.error("Part %r holds a CSRF token in another form; not cached.", name)
                return mark_safe(html.replace(CSRF_PLACEHOLDER, str(token)))
            cache.set(key, html)
        return mark_safe(html.replace(CSRF_PLACEHOLDER, str(token)))


@register.tag
def projectcache(parser, token):
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError(
            f"'{bits[0]}' takes a project and a name, then the values the part depends on."
        )
    nodelist = parser.parse(("endprojectcache",))
    parser.delete_first_token()
    project, name, *vary_on = (parser.compile_filter(bit) for bit in bits[1:])
    return ProjectCacheNode(nodelist, project, name, vary_on)
