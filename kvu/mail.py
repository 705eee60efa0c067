"""Every e-mail the application sends is automatic; this module builds them all.

- Subjects and plain-text bodies are rendered by the "text" template engine (settings.TEMPLATES),
  which does not HTML-escape: a meeting called "café 't Hoekje & Oude Markt" arrives as written,
  not as "café &#x27;t Hoekje &amp; Oude Markt". HTML parts (the digest) keep the escaping engine.
- Every message carries `Auto-Submitted: auto-generated` (RFC 3834), so that mail servers and
  out-of-office replies leave it alone.
"""

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

AUTOMATIC = {"Auto-Submitted": "auto-generated"}


def render_text(template_name: str, context: dict) -> str:
    """A plain-text e-mail body, without HTML escaping."""
    return render_to_string(template_name, context, using="text")


def render_subject(template_name: str, context: dict) -> str:
    """A subject on one line (a line break in a header makes the send fail), unescaped."""
    return " ".join(render_text(template_name, context).split())


def automatic_message(
    *, subject: str, body: str, to: list[str], **kwargs
) -> EmailMultiAlternatives:
    """An e-mail with the headers every automatic message carries."""
    headers = {**AUTOMATIC, **kwargs.pop("headers", {})}
    return EmailMultiAlternatives(subject=subject, body=body, to=to, headers=headers, **kwargs)
