"""The public verification page: by code, showing version, hash and signers; checking a PDF."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partners.declaration import services
from partners.models import Declaration
from tests.declaration_support import invited
from tests.factories import DeclarationFactory


def _signed_declaration(project, leader):
    signed, _t = invited(project, leader=leader, name="Café Ja")
    declined, _t2 = invited(project, leader=leader, declaration=signed.declaration, name="Bar Nee")
    _open_one, _t3 = invited(
        project, leader=leader, declaration=signed.declaration, name="Club Open"
    )
    declaration = Declaration.objects.get(pk=signed.declaration_id)
    for invitation, decision in [(signed, "signed"), (declined, "declined")]:
        services.answer_invitation(
            invitation_id=invitation.pk,
            decision=decision,
            signer_name="Jan de Boer",
            signer_function="eigenaar",
            decline_reason="Nee.",
            text_sha256=declaration.text_sha256,
            ip="192.0.2.1",
            user_agent="pytest",
        )
    return declaration


def test_page_shows_version_hash_and_who_signed_for_whom_and_nothing_else(client, project, leader):
    declaration = _signed_declaration(project, leader)
    response = client.get(reverse("verification_detail", args=[declaration.verification_code]))
    html = response.content.decode()
    assert response.status_code == 200
    assert declaration.text_sha256 in html
    assert "Jan de Boer (eigenaar) namens Café Ja" in html
    # Declines, open invitations, addresses and evidence details stay private.
    assert "Bar Nee" not in html
    assert "Club Open" not in html
    assert "192.0.2.1" not in html
    assert "@example.org" not in html


def test_code_form_accepts_lower_case_and_missing_dashes(client, project, leader):
    declaration = _signed_declaration(project, leader)
    raw = declaration.verification_code.replace("-", "").lower()
    response = client.get(reverse("verification_form"), {"code": raw})
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "verification_detail", args=[declaration.verification_code]
    )


def test_unknown_or_unsent_code_reveals_nothing(client, project):
    draft = DeclarationFactory(project=project)
    for code in ["AAAA-BBBB-CCCC", draft.verification_code, "<script>"]:
        response = client.get(reverse("verification_detail", args=[code]))
        assert response.status_code == 404
        assert "Er is geen ondertekend document met deze verificatiecode" in (
            response.content.decode()
        )


def test_an_issued_pdf_is_recognised_and_a_changed_one_is_not(client, project, leader):
    declaration = _signed_declaration(project, leader)
    pdf = services.render_declaration_pdf(declaration)
    url = reverse("verification_detail", args=[declaration.verification_code])
    ok = client.post(url, {"pdf": SimpleUploadedFile("v.pdf", pdf, "application/pdf")})
    assert "is niet gewijzigd" in ok.content.decode()
    tampered = pdf[:-200] + b"%" + pdf[-199:]  # one byte changed
    bad = client.post(url, {"pdf": SimpleUploadedFile("v.pdf", tampered, "application/pdf")})
    assert "Mogelijk is het gewijzigd" in bad.content.decode()


def test_pasted_hash_of_the_text_matches_and_nonsense_gets_a_message(client, project, leader):
    declaration = _signed_declaration(project, leader)
    url = reverse("verification_detail", args=[declaration.verification_code])
    good = client.post(url, {"sha256": declaration.text_sha256.upper()})
    assert "precies die van de ondertekende tekst" in good.content.decode()
    bad = client.post(url, {"sha256": "not a hash"})
    assert bad.status_code == 200
    assert "64 hexadecimale tekens" in bad.content.decode()
    empty = client.post(url, {})
    assert "Kies een pdf-bestand of plak een vingerafdruk" in empty.content.decode()
