"""The intentieverklaring for the leader: drafting, versions, invitations, reminders, PDF."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from partners.declaration import services
from partners.models import (
    Declaration,
    EventKind,
    Invitation,
    InvitationStatus,
    KvuRole,
    OrganisationKind,
    Signature,
    sha256_hex,
)
from tests.declaration_support import LINK_RE, invited
from tests.factories import (
    DeclarationFactory,
    OrganisationFactory,
    ParticipationFactory,
    PersonFactory,
)


def _sign(invitation, name="Jan de Boer", function="eigenaar"):
    return services.answer_invitation(
        invitation_id=invitation.pk,
        decision="signed",
        signer_name=name,
        signer_function=function,
        text_sha256=Declaration.objects.get(pk=invitation.declaration_id).text_sha256,
        ip="192.0.2.1",
        user_agent="pytest",
    )


def _texts(declaration, **changes):
    return {field: getattr(declaration, field) for field in declaration.text_fields} | changes


def test_draft_is_made_from_the_template_with_the_project_partners(client_for, project, leader):
    contact = PersonFactory(
        organisation__municipality=project.municipality,
        organisation__name="Politie Oost-Nederland",
        name="Eva Smit",
        function="teamchef",
    )
    ParticipationFactory(project=project, organisation=contact.organisation, main_contact=contact)
    client = client_for(leader)
    response = client.post(reverse("declaration_create", args=[project.pk]))
    assert response.status_code == 302
    declaration = Declaration.objects.get(project=project)
    assert declaration.version == 1
    assert "Politie Oost-Nederland, vertegenwoordigd door Eva Smit, teamchef" in declaration.parties
    assert "Politie Oost-Nederland neemt deel aan de werkgroep" in declaration.contributions
    assert declaration.title.startswith("Intentieverklaring Kwaliteitsmeter Veilig Uitgaan")
    assert not declaration.is_frozen


def test_first_invitation_freezes_the_text_with_its_hash(project, leader):
    invitation, _token = invited(project, leader=leader)
    declaration = Declaration.objects.get(pk=invitation.declaration_id)
    assert declaration.is_frozen
    assert declaration.frozen_text == declaration.canonical_text()
    assert declaration.text_sha256 == sha256_hex(declaration.frozen_text.encode("utf-8"))
    assert "1. Deelnemende partijen" in declaration.frozen_text


def test_canonical_text_ignores_line_ending_and_trailing_space_noise(project):
    a = DeclarationFactory(project=project, goal="Veilig uitgaan.\r\nSamen.  ")
    b = DeclarationFactory.build(project=project, goal="Veilig uitgaan.\nSamen.")
    assert a.canonical_text() == b.canonical_text()


def test_editing_a_draft_changes_it_in_place(client_for, project, leader):
    declaration = DeclarationFactory(project=project)
    client = client_for(leader)
    data = _texts(declaration, goal="Een nieuw doel.")
    assert client.post(reverse("declaration_edit", args=[project.pk]), data).status_code == 302
    declaration.refresh_from_db()
    assert declaration.goal == "Een nieuw doel."
    assert Declaration.objects.filter(project=project).count() == 1


def test_changing_a_sent_text_makes_a_new_version_without_the_old_signatures(
    client_for, project, leader
):
    signed, _t1 = invited(project, leader=leader, name="Café Een")
    v1 = signed.declaration
    still_open, _t2 = invited(project, leader=leader, declaration=v1, name="Club Twee")
    _sign(signed)
    mail.outbox.clear()
    client = client_for(leader)
    data = _texts(Declaration.objects.get(pk=v1.pk), goal="Een ander doel.")
    response = client.post(reverse("declaration_edit", args=[project.pk]), data)
    assert response.status_code == 302
    v2 = Declaration.objects.get(project=project, version=2)
    assert v2.goal == "Een ander doel."
    assert not v2.is_frozen
    assert not v2.signatures.exists()
    assert not v2.invitations.exists()
    # The old version keeps its text, its hash and its signature.
    v1.refresh_from_db()
    assert v1.goal != "Een ander doel."
    assert v1.signatures.count() == 1
    # The open invitation of the old version is withdrawn, with a notice to the invitee.
    still_open.refresh_from_db()
    assert still_open.status == InvitationStatus.WITHDRAWN
    assert still_open.events.filter(kind=EventKind.WITHDRAWN).exists()
    assert [m.to for m in mail.outbox] == [[still_open.email]]
    assert "gewijzigd" in mail.outbox[0].subject
    assert not LINK_RE.search(mail.outbox[0].body)
    page = client.get(reverse("declaration_detail", args=[project.pk])).content.decode()
    assert "blijven alleen geldig voor versie 1" in page


def test_a_signature_can_never_be_attached_to_another_version(project, leader):
    invitation, _token = invited(project, leader=leader)
    signature = _sign(invitation)
    other = DeclarationFactory(project=project, version=2)
    # The database refuses a second answer of the same partner on the same version, too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Signature.objects.create(
            invitation=Invitation.objects.create(
                declaration=signature.declaration,
                participation=ParticipationFactory(project=project),
                person=invitation.person,
                email="x@example.org",
            ),
            declaration=signature.declaration,
            participation=signature.participation,
            decision="signed",
            signer_name="X",
            signer_function="Y",
            organisation_name="Z",
            text_sha256=signature.text_sha256,
        )
    assert not other.signatures.exists()


def test_invitation_mail_is_formal_dutch_and_the_link_is_nowhere_on_the_leaders_pages(
    client_for, project, leader
):
    invitation, token = invited(project, leader=leader)
    message = mail.outbox[-1]
    assert message.to == [invitation.email]
    assert message.body.startswith(f"Geachte {invitation.person.name},")
    assert "nodigt u uit" in message.body
    client = client_for(leader)
    for name in ["declaration_detail", "declaration_preview", "declaration_invite"]:
        page = client.get(reverse(name, args=[project.pk])).content.decode()
        assert token not in page
        assert "/ondertekenen/" not in page


def test_leader_invites_through_the_form(client_for, project, leader):
    declaration = DeclarationFactory(project=project)
    participation = ParticipationFactory(project=project)
    person = PersonFactory(organisation=participation.organisation)
    client = client_for(leader)
    response = client.post(
        reverse("declaration_invite", args=[project.pk]), {"persons": [person.pk]}
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(declaration=declaration)
    assert invitation.person == person
    assert invitation.sent_at is not None
    assert invitation.expires_at > timezone.now() + datetime.timedelta(days=29)


def test_a_person_of_another_municipality_cannot_be_invited(
    client_for, project, leader, other_municipality
):
    DeclarationFactory(project=project)
    stranger = PersonFactory(organisation__municipality=other_municipality)
    client = client_for(leader)
    response = client.post(
        reverse("declaration_invite", args=[project.pk]), {"persons": [stranger.pk]}
    )
    assert response.status_code == 200
    assert not Invitation.objects.exists()
    assert not mail.outbox


def test_viewer_cannot_send_reminders(client_for, project, leader, viewer):
    invitation, _token = invited(project, leader=leader)
    mail.outbox.clear()
    client = client_for(viewer)
    url = reverse("declaration_invitation_remind", args=[project.pk, invitation.pk])
    assert client.post(url).status_code == 403
    assert not mail.outbox


def test_reminder_button_and_revoke(client_for, project, leader):
    invitation, _token = invited(project, leader=leader)
    client = client_for(leader)
    mail.outbox.clear()
    client.post(reverse("declaration_invitation_remind", args=[project.pk, invitation.pk]))
    assert len(mail.outbox) == 1
    assert "Herinnering" in mail.outbox[0].subject
    client.post(reverse("declaration_invitation_revoke", args=[project.pk, invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.REVOKED
    assert list(invitation.events.values_list("kind", flat=True)) == [
        "sent",
        "reminded",
        "revoked",
    ]


def test_automatic_reminders_come_every_seven_days_and_the_command_is_idempotent(project, leader):
    invitation, _token = invited(project, leader=leader)
    mail.outbox.clear()
    call_command("send_reminders", stdout=io.StringIO())
    assert not mail.outbox  # just sent: nothing due yet
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_at=timezone.now() - datetime.timedelta(days=7, minutes=1)
    )
    call_command("send_reminders", stdout=io.StringIO())
    call_command("send_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 1
    invitation.refresh_from_db()
    assert invitation.reminder_count == 1


def test_no_reminders_after_expiry(project, leader):
    invitation, _token = invited(project, leader=leader)
    mail.outbox.clear()
    past = timezone.now() - datetime.timedelta(days=8)
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=past, expires_at=past)
    call_command("send_reminders", stdout=io.StringIO())
    assert not mail.outbox


def test_a_failed_send_keeps_the_invitation_and_is_retried(project, leader, settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.test_declaration.FailingBackend"}}
    participation = ParticipationFactory(project=project)
    person = PersonFactory(organisation=participation.organisation)
    invitation = services.invite(
        declaration=DeclarationFactory(project=project),
        participation=participation,
        person=person,
        user=leader,
    )
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.OPEN
    assert invitation.sent_at is None
    assert invitation.tokens.count() == 0  # the unsent link was rolled back
    assert invitation.events.filter(kind=EventKind.SEND_FAILED).exists()
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    Invitation.objects.filter(pk=invitation.pk).update(
        updated_at=timezone.now() - datetime.timedelta(hours=1)
    )
    call_command("send_reminders", stdout=io.StringIO())
    invitation.refresh_from_db()
    assert invitation.sent_at is not None
    assert LINK_RE.search(mail.outbox[-1].body)


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server down")


def test_signer_gets_the_pdf_and_the_leader_a_notice(project, leader):
    invitation, _token = invited(project, leader=leader)
    mail.outbox.clear()
    _sign(invitation)
    # The only invitee answered: the round's result and final PDF follow (test_declaration_round).
    confirmation, notice, _result, _final = mail.outbox
    assert confirmation.to == [invitation.email]
    assert confirmation.attachments[0][2] == "application/pdf"
    assert notice.to == [leader.email]
    assert "heeft de intentieverklaring ondertekend" in notice.subject


def test_pdf_holds_the_signer_the_organisation_and_the_hash(client_for, project, leader):
    invitation, _token = invited(project, leader=leader, name="Café De Pijp")
    _sign(invitation, name="Jan de Boer", function="eigenaar")
    declaration = Declaration.objects.get(pk=invitation.declaration_id)
    client = client_for(leader)
    response = client.get(reverse("declaration_pdf", args=[project.pk, 1]))
    assert response["Content-Type"] == "application/pdf"
    pdf = b"".join(response.streaming_content) if response.streaming else response.content
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    flat = "".join(text.split())
    assert "Jan de Boer" in text
    assert "Café De Pijp" in text
    assert declaration.text_sha256 in flat
    assert declaration.verification_code in text
    assert "Handtekeningen" in text
    assert "Bewijs" in text
    # The file itself is recorded, so the verification page recognises it.
    assert declaration.issued_pdfs.filter(sha256=sha256_hex(pdf)).exists()


def test_pdf_reads_in_english(client_for, project, leader):
    invitation, _token = invited(project, leader=leader)
    _sign(invitation)
    client = client_for(leader)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("declaration_pdf", args=[project.pk, 1]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Event log per signatory" in text
    assert "Verification code" in text


def test_progress_per_role_counts_core_partners(project, leader):
    police, _t = invited(project, leader=leader, kind=OrganisationKind.POLICE)
    invited(
        project, leader=leader, kind=OrganisationKind.HOSPITALITY, declaration=police.declaration
    )
    _sign(police)
    progress = {row["role"]: row for row in services.role_progress(police.declaration)}
    core = progress[KvuRole.CORE.label]
    assert (core["signed"], core["total"]) == (1, 2)


def test_status_page_shows_who_declined_and_why_and_who_has_not_opened(client_for, project, leader):
    declined, _t = invited(project, leader=leader, name="Café Nee")
    unopened, _t2 = invited(project, leader=leader, declaration=declined.declaration)
    services.answer_invitation(
        invitation_id=declined.pk,
        decision="declined",
        signer_name="Piet",
        decline_reason="Te veel regels.",
        text_sha256=declined.declaration.text_sha256,
        ip=None,
        user_agent="",
    )
    page = client_for(leader).get(reverse("declaration_detail", args=[project.pk]))
    html = page.content.decode()
    assert "Te veel regels." in html
    assert "niet geopend" in html
    assert unopened.participation.organisation.name in html


def _status_page_queries(client, project):
    with CaptureQueriesContext(transaction.get_connection()) as ctx:
        assert client.get(reverse("declaration_detail", args=[project.pk])).status_code == 200
    return len(ctx)


def test_status_page_query_count_does_not_grow_with_invitations(client_for, project, leader):
    """Prevents an N+1 over invitations: their events, signatures, persons and organisations."""
    declaration = DeclarationFactory(project=project)
    for _i in range(2):
        invitation, _t = invited(project, leader=leader, declaration=declaration)
    _sign(invitation)
    client = client_for(leader)
    small = _status_page_queries(client, project)
    for _i in range(20):
        invitation, _t = invited(project, leader=leader, declaration=declaration)
    _sign(invitation)
    services.remind_invitation(invitation=Invitation.objects.open().first(), user=leader)
    assert _status_page_queries(client, project) == small


def test_project_overview_shows_the_signature_progress_and_a_tab(client_for, project, leader):
    invitation, _t = invited(project, leader=leader, kind=OrganisationKind.POLICE)
    _sign(invitation)
    html = client_for(leader).get(project.get_absolute_url()).content.decode()
    assert "Intentieverklaring" in html
    assert "1 van 1 ondertekend" in html
    assert reverse("declaration_detail", args=[project.pk]) in html


def test_other_municipality_never_sees_the_declaration(client_for, project, leader, outsider):
    invitation, _t = invited(project, leader=leader)
    client = client_for(outsider)
    assert client.get(reverse("declaration_detail", args=[project.pk])).status_code == 404
    assert client.get(reverse("declaration_pdf", args=[project.pk, 1])).status_code == 404
    url = reverse("declaration_invitation_revoke", args=[project.pk, invitation.pk])
    assert client.post(url).status_code == 404
    other_project_org = OrganisationFactory()
    assert other_project_org.municipality != project.municipality


def _dashboard_queries(client):
    with CaptureQueriesContext(transaction.get_connection()) as ctx:
        response = client.get(reverse("dashboard"))
    return response, len(ctx)


def test_dashboard_shows_signature_progress_with_a_fixed_number_of_queries(
    client_for, project, leader, municipality
):
    """Prevents an N+1 over projects and their declarations' signatures in the dashboard panel."""
    from tests.factories import ProjectFactory

    invitation, _t = invited(project, leader=leader)
    _sign(invitation)
    client = client_for(leader)
    response, small = _dashboard_queries(client)
    assert "1 van 1 uitgenodigde partners hebben versie 1 ondertekend" in response.content.decode()
    for _i in range(5):
        other = ProjectFactory(municipality=municipality)
        for _j in range(2):
            invited(other, leader=leader, declaration=Declaration.objects.current_for(other))
    _response, large = _dashboard_queries(client)
    assert large == small


def test_the_status_page_pages_the_invitations_by_partner_name(client_for, project, leader):
    from partners.declaration.views import INVITATION_PAGE_SIZE

    first, _t = invited(project, leader=leader, name="Bar 00")
    for number in range(1, INVITATION_PAGE_SIZE + 1):
        invited(project, leader=leader, declaration=first.declaration, name=f"Bar {number:02d}")
    client = client_for(leader)
    url = reverse("declaration_detail", args=[project.pk])
    page_one = client.get(url)
    assert len(page_one.context["page"].object_list) == INVITATION_PAGE_SIZE
    assert f"{INVITATION_PAGE_SIZE + 1} uitnodigingen" in page_one.text
    assert f"Bar {INVITATION_PAGE_SIZE:02d}" not in page_one.text
    page_two = client.get(url, {"page": 2})
    names = [inv.participation.organisation.name for inv in page_two.context["page"].object_list]
    assert names == [f"Bar {INVITATION_PAGE_SIZE:02d}"]
    assert client.get(url, {"page": "999"}).status_code == 200
