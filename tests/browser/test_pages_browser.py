"""Pages as outside tools see them: no console error or CSP violation, no sideways scrolling,
unique landmarks, visible focus rings, a favicon, and a board that fits a desktop screen."""

import pytest
from django.conf import settings
from django.urls import reverse

from kvu.models import Project
from meetings.models import Meeting
from partners.models import Participation
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

# Collects every CSP violation in the page itself (the listener is added through the DevTools
# protocol, so the CSP does not block it).
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(
  e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' '
  + (e.sourceFile || '') + ':' + e.lineNumber
));
"""


def watch(page):
    """Record console errors, uncaught exceptions and failed same-origin requests of `page`."""
    problems = []
    page.add_init_script(CSP_LISTENER)
    page.on(
        "console",
        lambda message: (
            problems.append(f"console {message.type}: {message.text}")
            if message.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on(
        "response",
        lambda response: (
            problems.append(f"HTTP {response.status}: {response.url}")
            if response.status >= 400
            else None
        ),
    )
    return problems


def csp_violations(page):
    return page.evaluate("() => window.__cspViolations || []")


def _demo_objects():
    project = Project.objects.get(name="KVU Binnenstad Enschede")
    participation = Participation.objects.filter(project=project).first()
    meeting = Meeting.objects.filter(project=project).first()
    return project, participation, meeting


def _main_pages(project, participation, meeting):
    p = project.pk
    pages = [
        ("dashboard", reverse("dashboard")),
        ("project overview", reverse("project_detail", args=[p])),
        ("phase guide", reverse("guide", args=[p])),
        ("partner board", reverse("partner_board", args=[p])),
        ("partner list", reverse("partner_list", args=[p])),
        ("partner grid", reverse("partner_grid", args=[p])),
        ("participation", reverse("participation_detail", args=[p, participation.pk])),
        ("contact log", reverse("contact_log", args=[p])),
        ("concerns", reverse("concern_list", args=[p])),
        ("documents", reverse("document_list", args=[p])),
        ("meetings", reverse("meeting_list", args=[p])),
        ("declaration", reverse("declaration_detail", args=[p])),
        ("status report", reverse("status_report", args=[p])),
        ("timeline", reverse("timeline", args=[p])),
        ("audit log", reverse("audit_log", args=[project.municipality_id])),
        ("accessibility statement", reverse("accessibility_statement")),
    ]
    if meeting:
        pages.append(("meeting", reverse("meeting_detail", args=[p, meeting.pk])))
    return pages


def test_no_main_page_logs_a_console_error_or_breaks_the_csp(page_for, demo_data):
    project, participation, meeting = _demo_objects()
    assert meeting is not None, "the demo has meetings"
    page = page_for()
    problems = watch(page)
    login(page, "projectleider")
    found = {}
    for label, url in _main_pages(project, participation, meeting):
        problems.clear()
        response = page.goto(url)
        assert response.status == 200, f"{label}: {url} gave {response.status}"
        page.wait_for_load_state("networkidle")
        violations = csp_violations(page)
        if problems or violations:
            found[f"{label} ({url})"] = problems + [f"CSP: {v}" for v in violations]
    assert not found, "\n".join(f"{label}: {items}" for label, items in found.items())


def test_a_page_with_an_inline_style_would_be_reported(page_for, live_server):
    """The check above can fail: an inline style attribute is a CSP violation it sees."""
    page = page_for()
    problems = watch(page)
    page.goto(reverse("accessibility_statement"))
    page.evaluate("() => { document.body.innerHTML += '<p style=\"width: 10%\">x</p>'; }")
    page.wait_for_timeout(200)
    assert csp_violations(page) or problems


def _scrolls_sideways(page):
    return page.evaluate(
        "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("width", [320, 1280])
def test_status_report_and_guide_do_not_scroll_sideways(page_for, demo_data, width):
    project, _participation, _meeting = _demo_objects()
    page = page_for(width=width)
    login(page, "projectleider")
    wide = []
    for name in ("status_report", "guide", "project_detail"):
        page.goto(reverse(name, args=[project.pk]))
        # The support meter's calculation is folded away; open it as a reader would.
        page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
        if _scrolls_sideways(page):
            wide.append(name)
    assert not wide, f"at {width} px these pages scroll sideways: {wide}"


def test_support_formula_table_fits_its_column_at_1280(page_for, demo_data):
    project, _participation, _meeting = _demo_objects()
    page = page_for(width=1280)
    login(page, "projectleider")
    page.goto(reverse("guide", args=[project.pk]))
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    overflowing = page.evaluate(
        """() => [...document.querySelectorAll('.support-formula table')].filter(t => {
            const box = t.closest('.support-formula').parentElement.getBoundingClientRect();
            const r = t.getBoundingClientRect();
            return r.right > box.right + 1 || r.left < box.left - 1;
        }).length"""
    )
    assert page.locator(".support-formula table").count() > 0
    assert overflowing == 0


LANDMARK_RULES = [
    "landmark-unique",
    "landmark-no-duplicate-banner",
    "landmark-no-duplicate-contentinfo",
    "landmark-no-duplicate-main",
    "landmark-one-main",
    "landmark-complementary-is-top-level",
    "landmark-banner-is-top-level",
    "landmark-contentinfo-is-top-level",
    "landmark-main-is-top-level",
    "region",
]


def test_status_report_landmarks_have_unique_names(page_for, demo_data):
    from tests.browser.audit import AXE_SOURCE

    project, _participation, _meeting = _demo_objects()
    page = page_for()
    login(page, "projectleider")
    page.goto(reverse("status_report", args=[project.pk]))
    page.evaluate(AXE_SOURCE.read_text(encoding="utf-8") + "\n;undefined")
    violations = page.evaluate(
        "rules => axe.run(document, {runOnly: {type: 'rule', values: rules},"
        " resultTypes: ['violations']}).then(r => r.violations.map("
        " v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', ')))",
        LANDMARK_RULES,
    )
    assert violations == []


# The relative luminance and contrast ratio of WCAG 2.1, computed from the browser's own
# resolved colour of the focus outline.
CONTRAST = """
(element) => {
  element.focus();
  const style = getComputedStyle(element);
  const parse = c => (c.match(/[\\d.]+/g) || []).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => {
    const f = v => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const l = lum(parse(style.outlineColor));
  return {visible: element.matches(':focus-visible'), colour: style.outlineColor,
          style: style.outlineStyle, width: parseFloat(style.outlineWidth),
          ratio: (1 + 0.05) / (l + 0.05)};
}
"""


def test_focus_ring_of_a_link_a_checkbox_and_a_button_has_3_to_1_contrast_on_white(
    page_for, demo_data
):
    project, _participation, _meeting = _demo_objects()
    page = page_for()
    login(page, "projectleider")
    page.goto(reverse("contact_log", args=[project.pk]))
    targets = {
        "link": "main a[href]",
        "checkbox": "main input[type=checkbox]",
        "button": "main button[type=submit]",
    }
    weak = {}
    for kind, selector in targets.items():
        element = page.locator(selector).first
        # After a key press Chromium treats focus as keyboard focus (:focus-visible).
        page.keyboard.press("Tab")
        ring = element.evaluate(CONTRAST)
        if not ring["visible"] or ring["style"] == "none" or ring["width"] < 2 or ring["ratio"] < 3:
            weak[kind] = ring
    assert not weak, weak


def test_every_page_links_a_same_origin_favicon_that_exists(page_for, live_server):
    page = page_for()
    problems = watch(page)
    page.goto(reverse("login"))
    page.wait_for_load_state("networkidle")
    icons = page.evaluate(
        "() => [...document.querySelectorAll('link[rel~=icon]')].map(l => l.href)"
    )
    assert icons
    for href in icons:
        assert href.startswith(live_server.url), href
        assert page.context.request.get(href).status == 200, href
    assert not problems


def test_board_with_seven_columns_fits_a_desktop_screen(page_for, demo_data):
    project, _participation, _meeting = _demo_objects()
    page = page_for(width=1280)
    login(page, "projectleider")
    page.goto(reverse("partner_board", args=[project.pk]))
    assert page.locator(".board-column").count() == 7
    assert not _scrolls_sideways(page)
    board = page.evaluate(
        "() => { const b = document.querySelector('.board');"
        " return [b.scrollWidth, b.clientWidth]; }"
    )
    assert board[0] <= board[1], board
    tops = page.evaluate(
        "() => [...document.querySelectorAll('.board-column')]"
        ".map(c => Math.round(c.getBoundingClientRect().top))"
    )
    assert len(set(tops)) == 1, "all seven columns side by side"


@pytest.mark.parametrize("width", [1024, 1280])
def test_every_project_tab_is_visible_on_a_desktop_screen(page_for, demo_data, width):
    """The tab bar scrolls only on a phone: on a desktop no tab hides behind the edge."""
    project, _participation, _meeting = _demo_objects()
    page = page_for(width=width)
    login(page, "projectleider")
    page.goto(reverse("project_detail", args=[project.pk]))
    bar = page.evaluate(
        "() => { const u = document.querySelector('.project-nav ul');"
        " return [u.scrollWidth, u.clientWidth, u.children.length]; }"
    )
    assert bar[2] >= 11
    assert bar[0] <= bar[1], bar
    edges = page.evaluate(
        "() => { const u = document.querySelector('.project-nav ul').getBoundingClientRect();"
        " return [...document.querySelectorAll('.project-nav li')]"
        ".map(li => li.getBoundingClientRect().right <= u.right + 0.5); }"
    )
    assert all(edges)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_accessibility_statement_is_accessible_and_valid_without_an_account(
    page_for, live_server, audit, language
):
    page = page_for(width=375)
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    page.goto(reverse("login"))
    page.goto(reverse("accessibility_statement"))
    assert page.locator("html").get_attribute("lang") == language
    audit(page, f"accessibility statement {language}")
    audit.assert_clean()
