"""The covenant of CCV step 5: its first draft from the plan of approach (covenant_texts), the
create view, and the covenant through the signed-document engine from end to end (invite, sign,
decline, a business joining during the term, a business leaving, verification, the PDF with the
appendix of participating businesses)."""

import datetime
import io

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from partners.declaration import services as engine
from partners.declaration.selectors import participants
from partners.models import (
    Declaration,
    DocumentKind,
    Invitation,
    KvuRole,
    OrganisationKind,
)
from plans.covenant import services
from plans.covenant.texts import add_months, covenant_texts, default_term
from tests.pdf_words import overlapping_words
from tests.test_plans_commitments import make_plan, measure, partner

COVENANT_FIELDS = [
    "title",
    "parties",
    "goal",
    "measures",
    "contributions",
    "membership",
    "duration",
    "sanctions",
    "closing",
]


@pytest.fixture
def plan(project, leader):
    return make_plan(project, leader)


@pytest.fixture
def parties(plan):
    """The public partners, KHN, the prosecutor and two cafés, each with a contact person."""
    project = plan.project
    return {
        "municipality": partner(project, OrganisationKind.MUNICIPALITY, "Gemeente Zwolle"),
        "police": partner(project, OrganisationKind.POLICE, "Politie IJsselland"),
        "khn": partner(project, OrganisationKind.KHN, "KHN Zwolle"),
        "om": partner(project, OrganisationKind.PROSECUTOR, "Openbaar Ministerie Oost-Nederland"),
        "pijp": partner(project, OrganisationKind.HOSPITALITY, "Café De Pijp", role=KvuRole.CORE),
        "zwaan": partner(project, OrganisationKind.HOSPITALITY, "Bar De Zwaan"),
    }


# --- the first draft ---


def test_texts_have_every_part_of_the_engines_covenant(plan, parties):
    from partners.declaration.kinds import KINDS

    texts = covenant_texts(plan, plan.project)
    assert list(texts) == COVENANT_FIELDS
    assert set(texts) == set(KINDS[DocumentKind.COVENANT].text_fields)
    assert all(text.strip() for text in texts.values())


def test_texts_name_parties_measures_by_theme_commitments_and_term(plan, parties):
    measure(plan, parties["police"], title="Extra surveillance op vrijdagnacht", theme="safety")
    measure(plan, parties["pijp"], title="Collectieve huisregels", theme="maintenance")
    services.add_commitment(
        plan=plan, participation=parties["pijp"], text="Twee portiers vanaf 23.00 uur."
    )
    with translation.override("en"):
        texts = covenant_texts(plan, plan.project, starts_on=datetime.date(2027, 3, 1))
    # Parties: the municipality first, each with its representative.
    assert texts["parties"].startswith("- Gemeente Zwolle, represented by Contact Gemeente Zwolle")
    assert "Openbaar Ministerie Oost-Nederland" in texts["parties"]
    # The goal of the plan.
    assert "20% minder incidenten" in texts["goal"]
    # Measures grouped by CCV theme (in the themes' order), with who is responsible.
    measures = texts["measures"]
    assert measures.index("Management and maintenance:") < measures.index("Safety:")
    assert "- Extra surveillance op vrijdagnacht (responsible: Politie IJsselland)" in measures
    for paragraph in ("Hospitality consultation", "Admission policy", "Glass", "Closing times"):
        assert paragraph in measures
    # Each partner's commitments, under its name.
    assert "Café De Pijp:\n- Twee portiers vanaf 23.00 uur." in texts["contributions"]
    # The term: four years from the first day. Its dates are not typed into the text: the engine
    # writes them from the covenant's term into what is signed (test_signed_documents.py).
    assert default_term(datetime.date(2027, 3, 1)) == (
        datetime.date(2027, 3, 1),
        datetime.date(2031, 2, 28),
    )
    assert "2027" not in texts["duration"]
    assert "exclude" in texts["sanctions"]
    assert "join" in texts["membership"]


def test_no_paragraph_looks_like_a_numbered_heading(plan, parties):
    """The engine takes a line "1. Something" for a heading of its own (services.HEADING)."""
    measure(plan, parties["police"])
    for text in covenant_texts(plan, plan.project).values():
        for paragraph in text.split("\n\n"):
            assert not engine.HEADING.match(paragraph), paragraph


def test_the_term_is_four_years_to_the_day_before():
    assert default_term(datetime.date(2026, 12, 4)) == (
        datetime.date(2026, 12, 4),
        datetime.date(2030, 12, 3),
    )
    assert add_months(datetime.date(2027, 1, 31), 1) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2026, 11, 30), 3) == datetime.date(2027, 2, 28)


# --- covenant_create ---


def test_leader_drafts_the_covenant_from_the_plan(client_for, leader, plan, parties):
    services.add_commitment(plan=plan, participation=parties["pijp"], text="Twee portiers.")
    response = client_for(leader).post(reverse("covenant_create", args=[plan.project_id]))
    assert response.status_code == 302
    assert response["Location"] == reverse("covenant_edit", args=[plan.project_id])
    covenant = Declaration.objects.get(project=plan.project, kind=DocumentKind.COVENANT)
    assert "Twee portiers." in covenant.contributions
    assert covenant.valid_from == timezone.localdate()
    assert covenant.valid_until == default_term()[1]
    assert covenant.language == "nl"
    # A second click changes nothing.
    client_for(leader).post(reverse("covenant_create", args=[plan.project_id]))
    assert Declaration.objects.filter(kind=DocumentKind.COVENANT).count() == 1


def test_create_without_a_plan_is_refused_with_a_message(client_for, leader, project):
    client = client_for(leader)
    response = client.post(reverse("covenant_create", args=[project.pk]), follow=True)
    assert not Declaration.objects.filter(kind=DocumentKind.COVENANT).exists()
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1


def test_create_is_post_only_and_refused_to_viewers_and_outsiders(
    client_for, viewer, outsider, leader, plan
):
    url = reverse("covenant_create", args=[plan.project_id])
    assert client_for(leader).get(url).status_code == 405
    assert client_for(viewer).post(url).status_code == 403
    assert client_for(outsider).post(url).status_code == 404
    assert not Declaration.objects.filter(kind=DocumentKind.COVENANT).exists()


# --- through the engine, from end to end ---


def _sign(invitation, *, decision="signed", reason=""):
    document = Declaration.objects.get(pk=invitation.declaration_id)
    return engine.answer_invitation(
        invitation_id=invitation.pk,
        decision=decision,
        signer_name=invitation.person.name,
        signer_function="directeur" if decision == "signed" else "",
        decline_reason=reason,
        text_sha256=document.text_sha256,
        ip="192.0.2.1",
        user_agent="pytest",
    )


def _invite(document, participation, leader):
    return engine.invite(
        declaration=document,
        participation=participation,
        person=participation.main_contact,
        user=leader,
    )


def _drafted(client_for, leader, plan):
    client_for(leader).post(reverse("covenant_create", args=[plan.project_id]))
    return Declaration.objects.get(project=plan.project, kind=DocumentKind.COVENANT)


def test_covenant_round_accession_departure_verification_and_pdf(client_for, leader, plan, parties):
    measure(plan, parties["police"], title="Extra surveillance op vrijdagnacht")
    services.add_commitment(plan=plan, participation=parties["pijp"], text="Twee portiers.")
    document = _drafted(client_for, leader, plan)
    first_round = ["municipality", "police", "khn", "om", "pijp", "zwaan"]
    invitations = {key: _invite(document, parties[key], leader) for key in first_round}
    document.refresh_from_db()
    assert document.is_frozen
    assert not any(inv.accession for inv in invitations.values())
    for key in ["municipality", "police", "khn", "om", "pijp"]:
        _sign(invitations[key])
    _sign(invitations["zwaan"], decision="declined", reason="Eerst de sluitingstijden bespreken.")
    document.refresh_from_db()
    assert document.result_sent_at is not None  # everyone answered: the covenant is in force

    # Two businesses join during the term; they sign the same frozen text.
    late = [
        partner(plan.project, OrganisationKind.HOSPITALITY, "Club Noord"),
        partner(plan.project, OrganisationKind.HOSPITALITY, "Eetcafé Zuid"),
    ]
    joined = [_invite(document, participation, leader) for participation in late]
    assert all(invitation.accession for invitation in joined)
    for invitation in joined:
        signature = _sign(invitation)
        assert signature.text_sha256 == document.text_sha256
    assert Declaration.objects.filter(kind=DocumentKind.COVENANT).count() == 1

    # One of them leaves; a partner that did not sign cannot.
    engine.record_departure(
        document=document,
        participation=late[1],
        left_on=timezone.localdate(),
        reason="Zaak gesloten.",
        user=leader,
    )
    with pytest.raises(engine.DeclarationError):
        engine.record_departure(
            document=document,
            participation=parties["zwaan"],
            left_on=timezone.localdate(),
            reason="",
            user=leader,
        )
    rows = {row["organisation"].name: row for row in participants(document)}
    assert rows["Club Noord"]["joined_later"]
    assert rows["Eetcafé Zuid"]["departure"] is not None
    assert "Bar De Zwaan" not in rows

    # The public verification page knows the covenant.
    verification = client_for(leader).get(
        reverse("verification_detail", args=[document.verification_code])
    )
    assert verification.status_code == 200
    assert "Club Noord" in verification.content.decode()

    # The PDF: tagged, PDF/A, no overlapping words, and the appendix of participating businesses.
    response = client_for(leader).get(
        reverse("covenant_pdf", args=[plan.project_id, document.version])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert overlapping_words(pdf) == []
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) is True
    assert root["/StructTreeRoot"].get_object()["/K"]
    assert root["/Lang"] == "nl"
    xmp = root["/Metadata"].get_data().decode()
    assert 'pdfaid:part="2"' in xmp or "<pdfaid:part>2</pdfaid:part>" in xmp
    pages = [page.extract_text() for page in reader.pages]
    assert "Extra surveillance op vrijdagnacht" in " ".join(pages)
    appendix = [text for text in pages if "Appendix" in text or "Bijlage" in text]
    assert appendix, "no appendix of participating partners"
    for name in ("Café De Pijp", "Club Noord", "Eetcafé Zuid"):
        assert name in appendix[-1]
    assert "Bar De Zwaan" not in appendix[-1]  # declined: not a participant


def test_covenant_pages_of_the_engine_open_for_the_leader(client_for, leader, plan, parties):
    document = _drafted(client_for, leader, plan)
    client = client_for(leader)
    for name in ("covenant_detail", "covenant_edit", "covenant_preview", "covenant_invite"):
        assert client.get(reverse(name, args=[plan.project_id])).status_code == 200, name
    invitation = _invite(document, parties["pijp"], leader)
    assert invitation.email in mail.outbox[-1].to
    assert Invitation.objects.filter(declaration__kind=DocumentKind.COVENANT).count() == 1


# --- the demo ---


def test_demo_covenant_is_signed_joined_and_left_and_loads_once(db, settings):
    from django.core.management import call_command

    from kvu.models import Project
    from partners.models import Departure, InvitationStatus
    from plans.demo import covenant as demo

    settings.DEBUG = True  # the demo command runs only in development
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    project = Project.objects.get(name=demo.PROJECT)
    document = Declaration.objects.get(project=project, kind=DocumentKind.COVENANT)
    assert document.result_sent_at is not None
    assert not document.invitations.exclude(status=InvitationStatus.SIGNED).exists()
    rows = {row["organisation"].name: row for row in participants(document)}
    assert {name for name, row in rows.items() if row["joined_later"]} == set(demo.JOINING_LATER)
    assert [name for name, row in rows.items() if row["departure"]] == [demo.LEAVING[0]]
    assert "Openbaar Ministerie Oost-Nederland, parket Zutphen" in rows
    counts = (Declaration.objects.count(), Departure.objects.count())
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Declaration.objects.count(), Departure.objects.count()) == counts
