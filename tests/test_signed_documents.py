"""The signed-document engine, run for every kind of document partners sign: the declaration of
intent (step 2) and the covenant (step 5) share one set of models, services and views.

The declaration's own, older tests (tests/test_declaration*.py, tests/test_signing*.py,
tests/test_verification.py) cover the engine in depth; this module checks that the same engine
does the same for every kind, and what only a covenant has: a term, businesses joining during
the term (an accession) and leaving it, and the appendix of participants.
"""

import datetime
import io

import pytest
from django.core import mail
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from partners.declaration import selectors, services
from partners.declaration.kinds import KINDS
from partners.models import (
    Declaration,
    Departure,
    DocumentKind,
    Invitation,
    InvitationStatus,
    OrganisationKind,
    Stage,
)
from tests.declaration_support import last_token
from tests.factories import DeclarationFactory, ParticipationFactory, PersonFactory

ALL_KINDS = [DocumentKind.DECLARATION, DocumentKind.COVENANT]

COVENANT_PARTS = {
    "measures": "- Collectief huisverbod.\n- Toezicht door portiers.",
    "membership": "Een horecabedrijf kan tijdens de looptijd toetreden of uittreden.",
    "sanctions": "Wie zich niet aan de afspraken houdt, krijgt eerst een gesprek.",
    "vision": "",
    "valid_from": datetime.date(2027, 1, 1),
    "valid_until": datetime.date(2030, 12, 31),
}


def make_document(project, kind, **fields):
    extra = COVENANT_PARTS if kind == DocumentKind.COVENANT else {}
    title = "Convenant Veilig Uitgaan" if kind == DocumentKind.COVENANT else "Intentieverklaring"
    return DeclarationFactory(project=project, kind=kind, title=title, **{**extra, **fields})


def invite_partner(document, leader, *, name, kind=OrganisationKind.HOSPITALITY):
    participation = ParticipationFactory(
        project=document.project, organisation__kind=kind, organisation__name=name
    )
    person = PersonFactory(organisation=participation.organisation)
    invitation = services.invite(
        declaration=document, participation=participation, person=person, user=leader
    )
    return invitation, last_token(person.email)


def answer(invitation, decision="signed"):
    document = Declaration.objects.get(pk=invitation.declaration_id)
    return services.answer_invitation(
        invitation_id=invitation.pk,
        decision=decision,
        signer_name="Jan de Boer",
        signer_function="eigenaar",
        decline_reason="Te duur." if decision == "declined" else "",
        text_sha256=document.text_sha256,
        ip="192.0.2.1",
        user_agent="pytest",
    )


def sign_through_link(token):
    """The partner's side, as the browser does it: open the link, then post the form."""
    partner = Client()
    partner.get(reverse("signing_start", args=[token]))
    page = partner.get(reverse("signing_page"))
    sha = page.context["declaration"].text_sha256
    response = partner.post(
        reverse("signing_page"),
        {
            "action": "sign",
            "signer_name": "Eva Smit",
            "signer_function": "directeur",
            "consent": "on",
            "text_sha256": sha,
        },
    )
    assert response.status_code == 302
    return partner


# --- the same engine for every kind ------------------------------------------------------------


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_every_page_of_every_kind_has_a_url(kind):
    spec = KINDS[kind]
    for action, name in spec.urls.items():
        args = [1, 2] if action.startswith("invitation_") or action in ("pdf", "compare") else [1]
        assert reverse(name, args=args).startswith("/projecten/1/")
    assert ("departure" in spec.urls) == spec.allows_joining


def test_a_declaration_has_no_departure_page():
    with pytest.raises(NoReverseMatch):
        reverse("declaration_departure", args=[1])


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_each_kind_has_its_own_versions(project, leader, kind):
    """A project's declaration and covenant are numbered apart: a covenant's version 1 beside
    the declaration's version 2, and the newest of one kind is never the other's."""
    other = DocumentKind.COVENANT if kind == DocumentKind.DECLARATION else DocumentKind.DECLARATION
    make_document(project, other, version=1)
    make_document(project, other, version=2)
    mine = make_document(project, kind, version=1)
    assert Declaration.objects.current_for(project, kind) == mine
    assert Declaration.objects.current_for(project, other).version == 2


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_sending_freezes_the_text_with_the_kinds_parts(project, leader, kind):
    document = make_document(project, kind)
    invite_partner(document, leader, name="Café De Kroon")
    document.refresh_from_db()
    assert document.is_frozen
    headings = [str(heading) for _field, heading in KINDS[kind].sections]
    with translation.override("en"):
        text = document.canonical_text()
    assert text == document.frozen_text or document.language != "en"
    if kind == DocumentKind.COVENANT:
        assert "3. Maatregelen en afspraken" in document.frozen_text
        assert "Collectief huisverbod" in document.frozen_text
        assert "Sancties" in document.frozen_text
        assert "Gedeelde visie" not in document.frozen_text
    else:
        assert "3. Gedeelde visie" in document.frozen_text
        assert "Sancties" not in document.frozen_text
    assert len(headings) == len(KINDS[kind].text_fields) - 1


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_sign_and_decline_through_the_personal_link(project, leader, kind):
    document = make_document(project, kind)
    signer, token = invite_partner(document, leader, name="Café De Kroon")
    decliner, _token = invite_partner(document, leader, name="Club Nachtwacht")
    mail.outbox.clear()
    partner = sign_through_link(token)
    answer(decliner, "declined")
    signer.refresh_from_db()
    decliner.refresh_from_db()
    assert signer.status == InvitationStatus.SIGNED
    assert decliner.status == InvitationStatus.DECLINED
    assert signer.signature.text_sha256 == Declaration.objects.get(pk=document.pk).text_sha256
    # The confirmation and the leader's notice name the kind of document.
    the_name = {"declaration": "de intentieverklaring", "covenant": "het convenant"}[kind]
    subjects = " | ".join(message.subject for message in mail.outbox)
    assert f"u hebt {the_name} van KVU Binnenstad ondertekend" in subjects
    assert f"Club Nachtwacht heeft {the_name} afgewezen" in subjects
    # The partner's copy of the PDF carries the kind's file name.
    response = partner.get(reverse("signing_pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert KINDS[kind].file_slug in response["Content-Disposition"]
    # Only the declaration moves the outreach stage: the covenant comes much later.
    moved = signer.participation.__class__.objects.get(pk=signer.participation_id).stage
    assert (moved == Stage.SIGNED) == (kind == DocumentKind.DECLARATION)


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_status_page_and_pdf_of_the_kind(client_for, project, leader, kind):
    document = make_document(project, kind)
    invitation, _token = invite_partner(document, leader, name="Café De Kroon")
    answer(invitation)
    client = client_for(leader)
    page = client.get(reverse(KINDS[kind].url_name("detail"), args=[project.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert {"declaration": "Intentieverklaring", "covenant": "Convenant"}[kind] in html
    assert reverse(KINDS[kind].url_name("pdf"), args=[project.pk, 1]) in html
    assert reverse(KINDS[kind].url_name("preview"), args=[project.pk]) in html
    pdf = client.get(reverse(KINDS[kind].url_name("pdf"), args=[project.pk, 1]))
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Café De Kroon" in text
    assert ("Bijlage: deelnemende partijen" in text) == (kind == DocumentKind.COVENANT)
    if kind == DocumentKind.COVENANT:
        assert "Looptijd: van 1 januari 2027 tot en met 31 december 2030" in text


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_verification_works_for_every_kind(project, leader, kind):
    document = make_document(project, kind)
    invitation, _token = invite_partner(document, leader, name="Café De Kroon")
    answer(invitation)
    document.refresh_from_db()
    page = Client().get(reverse("verification_detail", args=[document.verification_code]))
    html = page.content.decode()
    assert page.status_code == 200
    assert document.text_sha256 in html
    assert "Jan de Boer (eigenaar) namens Café De Kroon" in html
    assert {"declaration": "Intentieverklaring:", "covenant": "Convenant:"}[kind] in html
    # A PDF we issued is recognised; another file is not.
    pdf = services.render_declaration_pdf(document)
    check = Client().post(
        reverse("verification_detail", args=[document.verification_code]),
        {"sha256": services.sha256_hex(pdf)},
    )
    assert "niet gewijzigd" in check.content.decode()


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_a_change_after_sending_makes_a_new_version_of_the_same_kind(
    client_for, project, leader, kind
):
    document = make_document(project, kind)
    invite_partner(document, leader, name="Café De Kroon")
    document.refresh_from_db()
    client = client_for(leader)
    edit = reverse(KINDS[kind].url_name("edit"), args=[project.pk])
    form = client.get(edit).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["goal"] = "Een ander doel."
    response = client.post(edit, data)
    assert response.status_code == 302, response.context["form"].errors
    new = Declaration.objects.current_for(project, kind)
    assert (new.version, new.kind, new.goal) == (2, kind, "Een ander doel.")
    assert new.valid_from == document.valid_from
    compare = client.get(reverse(KINDS[kind].url_name("compare"), args=[project.pk, 2]))
    assert compare.context["comparison"]["changed"]
    assert "ander" in compare.content.decode()


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_another_kinds_invitation_is_not_found_on_this_kinds_pages(
    client_for, project, leader, kind
):
    other = DocumentKind.COVENANT if kind == DocumentKind.DECLARATION else DocumentKind.DECLARATION
    invitation, _token = invite_partner(make_document(project, other), leader, name="Café")
    client = client_for(leader)
    url = reverse(KINDS[kind].url_name("invitation_revoke"), args=[project.pk, invitation.pk])
    assert client.post(url).status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.OPEN


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_outsiders_and_viewers(client_for, project, leader, viewer, outsider, kind):
    make_document(project, kind)
    detail = reverse(KINDS[kind].url_name("detail"), args=[project.pk])
    edit = reverse(KINDS[kind].url_name("edit"), args=[project.pk])
    assert client_for(outsider).get(detail).status_code == 404
    assert client_for(viewer).get(detail).status_code == 200
    assert client_for(viewer).post(edit, {"goal": "x"}).status_code == 403


# --- what only a covenant has --------------------------------------------------------------


def test_the_covenant_is_not_sent_without_its_term(project, leader):
    document = make_document(project, DocumentKind.COVENANT, valid_from=None, valid_until=None)
    participation = ParticipationFactory(project=project)
    person = PersonFactory(organisation=participation.organisation)
    with pytest.raises(services.DeclarationError, match="looptijd"):
        services.invite(
            declaration=document, participation=participation, person=person, user=leader
        )
    document.refresh_from_db()
    assert not document.is_frozen
    assert not Invitation.objects.exists()


def test_the_term_is_part_of_the_signed_text(project, leader):
    document = make_document(project, DocumentKind.COVENANT)
    invite_partner(document, leader, name="Café De Kroon")
    document.refresh_from_db()
    assert "Dit convenant geldt van 1 januari 2027 tot en met 31 december 2030." in (
        document.frozen_text
    )
    texts = {field: getattr(document, field) for field in document.text_fields}
    later = services.save_declaration_text(
        declaration=document,
        texts=texts,
        user=leader,
        term=(datetime.date(2027, 1, 1), datetime.date(2029, 1, 2)),
    )
    assert later.version == 2
    assert "tot en met 2 januari 2029" in later.canonical_text()
    assert later.canonical_text() != document.frozen_text


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_saving_a_sent_text_unchanged_makes_no_new_version(client_for, project, leader, kind):
    """The browser sends CRLF line ends: the same text saved again withdraws no one's link."""
    document = make_document(project, kind, goal="Veilig uitgaan.\nSamen.")
    invitation, _token = invite_partner(document, leader, name="Café De Kroon")
    client = client_for(leader)
    edit = reverse(KINDS[kind].url_name("edit"), args=[project.pk])
    form = client.get(edit).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data = {name: str(value).replace("\n", "\r\n") + " " for name, value in data.items()}
    data["opened"] = form["opened"].value()
    for name in ("valid_from", "valid_until"):
        if name in form.fields:
            data[name] = form[name].value().isoformat()
    mail.outbox.clear()
    assert client.post(edit, data).status_code == 302
    assert Declaration.objects.filter(project=project, kind=kind).count() == 1
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.OPEN
    assert not mail.outbox


def test_the_covenants_edit_form_asks_for_a_sane_term(client_for, project, leader):
    document = make_document(project, DocumentKind.COVENANT)
    client = client_for(leader)
    edit = reverse("covenant_edit", args=[project.pk])
    form = client.get(edit).context["form"]
    assert "vision" not in form.fields
    assert "sanctions" in form.fields
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(valid_from="2027-01-01", valid_until="2026-12-31")
    response = client.post(edit, data)
    assert response.status_code == 200
    assert "De laatste dag moet na de eerste dag liggen." in response.content.decode()
    data.update(valid_until="")
    response = client.post(edit, data)
    assert response.status_code == 200
    document.refresh_from_db()
    assert document.valid_until == datetime.date(2030, 12, 31)


def test_a_new_covenant_form_proposes_four_years(client_for, project, leader):
    make_document(project, DocumentKind.COVENANT, valid_from=None, valid_until=None)
    form = client_for(leader).get(reverse("covenant_edit", args=[project.pk])).context["form"]
    start, end = form["valid_from"].value(), form["valid_until"].value()
    assert start == timezone.localdate()
    assert (end - start).days in (1460, 1461)


def _in_force(project, leader):
    """A covenant whose term has started and that everyone invited has signed: in force."""
    today = timezone.localdate()
    document = make_document(
        project,
        DocumentKind.COVENANT,
        valid_from=today - datetime.timedelta(days=60),
        valid_until=today + datetime.timedelta(days=1400),
    )
    invitations = [
        invite_partner(document, leader, name=name)[0] for name in ("Gemeente", "Café De Kroon")
    ]
    for invitation in invitations:
        answer(invitation)
    document.refresh_from_db()
    assert document.in_force
    return document


def test_a_partner_invited_after_the_round_but_before_the_term_is_no_accession(project, leader):
    document = make_document(project, DocumentKind.COVENANT)  # the term starts in 2027
    first, _token = invite_partner(document, leader, name="Gemeente")
    answer(first)
    document.refresh_from_db()
    assert document.result_sent_at is not None
    assert not document.in_force
    late, _token = invite_partner(document, leader, name="Café Laat")
    assert not late.accession


def test_a_business_joins_a_covenant_in_force_without_anyone_signing_again(
    client_for, project, leader
):
    document = _in_force(project, leader)
    client = client_for(leader)
    invite_page = client.get(reverse("covenant_invite", args=[project.pk])).content.decode()
    assert "treedt toe" in invite_page
    mail.outbox.clear()
    joining, token = invite_partner(document, leader, name="Grand Café Nieuw")
    assert joining.accession
    assert "Uitnodiging om toe te treden tot het convenant" in mail.outbox[0].subject
    partner = Client()
    partner.get(reverse("signing_start", args=[token]))
    page = partner.get(reverse("signing_page")).content.decode()
    assert "Toetreden tot het convenant" in page
    sign_through_link(token)
    joining.refresh_from_db()
    assert joining.status == InvitationStatus.SIGNED
    # The same text, the same version: the others' signatures stand.
    assert joining.signature.text_sha256 == document.text_sha256
    assert Declaration.objects.filter(project=project, kind="covenant").count() == 1
    entries = selectors.participants(document)
    assert [(e["organisation"].name, e["joined_later"]) for e in entries] == [
        ("Gemeente", False),
        ("Café De Kroon", False),
        ("Grand Café Nieuw", True),
    ]


def test_a_business_leaves_and_the_appendix_and_verification_say_so(client_for, project, leader):
    document = _in_force(project, leader)
    leaving = document.signatures.get(participation__organisation__name="Café De Kroon")
    client = client_for(leader)
    url = reverse("covenant_departure", args=[project.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "participation": leaving.participation_id,
            "left_on": timezone.localdate().isoformat(),
            "reason": "Het bedrijf is gesloten.",
        },
    )
    assert response.status_code == 302
    departure = Departure.objects.get()
    assert (departure.participation_id, departure.recorded_by) == (leaving.participation_id, leader)
    # The signature stays as evidence; the participant list and the public page say it left.
    leaving.refresh_from_db()
    assert leaving.decision == "signed"
    entry = next(e for e in selectors.participants(document) if e["departure"])
    assert entry["organisation"].name == "Café De Kroon"
    public = Client().get(reverse("verification_detail", args=[document.verification_code]))
    assert "uitgetreden op" in public.content.decode()
    pdf = services.render_declaration_pdf(document)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "uitgetreden op" in text
    # It cannot leave twice, and cannot be invited again to the same version.
    again = client.post(url, {"participation": leaving.participation_id, "left_on": "2027-02-01"})
    assert again.status_code == 200
    assert Departure.objects.count() == 1
    person = PersonFactory(organisation=leaving.participation.organisation)
    with pytest.raises(services.DeclarationError, match="uitgetreden"):
        services.invite(
            declaration=document, participation=leaving.participation, person=person, user=leader
        )


def test_leaving_is_refused_with_a_message_when_it_makes_no_sense(project, leader):
    document = _in_force(project, leader)
    stranger = ParticipationFactory(project=project)
    with pytest.raises(services.DeclarationError, match="niet ondertekend"):
        services.record_departure(
            document=document,
            participation=stranger,
            left_on=timezone.localdate(),
            reason="",
            user=leader,
        )
    signer = document.signatures.first()
    with pytest.raises(services.DeclarationError, match="vóór de dag"):
        services.record_departure(
            document=document,
            participation=signer.participation,
            left_on=timezone.localdate() - datetime.timedelta(days=30),
            reason="",
            user=leader,
        )
    declaration = make_document(project, DocumentKind.DECLARATION)
    with pytest.raises(services.DeclarationError):
        services.record_departure(
            document=declaration,
            participation=signer.participation,
            left_on=timezone.localdate(),
            reason="",
            user=leader,
        )
    assert not Departure.objects.exists()


def test_departure_page_offers_only_partners_that_signed_and_did_not_leave(
    client_for, project, leader, viewer
):
    document = _in_force(project, leader)
    ParticipationFactory(project=project, organisation__name="Nooit Getekend")
    client = client_for(leader)
    form = client.get(reverse("covenant_departure", args=[project.pk])).context["form"]
    names = [p.organisation.name for p in form.fields["participation"].queryset]
    assert names == ["Café De Kroon", "Gemeente"]
    assert (
        client_for(viewer).get(reverse("covenant_departure", args=[project.pk])).status_code == 403
    )
    assert document.departures.count() == 0


def test_the_status_page_summarises_who_takes_part_joined_and_left(client_for, project, leader):
    document = _in_force(project, leader)
    joining, _token = invite_partner(document, leader, name="Grand Café Nieuw")
    answer(joining)
    leaving = document.signatures.get(participation__organisation__name="Café De Kroon")
    services.record_departure(
        document=document,
        participation=leaving.participation,
        left_on=timezone.localdate(),
        reason="",
        user=leader,
    )
    page = client_for(leader).get(reverse("covenant_detail", args=[project.pk]))
    summary = page.context["participants"]
    assert (summary["total"], summary["joined"], summary["left"]) == (3, 1, 1)
    assert summary["taking_part"] == 2
    assert [e["organisation"].name for e in summary["changes"]] == [
        "Grand Café Nieuw",
        "Café De Kroon",
    ]
    html = page.content.decode()
    assert "2 partijen nemen deel (tijdens de looptijd toegetreden: 1, uitgetreden: 1)." in html


def test_participants_are_read_in_a_constant_number_of_queries(
    project, leader, django_assert_num_queries
):
    document = _in_force(project, leader)
    for number in range(10):
        invitation, _token = invite_partner(document, leader, name=f"Café {number}")
        answer(invitation)
    with django_assert_num_queries(2):
        assert len(selectors.participants(document)) == 12
    with django_assert_num_queries(3):
        assert selectors.participants_summary(document)["total"] == 12


def _grow(document, leader, n, *, prefix):
    """n more businesses joined the covenant in force, and each second one left again."""
    for number in range(n):
        invitation, _token = invite_partner(document, leader, name=f"{prefix} {number}")
        answer(invitation)
        if number % 2:
            services.record_departure(
                document=document,
                participation=invitation.participation,
                left_on=timezone.localdate(),
                reason="",
                user=leader,
            )


def test_the_covenants_pages_take_as_many_queries_with_ten_times_the_partners(
    client_for, project, leader
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    document = _in_force(project, leader)
    client = client_for(leader)
    urls = [
        reverse("covenant_detail", args=[project.pk]),
        reverse("covenant_departure", args=[project.pk]),
        reverse("covenant_pdf", args=[project.pk, document.version]),
        reverse("verification_detail", args=[document.verification_code]),
    ]

    def counts():
        found = []
        for url in urls:
            client.get(url)  # the PDF cache and the session settle first
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200, url
            found.append(len(ctx.captured_queries))
        return found

    _grow(document, leader, 2, prefix="Café")
    small = counts()
    _grow(document, leader, 20, prefix="Bar")
    assert counts() == small


def test_a_renewal_in_draft_leaves_the_version_in_force(client_for, project, leader):
    """Version 2 being drafted: the status page still shows who takes part in version 1, and a
    business can still leave version 1."""
    document = _in_force(project, leader)
    texts = {field: getattr(document, field) for field in document.text_fields}
    draft = services.save_declaration_text(
        declaration=document, texts={**texts, "goal": "Een nieuw doel."}, user=leader
    )
    assert draft.version == 2
    client = client_for(leader)
    page = client.get(reverse("covenant_detail", args=[project.pk]))
    assert page.context["in_force"] == document
    assert page.context["participants"]["taking_part"] == 2
    leaving = document.signatures.get(participation__organisation__name="Café De Kroon")
    response = client.post(
        reverse("covenant_departure", args=[project.pk]),
        {"participation": leaving.participation_id, "left_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    assert Departure.objects.get().document == document


def test_the_invite_page_says_when_the_first_round_is_still_open(client_for, project, leader):
    today = timezone.localdate()
    document = make_document(
        project,
        DocumentKind.COVENANT,
        valid_from=today - datetime.timedelta(days=5),
        valid_until=today + datetime.timedelta(days=1400),
    )
    first, _token = invite_partner(document, leader, name="Gemeente")
    invite_partner(document, leader, name="Café Stil")
    answer(first)
    page = client_for(leader).get(reverse("covenant_invite", args=[project.pk]))
    assert page.context["round_open"] == 1
    assert not page.context["joining"]
    assert "1 uitnodiging uit de eerste ronde staat nog open" in page.content.decode()


def test_no_one_is_invited_to_a_covenant_whose_term_has_ended(project, leader):
    today = timezone.localdate()
    document = make_document(
        project,
        DocumentKind.COVENANT,
        valid_from=today - datetime.timedelta(days=1500),
        valid_until=today - datetime.timedelta(days=1),
    )
    with pytest.raises(services.DeclarationError, match="looptijd van deze versie is voorbij"):
        invite_partner(document, leader, name="Café Te Laat")
    assert not Invitation.objects.exists()
