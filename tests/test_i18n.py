"""Dutch by default, English complete after switching, and no untranslated Dutch text."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

LOCALE = Path(settings.BASE_DIR) / "locale"


def test_every_dutch_message_is_translated():
    catalogue = polib.pofile(str(LOCALE / "nl" / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in catalogue if not e.obsolete and not e.translated()]
    fuzzy = [e.msgid for e in catalogue if "fuzzy" in e.flags]
    assert not missing, f"untranslated: {missing[:20]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:20]}"


def test_compiled_catalogue_is_up_to_date():
    po = LOCALE / "nl" / "LC_MESSAGES" / "django.po"
    mo = LOCALE / "nl" / "LC_MESSAGES" / "django.mo"
    # Keyed by context and message: "formal" (u) and plain (je) variants share a msgid.
    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(mo)) if e.msgid}
    source = {
        (e.msgctxt, e.msgid): e.msgstr
        for e in polib.pofile(str(po))
        if e.msgid and not e.msgid_plural and not e.obsolete
    }
    assert {k: v for k, v in compiled.items() if k in source} == source


def test_login_page_is_dutch_by_default(client, db):
    page = client.get(reverse("login")).text
    assert '<html lang="nl">' in page
    assert "Inloggen" in page
    assert "Wachtwoord vergeten?" in page


def test_language_switch_to_english_and_back(client, project, leader):
    client.force_login(leader)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(project.get_absolute_url()).text
    assert '<html lang="en">' in page
    assert "Where the project stands" in page
    assert "Safety analysis" in page
    assert "Veiligheidsanalyse" not in page
    client.post(reverse("set_language"), {"language": "nl", "next": "/"})
    assert "Waar het project staat" in client.get(project.get_absolute_url()).text


@pytest.mark.parametrize("name", ["dashboard", "project_create"])
def test_english_pages_carry_no_dutch_interface_text(client, leader, name):
    client.force_login(leader)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse(name)).text
    for dutch in ["Overzicht", "Uitloggen", "Nieuw project", "Opslaan", "uitgaansgebied"]:
        assert dutch not in page


def test_an_english_browser_still_gets_dutch_until_switching(client, leader):
    client.force_login(leader)
    page = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").text
    assert "Mijn projecten" in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "My projects" in client.get(reverse("dashboard")).text
