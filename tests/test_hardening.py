"""Regression tests for the hardening fixes: CSV formulas, crafted `next` values."""

import pytest

from partners.csv_io import _safe, _unsafe
from partners.views import _next_or


@pytest.mark.parametrize("value", ["+1+cmd|' /C calc'!A0", "-2+3", "=1", "@SUM(A1)", "\tx", "\rx"])
def test_csv_cell_starting_with_formula_character_is_quoted(value):
    assert _safe(value) == "'" + value
    assert _unsafe(_safe(value)) == value


def test_bare_word_next_falls_back_to_default(rf):
    request = rf.post("/", {"next": "nothing"})
    assert _next_or(request, "/fallback/") == "/fallback/"


def test_local_path_next_is_kept(rf):
    request = rf.post("/", {"next": "/projects/1/"})
    assert _next_or(request, "/fallback/") == "/projects/1/"
