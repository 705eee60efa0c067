"""FastSelect writes the markup of Django's Select: same attributes, options and groups."""

import pytest
from django import forms
from django.test.html import parse_html

from kvu.widgets import FastSelect

CHOICES = [
    ("", "---------"),
    ("Gemeente", [("user:1", "Jansen & Zn"), ("user:2", "De Vries")]),
    ("person:3", '<script>"x"</script>'),
]


def _rendered(widget, value, *, required=True):
    class Form(forms.Form):
        owner = forms.ChoiceField(
            label="Wie",
            choices=CHOICES,
            required=required,
            widget=widget(attrs={"class": "form-select", "aria-describedby": "owner-help"}),
        )

    return str(Form(initial={"owner": value})["owner"])


@pytest.mark.parametrize("value", ["", "user:2", "person:3", "unknown"])
@pytest.mark.parametrize("required", [True, False])
def test_same_markup_as_djangos_select(value, required):
    fast = _rendered(FastSelect, value, required=required)
    assert parse_html(fast) == parse_html(_rendered(forms.Select, value, required=required))


def test_labels_and_values_are_escaped():
    html = _rendered(FastSelect, "")
    assert "<script>" not in html
    assert "&lt;script&gt;&quot;x&quot;&lt;/script&gt;" in html
    assert "Jansen &amp; Zn" in html


def test_the_chosen_value_is_selected():
    html = _rendered(FastSelect, "user:2")
    assert '<option value="user:2" selected>De Vries</option>' in html
    assert html.count(" selected") == 1


def test_only_the_first_matching_option_is_selected_as_in_djangos_select():
    def rendered(widget):
        class Form(forms.Form):
            pick = forms.ChoiceField(choices=[("a", "A"), ("a", "A again")], widget=widget)

        return str(Form(initial={"pick": "a"})["pick"])

    assert rendered(FastSelect).count(" selected") == 1
    assert parse_html(rendered(FastSelect)) == parse_html(rendered(forms.Select))
