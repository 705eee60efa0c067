"""Words of a PDF with their bounding boxes, from pypdf's text positions (pdfplumber is not a
dependency): the width of a word is measured with fontTools in the system font the PDF embeds
(our PDFs use DejaVu only), the height is the font size."""

import functools
import io
import re
from pathlib import Path

from fontTools.ttLib import TTFont
from pypdf import PdfReader

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


@functools.cache
def _font(base_name: str):
    name = base_name.lstrip("/").split("+", 1)[-1]
    path = FONT_DIR / f"{name}.ttf"
    if not path.exists():
        path = FONT_DIR / "DejaVuSans.ttf"
    font = TTFont(path)
    return font.getBestCmap(), font["hmtx"].metrics, font["head"].unitsPerEm


def _width(text: str, base_name: str, size: float) -> float:
    cmap, metrics, units = _font(base_name)
    total = 0
    for char in text:
        glyph = cmap.get(ord(char))
        total += metrics[glyph][0] if glyph in metrics else units / 2
    return total * size / units


def _multiply(m, n):
    a, b, c, d, e, f = m
    g, h, i, j, k, l_ = n
    return (a * g + b * i, a * h + b * j, c * g + d * i, c * h + d * j, e * g + f * i + k,
            e * h + f * j + l_)  # fmt: skip


def page_words(page) -> list[tuple[str, tuple[float, float, float, float]]]:
    """(word, (x0, y0, x1, y1)) for every word drawn on a page."""
    words = []

    def visit(text, cm, tm, font, size):
        if not text.strip() or not font:
            return
        if cm[3] >= 0:
            # WeasyPrint draws a page flipped (cm d < 0). Text that pypdf reports unflipped is
            # inside an SVG chart's form XObject, whose placement pypdf does not apply: its
            # position here is meaningless (and it is no table text).
            return
        a, b, _c, _d, e, f = _multiply(tm, cm)
        scale = (a * a + b * b) ** 0.5
        base = str(font.get("/BaseFont", ""))
        x = 0.0
        for match in re.finditer(r"\S+|\s+", text):
            chunk = match.group()
            width = _width(chunk, base, size)
            if not chunk.isspace():
                x0 = e + x * scale
                top, bottom = f + 0.75 * size * scale, f - 0.2 * size * scale
                words.append((chunk, (x0, bottom, x0 + width * scale, top)))
            x += width

    page.extract_text(visitor_text=visit)
    return words


def overlapping_words(pdf: bytes, tolerance: float = 0.3) -> list[tuple[int, str, str]]:
    """Pairs of words whose boxes intersect, as (page number, word, word)."""
    found = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, 1):
        words = page_words(page)
        for i, (word, (ax0, ay0, ax1, ay1)) in enumerate(words):
            for other, (bx0, by0, bx1, by1) in words[i + 1 :]:
                if (
                    min(ax1, bx1) - max(ax0, bx0) > tolerance
                    and min(ay1, by1) - max(ay0, by0) > tolerance
                ):
                    found.append((number, word, other))
    return found


def demo_pdfs(client) -> dict[str, tuple[bytes, object]]:
    """Every kind of PDF the application makes, of the demo project: {name: (pdf, project)}.

    `client` is a test client; the demo is loaded and its project leader logged in.
    """
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.urls import reverse

    from meetings.models import Meeting, MeetingStatus
    from partners.declaration import services
    from partners.models import Declaration, Project

    call_command("demo")
    client.force_login(get_user_model().objects.get(username="projectleider"))
    project = Project.objects.get(name="KVU Binnenstad Enschede")
    meeting = Meeting.objects.filter(project=project, status=MeetingStatus.HELD).first()
    declaration = Declaration.objects.filter(project=project).latest("version")
    return {
        "status report": (
            client.get(reverse("status_report_pdf", args=[project.pk])).content,
            project,
        ),
        "meeting report": (
            client.get(reverse("meeting_pdf", args=[project.pk, meeting.pk])).content,
            project,
        ),
        "declaration (municipality)": (
            client.get(reverse("declaration_pdf", args=[project.pk, declaration.version])).content,
            project,
        ),
        "declaration (partner)": (
            services.render_declaration_pdf(declaration, audience=services.PARTNER),
            project,
        ),
        # The later steps (issue 21) are the Apeldoorn project's: its adopted plan of approach
        # and its covenant (with the appendix of participants, who joined and who left).
        **_later_steps_pdfs(client),
    }


def _later_steps_pdfs(client) -> dict:
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from partners.declaration import services
    from partners.models import Declaration, DocumentKind, Project

    client.force_login(get_user_model().objects.get(username="projectleider2"))
    project = Project.objects.get(name="KVU Centrum Apeldoorn")
    covenant = Declaration.objects.current_for(project, DocumentKind.COVENANT)
    pdfs = {
        "plan of approach": (
            client.get(reverse("plan_pdf", args=[project.pk])).content,
            project,
        ),
        "covenant (municipality)": (
            client.get(reverse("covenant_pdf", args=[project.pk, covenant.version])).content,
            project,
        ),
        "covenant (partner)": (
            services.render_declaration_pdf(covenant, audience=services.PARTNER),
            project,
        ),
    }
    client.force_login(get_user_model().objects.get(username="projectleider"))
    return pdfs
