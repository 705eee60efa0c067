"""The declaration text as HTML: lists and paragraphs, for the pages and the PDF.

The text is plain text (its SHA-256 is over the text itself); this only renders it. Everything is
escaped first, so no HTML a user typed ever reaches a page. Then, within one block of the text
(blocks are separated by blank lines, see services.text_blocks):

- a run of lines that start with "- " or "• " becomes one list (<ul><li>);
- any other run of lines becomes a paragraph, its line breaks kept (<br>).
"""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BULLET = re.compile(r"^\s*[-•]\s+")


def text_html(text: str) -> SafeString:
    """One block of declaration text as safe HTML: <ul> for bullet runs, <p> for the rest."""
    parts: list[str] = []
    items: list[str] = []
    lines: list[str] = []

    def flush_items():
        if items:
            parts.append("<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")
            items.clear()

    def flush_lines():
        if lines:
            parts.append("<p>" + "<br>".join(lines) + "</p>")
            lines.clear()

    for raw in str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not raw.strip():
            flush_items()
            flush_lines()
            continue
        bullet = BULLET.match(raw)
        if bullet:
            flush_lines()
            items.append(escape(raw[bullet.end() :].strip()))
        elif items and raw[:1].isspace():
            # An indented line continues the list item above it.
            items[-1] += " " + escape(raw.strip())
        else:
            flush_items()
            lines.append(escape(raw.strip()))
    flush_items()
    flush_lines()
    return mark_safe("".join(parts))  # every piece of text was escaped above
