"""What a declaration PDF proves: drafts are marked; each copy shows what its reader may."""

import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import dateformat, timezone
from pypdf import PdfReader

from partners.declaration import services
from partners.models import Declaration, EventKind, InvitationStatus, IssuedPdf, sha256_hex
from tests.concurrency import race_split
from tests.declaration_support import invited
from tests.factories import DeclarationFactory


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _flat(text: str) -> str:
    return "".join(text.split())


def _leader_pdf(client, declaration) -> bytes:
    url = reverse("declaration_pdf", args=[declaration.project_id, declaration.version])
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    return response.content


# --- drafts -----------------------------------------------------------------------------------


def test_draft_pdf_is_marked_on_every_page_carries_no_code_and_is_never_recorded(
    client_for, project, leader
):
    draft = DeclarationFactory(project=project)
    client = client_for(leader)
    pages = _pages(_leader_pdf(client, draft))

    assert len(pages) >= 3
    for page in pages:
        assert "CONCEPT–nietondertekenen" in _flat(page)
    text = "\n".join(pages)
    assert draft.verification_code not in text
    assert draft.verification_code.replace("-", "") not in _flat(text)
    assert "/verificatie/" not in text
    assert "Verificatiecode" not in text
    assert not IssuedPdf.objects.exists()


def test_sent_pdf_carries_the_code_and_no_draft_mark(client_for, project, leader):
    invitation, _token = invited(project, leader=leader)
    declaration = Declaration.objects.get(pk=invitation.declaration_id)
    pdf = _leader_pdf(client_for(leader), declaration)
    text = "\n".join(_pages(pdf))

    assert declaration.verification_code in text
    assert "CONCEPT" not in text
    assert IssuedPdf.objects.filter(declaration=declaration, sha256=sha256_hex(pdf)).exists()


def test_verification_page_never_certifies_a_draft_pdf(client, client_for, project, leader):
    draft = DeclarationFactory(project=project)
    draft_pdf = _leader_pdf(client_for(leader), draft)
    # The same version is sent afterwards, so its verification page exists.
    invitation, _token = invited(project, leader=leader, declaration=draft)
    declaration = Declaration.objects.get(pk=invitation.declaration_id)
    client.logout()
    url = reverse("verification_detail", args=[declaration.verification_code])

    by_hash = client.post(url, {"sha256": sha256_hex(draft_pdf)})
    by_file = client.post(url, {"pdf": SimpleUploadedFile("concept.pdf", draft_pdf)})

    for response in (by_hash, by_file):
        assert response.status_code == 200
        assert response.context["result"]["fingerprint"] == sha256_hex(draft_pdf)
        assert response.context["result"]["issued"] is None
        assert "komt niet overeen" in response.content.decode()


# --- copies per audience ------------------------------------------------------------------------


def _answer(invitation, decision, *, name, function, ip, user_agent):
    declaration = Declaration.objects.get(pk=invitation.declaration_id)
    return services.answer_invitation(
        invitation_id=invitation.pk,
        decision=decision,
        signer_name=name,
        signer_function=function,
        decline_reason="Wij hebben er geen tijd voor." if decision == "declined" else "",
        text_sha256=declaration.text_sha256,
        ip=ip,
        user_agent=user_agent,
    )


def _answered_declaration(project, leader):
    """Four partners: two signed, one declined, one not answered; the last signer's e-mail."""
    first, _t = invited(project, leader=leader, name="Café Ja")
    declaration = first.declaration
    declined, _t = invited(project, leader=leader, declaration=declaration, name="Bar Nee")
    unanswered, _t = invited(project, leader=leader, declaration=declaration, name="Club Open")
    last, _t = invited(project, leader=leader, declaration=declaration, name="Hotel Twee")
    signatures = {
        "first": _answer(
            first,
            "signed",
            name="Anna de Wit",
            function="eigenaar",
            ip="192.0.2.11",
            user_agent="Mozilla/5.0 (AnnaBrowser)",
        ),
        "declined": _answer(
            declined,
            "declined",
            name="Bert Nee",
            function="bedrijfsleider",
            ip="192.0.2.12",
            user_agent="Mozilla/5.0 (BertBrowser)",
        ),
    }
    mail.outbox.clear()
    signatures["last"] = _answer(
        last,
        "signed",
        name="Carla Twee",
        function="directeur",
        ip="192.0.2.13",
        user_agent="Mozilla/5.0 (CarlaBrowser)",
    )
    confirmation = next(m for m in mail.outbox if m.to == [last.email])
    invitations = {"first": first, "declined": declined, "unanswered": unanswered, "last": last}
    return Declaration.objects.get(pk=declaration.pk), invitations, signatures, confirmation


def _amsterdam(moment, fmt):
    return dateformat.format(timezone.localtime(moment, services.AMSTERDAM), fmt)


def test_partners_copy_shows_who_signed_when_and_no_ones_contact_details_or_devices(
    project, leader
):
    declaration, invitations, signatures, confirmation = _answered_declaration(project, leader)
    (_name, pdf, mimetype) = confirmation.attachments[0]
    assert mimetype == "application/pdf"
    text = "\n".join(_pages(pdf))
    flat = _flat(text)

    for key in ("first", "last"):
        signature = signatures[key]
        assert signature.signer_name in text
        assert signature.signer_function in text
        assert signature.organisation_name in text
        assert _amsterdam(signature.answered_at, "j-n-Y H:i:s") in text
    # A decliner: name and organisation, nothing more.
    assert "Bert Nee" in text
    assert "Bar Nee" in text
    assert "bedrijfsleider" not in text
    assert "geen tijd" not in text
    # Nobody's address, IP address, browser or event log; the unanswered partner not at all.
    assert "@" not in text
    for invitation in invitations.values():
        assert invitation.email not in flat
    assert "192.0.2." not in text
    assert "Browser" not in text
    assert "Mozilla" not in text
    assert "uitnodiging verstuurd" not in text
    assert "Club Open" not in text
    # What makes it checkable stays: the code, the text's hash, and its own record.
    assert declaration.verification_code in text
    assert declaration.text_sha256 in flat
    assert IssuedPdf.objects.filter(declaration=declaration, sha256=sha256_hex(pdf)).exists()


def test_municipalitys_copy_keeps_the_full_evidence(client_for, project, leader):
    declaration, invitations, signatures, _confirmation = _answered_declaration(project, leader)
    text = "\n".join(_pages(_leader_pdf(client_for(leader), declaration)))
    flat = _flat(text)

    for key in ("first", "declined", "last"):
        assert invitations[key].email in flat
        assert signatures[key].ip_address in text
        assert signatures[key].user_agent.split(" ")[1] in text
    assert "Bert Nee, bedrijfsleider" in text
    assert "uitnodiging verstuurd" in text
    assert "Logboek per ondertekenaar" in text


# --- one new version, however many saves arrive at once -----------------------------------------


def _texts(declaration, **changes):
    return {**{field: getattr(declaration, field) for field in declaration.text_fields}, **changes}


def _edit(client, project, **changes):
    """Open the text form, then save it with `changes`: the form's own hidden fields included."""
    url = reverse("declaration_edit", args=[project.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    return lambda: client.post(url, {**data, **changes})


def test_saving_over_a_newer_change_is_refused_with_who_and_when(client, project, leader, editor):
    invited(project, leader=leader)
    client.force_login(leader)
    leaders_save = _edit(client, project, goal="De versie van de leider.")
    other = Client()
    other.force_login(editor)
    assert _edit(other, project, goal="De versie van de redacteur.")().status_code == 302
    v2 = Declaration.objects.get(project=project, version=2)

    refused = leaders_save()

    assert refused.status_code == 409
    [error] = refused.context["form"].non_field_errors()
    assert editor.get_full_name() in error
    assert dateformat.format(timezone.localtime(v2.updated_at), "j F Y, H:i") in error
    assert "2" in error
    assert list(Declaration.objects.values_list("version", flat=True).order_by("version")) == [1, 2]
    v2.refresh_from_db()
    assert v2.goal == "De versie van de redacteur."
    # The refused form now carries the newest version: saving it again overwrites on purpose.
    again = refused.context["form"]
    data = {name: again[name].value() for name in again.fields}
    url = reverse("declaration_edit", args=[project.pk])
    assert client.post(url, data).status_code == 302
    v2.refresh_from_db()
    assert v2.goal == "De versie van de leider."
    assert Declaration.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_six_concurrent_saves_of_a_sent_text_make_exactly_one_new_version(project, leader):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    invitation, _token = invited(project, leader=leader)
    v1 = Declaration.objects.get(pk=invitation.declaration_id)

    results, errors = race_split(
        6,
        lambda i: (
            services.save_declaration_text(
                declaration=v1, texts=_texts(v1, goal=f"Doel {i}."), user=leader
            ).version
        ),
    )

    assert not errors
    assert sorted(results) == [2] * 6
    assert list(Declaration.objects.values_list("version", flat=True).order_by("version")) == [1, 2]
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.WITHDRAWN
    assert invitation.events.filter(kind=EventKind.WITHDRAWN).count() == 1


@pytest.mark.django_db(transaction=True)
def test_six_concurrent_form_saves_save_one_and_refuse_the_others(project, leader):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    invited(project, leader=leader)
    saves = []
    for _i in range(6):
        browser = Client()
        browser.force_login(leader)
        saves.append(browser)
    saves = [_edit(browser, project, goal=f"Doel {i}.") for i, browser in enumerate(saves)]

    results, errors = race_split(6, lambda i: saves[i]().status_code)

    assert not errors
    assert sorted(results) == [302] + [409] * 5
    assert list(Declaration.objects.values_list("version", flat=True).order_by("version")) == [1, 2]
