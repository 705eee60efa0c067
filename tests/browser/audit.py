"""Accessibility (axe-core) and HTML validity (Nu HTML Checker) checks for the browser tests.

axe-core is vendored in tests/browser/vendor/axe-core and injected into the page under test only
(never served to users). vnu.jar comes from the npm package `vnu-jar` at a pinned version; it is
fetched with `npm pack` into the git-ignored .cache/vnu/ when missing (or taken from $VNU_JAR).
Without Java or vnu.jar the HTML check skips locally and fails under KVU_REQUIRE_BROWSER (CI).
"""

import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

AXE_SOURCE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
VNU_VERSION = "26.9.27"
VNU_INTEGRITY = (
    "sha512-TkQd5DFfOaWC9ebtvozTsrH2Vaod3jYg+vrOeREzIXxBexLz9+rS2DNtjn7+"
    "RPUiZhgli0SghgBX6RJRNea0KA=="
)
VNU_DIR = Path(settings.BASE_DIR) / ".cache" / "vnu"

# WCAG 2.0 and 2.1, levels A and AA: what Dutch public-sector websites must meet.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Rules left out, each with its reason. Keep this empty unless a rule cannot apply.
EXCLUDED_RULES: dict[str, str] = {}


def run_axe(page) -> list[dict]:
    """Run axe-core on the page as it is now; returns the violations (empty when clean)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, so the page's CSP (no inline scripts) does
        # not block it and the application's CSP needs no exception for tests.
        page.evaluate(AXE_SOURCE.read_text(encoding="utf-8") + "\n;undefined")
    options = {
        "runOnly": {"type": "tag", "values": WCAG_TAGS},
        "rules": {rule: {"enabled": False} for rule in EXCLUDED_RULES},
        "resultTypes": ["violations"],
    }
    return page.evaluate("options => axe.run(document, options).then(r => r.violations)", options)


def format_violations(label: str, violations: list[dict]) -> str:
    lines = [f"axe: {label}"]
    for violation in violations:
        lines.append(
            f"  [{violation['impact']}] {violation['id']}: {violation['help']} "
            f"({violation['helpUrl']})"
        )
        for node in violation["nodes"][:8]:
            lines.append(f"      at {' '.join(map(str, node['target']))}")
            lines.append(f"         {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"         {summary[:300]}")
        if len(violation["nodes"]) > 8:
            lines.append(f"      … and {len(violation['nodes']) - 8} more")
    return "\n".join(lines)


def _integrity_ok(path: Path) -> bool:
    import base64
    import hashlib

    digest = base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()
    return f"sha512-{digest}" == VNU_INTEGRITY


def _fetch_vnu() -> Path:
    """Download the pinned vnu-jar npm package with npm and unpack vnu.jar (checked digest)."""
    jar = VNU_DIR / VNU_VERSION / "vnu.jar"
    if jar.exists():
        return jar
    npm = shutil.which("npm")
    if not npm:
        raise RuntimeError("npm is needed to fetch vnu.jar (or set VNU_JAR)")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [npm, "pack", f"vnu-jar@{VNU_VERSION}", "--silent"],
            cwd=tmp,
            check=True,
            capture_output=True,
            timeout=600,
        )
        tgz = Path(tmp) / f"vnu-jar-{VNU_VERSION}.tgz"
        if not _integrity_ok(tgz):
            raise RuntimeError(f"{tgz.name} does not match its pinned sha512")
        with tarfile.open(tgz) as archive:
            member = archive.getmember("package/build/dist/vnu.jar")
            source = archive.extractfile(member)
            jar.parent.mkdir(parents=True, exist_ok=True)
            partial = jar.with_suffix(".part")
            partial.write_bytes(source.read())
            partial.replace(jar)
    return jar


def vnu_command() -> list[str]:
    """The command running the Nu HTML Checker; skips (locally) or fails (CI) without it."""
    try:
        java = shutil.which("java")
        if not java:
            raise RuntimeError("Java is needed for the Nu HTML Checker (apt-get install java)")
        jar = Path(os.environ["VNU_JAR"]) if os.environ.get("VNU_JAR") else _fetch_vnu()
        if not jar.exists():
            raise RuntimeError(f"{jar} does not exist")
    except (RuntimeError, OSError, subprocess.SubprocessError) as problem:
        message = f"Nu HTML Checker unavailable: {problem}"
        if os.environ.get("KVU_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    return [java, "-Xss4m", "-jar", str(jar), "--errors-only", "--format", "json"]


def validate_html(documents: dict[str, str]) -> dict[str, list[dict]]:
    """Check each named HTML document with vnu in one run; returns the errors per name."""
    if not documents:
        return {}
    command = vnu_command()
    with tempfile.TemporaryDirectory() as tmp:
        names = {}
        for index, (label, html) in enumerate(documents.items()):
            path = Path(tmp) / f"page-{index:03d}.html"
            path.write_text(html, encoding="utf-8")
            names[path.name] = label
        result = subprocess.run(
            [*command, *(str(Path(tmp) / name) for name in names)],
            capture_output=True,
            text=True,
            timeout=600,
        )
        # vnu writes its JSON report to stderr; exit code 1 just means "errors found".
        report = json.loads(result.stderr or result.stdout or '{"messages": []}')
    errors: dict[str, list[dict]] = {}
    for message in report.get("messages", []):
        if message.get("type") not in ("error", "non-document-error"):
            continue
        url = message.get("url", "?")
        label = names.get(url.rsplit("/", 1)[-1], url)
        errors.setdefault(label, []).append(message)
    return errors


def format_html_errors(errors: dict[str, list[dict]]) -> str:
    lines = []
    for label, messages in errors.items():
        lines.append(f"vnu: {label}")
        for message in messages:
            lines.append(f"  line {message.get('lastLine', '?')}: {message.get('message')}")
            extract = (message.get("extract") or "").replace("\n", "⏎")
            if extract:
                lines.append(f"      {extract}")
    return "\n".join(lines)


@dataclass
class Audit:
    """Collects axe violations and page HTML of each visited page; `assert_clean()` reports."""

    violations: dict[str, list[dict]] = field(default_factory=dict)
    documents: dict[str, str] = field(default_factory=dict)

    def __call__(self, page, label: str, *, from_dom: bool = False) -> None:
        """Check the page; `from_dom` for a page shown in answer to a POST (not refetchable)."""
        page.wait_for_load_state("load")
        label = f"{label} ({page.url.split('//', 1)[-1].split('/', 1)[-1] or '/'})"
        found = run_axe(page)
        if found:
            self.violations[label] = found
        # The server's own HTML (not the DOM after scripts ran) is what vnu should judge. The
        # request shares the browser context's cookies, so it sees what the user saw.
        if from_dom:
            self.documents[label] = page.content()
            return
        response = page.context.request.get(page.url)
        if "text/html" in response.headers.get("content-type", ""):
            self.documents[label] = response.text()

    def assert_clean(self) -> None:
        problems = [format_violations(label, found) for label, found in self.violations.items()]
        html_errors = validate_html(self.documents)
        if html_errors:
            problems.append(format_html_errors(html_errors))
        if problems:
            pytest.fail(
                f"{len(self.violations)} page(s) with axe violations, {len(html_errors)} with "
                f"invalid HTML, of {len(self.documents)} pages checked:\n" + "\n".join(problems),
                pytrace=False,
            )


@pytest.fixture
def audit():
    """`audit(page, "step")` on every page visited, then `audit.assert_clean()` at the end."""
    return Audit()
