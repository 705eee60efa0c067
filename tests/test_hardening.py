"""Regression tests for the hardening fixes: CSV formulas, crafted `next` values."""

import pytest
from django.urls import reverse
from django.utils import timezone

from kvu.http import safe_next
from partners.csv_io import _safe, _unsafe


@pytest.mark.parametrize("value", ["+1+cmd|' /C calc'!A0", "-2+3", "=1", "@SUM(A1)", "\tx", "\rx"])
def test_csv_cell_starting_with_formula_character_is_quoted(value):
    assert _safe(value) == "'" + value
    assert _unsafe(_safe(value)) == value


def test_bare_word_next_falls_back_to_default(rf):
    request = rf.post("/", {"next": "nothing"})
    assert safe_next(request, "/fallback/") == "/fallback/"


def test_local_path_next_is_kept(rf):
    request = rf.post("/", {"next": "/projects/1/"})
    assert safe_next(request, "/fallback/") == "/projects/1/"


@pytest.mark.parametrize(
    "target", ["x", "nothing", "//evil.example/", "https://evil.example/", "javascript:alert(1)"]
)
def test_stage_form_and_follow_up_done_redirect_home_on_a_crafted_next(
    client_for, leader, partner, target
):
    """Regression: a `next` without "/" or "." was taken as a URL name (NoReverseMatch, 500)."""
    from partners.models import Stage
    from tests.factories import ContactMomentFactory

    client = client_for(leader)
    stage_url = reverse("participation_stage", args=[partner.project_id, partner.pk])
    response = client.post(stage_url, {"stage": Stage.APPROACHED, "next": target})
    assert response.status_code == 302
    assert response["Location"].startswith("/")
    assert not response["Location"].startswith("//")
    moment = ContactMomentFactory(participation=partner, follow_up_on=timezone.localdate())
    done_url = reverse("follow_up_done", args=[partner.project_id, moment.pk])
    response = client.post(done_url, {"next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("contact_log", args=[partner.project_id])
