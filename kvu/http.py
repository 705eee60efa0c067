"""Small helpers for views of every app."""

from django.contrib import messages
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext as _


def safe_next(request, fallback: str) -> str:
    """The `next` URL of the request when it is a path on this site, otherwise `fallback`.

    Only a local path: `redirect()` would try a bare word such as "x" as a URL name (a server
    error), and another host would make the application an open redirect.
    """
    target = request.POST.get("next") or request.GET.get("next")
    if (
        target
        and target.startswith("/")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return fallback


def refuse(request, form) -> None:
    """One message with the form's errors, each after its field's label; nothing was changed."""
    parts = []
    for name, errors in form.errors.items():
        label = capfirst(form[name].label) if name in form.fields else ""
        parts += [f"{label}: {error}" if label else str(error) for error in errors]
    messages.error(request, _("Nothing has been saved: %(errors)s") % {"errors": " ".join(parts)})
