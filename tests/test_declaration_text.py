"""The declaration text: hyphen lists render as lists (pages and PDF), no raw HTML, the hash is
over the text itself; the PDF lists as signatories only the partners that signed."""

import hashlib
import io
import re

import pytest
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from pypdf import PdfReader

from partners.declaration import services
from partners.declaration.text import text_html
from partners.models import Declaration
from tests.declaration_support import invited
from tests.factories import DeclarationFactory, ParticipationFactory

LIST_TEXT = (
    "Wij spreken af:\n- de politie surveilleert\n- de horeca <b>meldt</b> incidenten\n"
    "• de gemeente handhaaft"
)


def _pdf_lines(pdf: bytes) -> list[str]:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return [line.strip() for line in text.splitlines()]


def _answer(invitation, decision, name):
    return services.answer_invitation(
        invitation_id=invitation.pk,
        decision=decision,
        signer_name=name,
        signer_function="eigenaar",
        text_sha256=Declaration.objects.get(pk=invitation.declaration_id).text_sha256,
        ip="192.0.2.1",
        user_agent="pytest",
    )


# --- the renderer ---


def test_hyphen_and_bullet_lines_become_one_list_and_everything_is_escaped():
    html = text_html(LIST_TEXT)
    assert html == (
        "<p>Wij spreken af:</p><ul><li>de politie surveilleert</li>"
        "<li>de horeca &lt;b&gt;meldt&lt;/b&gt; incidenten</li><li>de gemeente handhaaft</li></ul>"
    )


def test_paragraphs_keep_their_line_breaks_and_split_on_blank_lines():
    html = text_html("Eerste regel\ntweede regel\n\nNieuwe alinea")
    assert html == "<p>Eerste regel<br>tweede regel</p><p>Nieuwe alinea</p>"


def test_an_indented_line_continues_the_item_and_a_hyphen_inside_a_line_is_text():
    html = text_html("- een lange zin\n  die doorloopt\n- twee\nNa - de lijst")
    assert html == (
        "<ul><li>een lange zin die doorloopt</li><li>twee</li></ul><p>Na - de lijst</p>"
    )


def test_no_raw_html_gets_through():
    html = text_html('<script>alert(1)</script>\n- <img src=x onerror="alert(1)">')
    assert "<script" not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html


# --- pages and PDF ---


@pytest.fixture
def declaration(project, leader):
    declaration = DeclarationFactory(project=project, contributions=LIST_TEXT)
    return declaration


def test_preview_and_signing_page_show_the_list(client_for, client, project, leader, declaration):
    preview = (
        client_for(leader).get(reverse("declaration_preview", args=[project.pk])).content.decode()
    )
    _invitation, token = invited(project, leader=leader, declaration=declaration)
    client.get(reverse("signing_start", args=[token]))
    signing = client.get(reverse("signing_page")).content.decode()
    for page in (preview, signing):
        assert "<ul><li>de politie surveilleert</li>" in page
        assert "<li>de horeca &lt;b&gt;meldt&lt;/b&gt; incidenten</li>" in page
        assert "- de politie" not in page


def test_the_pdf_shows_the_items_without_hyphens_and_the_hash_is_over_the_text(
    project, leader, declaration
):
    invited(project, leader=leader, declaration=declaration)
    declaration.refresh_from_db()
    # Rendering changed nothing about what is signed: the hash is over the frozen text itself.
    assert "- de politie surveilleert\n" in declaration.frozen_text
    assert declaration.text_sha256 == hashlib.sha256(declaration.frozen_text.encode()).hexdigest()
    lines = _pdf_lines(services.render_declaration_pdf(declaration))
    item = next(line for line in lines if "de politie surveilleert" in line)
    assert not item.startswith("-")
    assert any(line.endswith("de horeca <b>meldt</b> incidenten") for line in lines)
    assert not any(line.startswith("- de ") for line in lines)


# --- who took part ---


@pytest.fixture
def four_parties(project, leader):
    declaration = DeclarationFactory(
        project=project,
        parties="- Café Ja, vertegenwoordigd door Jan\n- Bar Nee\n- Club Open\n- Stichting Nooit",
    )
    signed, _t = invited(project, leader=leader, declaration=declaration, name="Café Ja")
    declined, _t = invited(project, leader=leader, declaration=declaration, name="Bar Nee")
    invited(project, leader=leader, declaration=declaration, name="Club Open")
    ParticipationFactory(project=project, organisation__name="Stichting Nooit")
    _answer(signed, "signed", "Jan Ja")
    refusal = _answer(declined, "declined", "Bert Nee")
    declaration.refresh_from_db()
    return declaration, refusal


def _signature_page(lines):
    start = lines.index("Signatures")
    end = lines.index("Evidence")
    return lines[start:end]


def test_municipality_copy_lists_only_the_signer_as_signatory_and_the_others_apart(
    four_parties,
):
    declaration, refusal = four_parties
    lines = _pdf_lines(services.render_declaration_pdf(declaration, language="en"))
    page = _signature_page(lines)
    not_signed = page.index("Not signed")
    signed_part, rest = "\n".join(page[:not_signed]), "\n".join(page[not_signed:])
    assert "Café Ja" in signed_part
    for name in ("Bar Nee", "Club Open", "Stichting Nooit"):
        assert name not in signed_part
    with translation.override("en"):
        day = dateformat.format(timezone.localtime(refusal.answered_at), "j F Y")
    assert f"Bar Nee · declined on {day}" in rest
    assert "Club Open · no answer yet" in rest
    assert "Stichting Nooit · not invited" in rest
    assert "Café Ja" not in rest
    # Beside section 1 of the text (which is never changed), a note says who did not sign.
    text = re.sub(r"\s+", " ", "\n".join(lines[: lines.index("Signatures")]))
    assert "Note, not part of the signed text" in text
    assert "1 party signed this version" in text
    assert "3 parties named here or invited did not sign" in text


def test_partner_copy_says_only_the_signatories_take_part_and_names_no_one_unanswered(
    four_parties,
):
    declaration, _refusal = four_parties
    pdf = services.render_declaration_pdf(declaration, language="en", audience=services.PARTNER)
    lines = _pdf_lines(pdf)
    page = "\n".join(_signature_page(lines))
    assert "Café Ja" in page
    for name in ("Bar Nee", "Club Open", "Stichting Nooit"):
        assert name not in page
    text = re.sub(r"\s+", " ", " ".join(lines))
    assert "only the signatories listed on the signature page take part" in text
    assert "no answer yet" not in text
    assert "not invited" not in text


def test_the_frozen_text_is_never_changed_by_the_answers(four_parties):
    declaration, _refusal = four_parties
    assert "- Bar Nee\n- Club Open\n- Stichting Nooit" in declaration.frozen_text
    sha = declaration.text_sha256
    services.render_declaration_pdf(declaration)
    declaration.refresh_from_db()
    assert declaration.text_sha256 == sha


def test_a_partner_is_named_in_the_text_only_by_its_whole_name():
    """ "Politie" is not named by "- Politie Oost-Nederland": the PDF must not list it as a party
    that did not sign when another organisation of a longer name is meant."""
    from partners.declaration.parties import _named_in_text

    text = "Partijen:\n- Politie Oost-Nederland, vertegenwoordigd door de teamchef\n- Gemeente\n"
    assert _named_in_text("Politie Oost-Nederland", text)
    assert not _named_in_text("Politie", text)
    assert _named_in_text("Gemeente", text)
    assert not _named_in_text("Gemeente Enschede", text)
    assert _named_in_text("KHN", "• KHN (afdeling Enschede)")
    assert _named_in_text("KHN", "- KHN - afdeling Enschede")
