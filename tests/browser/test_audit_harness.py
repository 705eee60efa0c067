"""The audit harness itself can fail: axe finds a missing label, vnu finds a stray end tag."""

import pytest

from tests.browser import audit
from tests.browser.audit import run_axe, validate_html

pytestmark = pytest.mark.browser

BROKEN = (
    '<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Kapot</title></head>'
    '<body><main><h1>Kapot</h1><form><input type="text" name="naam"></form></span></main>'
    "</body></html>"
)


def test_axe_reports_an_input_without_a_label(page_for, live_server):
    page = page_for()
    page.set_content(BROKEN)
    violations = run_axe(page)
    assert "label" in {violation["id"] for violation in violations}


def test_vnu_reports_a_stray_end_tag():
    errors = validate_html({"broken page": BROKEN, "good page": BROKEN.replace("</span>", "")})
    assert list(errors) == ["broken page"]
    assert "span" in errors["broken page"][0]["message"]


@pytest.mark.parametrize(
    ("required", "outcome"), [("1", pytest.fail.Exception), ("", pytest.skip.Exception)]
)
def test_without_java_the_html_check_fails_in_ci_and_skips_elsewhere(
    monkeypatch, required, outcome
):
    monkeypatch.setattr(audit.shutil, "which", lambda name: None)
    monkeypatch.setenv("KVU_REQUIRE_BROWSER", required)
    with pytest.raises(outcome, match="Java"):
        audit.vnu_command()
