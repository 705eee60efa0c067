"""The declaration round to its end: inviting a decliner again, withdrawals, new versions with a
comparison, the result once everyone answered, reminders, reopening a used link, one address
once per version."""

import datetime
import io

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from partners.declaration import services
from partners.declaration.emails import COMPARE_QUERY
from partners.models import (
    Concern,
    Declaration,
    EventKind,
    Invitation,
    InvitationStatus,
    ReminderRun,
    Signature,
    SigningToken,
    Stage,
)
from tests.concurrency import race_split
from tests.declaration_support import invited, last_token
from tests.factories import (
    DeclarationFactory,
    ParticipationFactory,
    PersonFactory,
)


@pytest.fixture(autouse=True)
def _english(client, settings, _dutch_by_default):
    """English pages (the language switch's cookie), messages and leader's e-mails, so the
    tests read the English text."""
    settings.LANGUAGE_CODE = "en"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def _english_client():
    other = Client()
    other.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return other


def _declaration(project, **extra):
    # English, so that the e-mails (in the declaration's language) can be read in English here.
    return DeclarationFactory(project=project, language="en", **extra)


def _answer(invitation, decision="signed", *, name="Jan de Boer", reason=""):
    return services.answer_invitation(
        invitation_id=invitation.pk,
        decision=decision,
        signer_name=name,
        signer_function="eigenaar" if decision == "signed" else "",
        decline_reason=reason,
        text_sha256=Declaration.objects.get(pk=invitation.declaration_id).text_sha256,
        ip="192.0.2.1",
        user_agent="pytest",
    )


def _resolve_concerns(invitation):
    for concern in Concern.objects.filter(participation_id=invitation.participation_id):
        concern.status = "resolved"
        concern.save(update_fields=["status", "updated_at"])


def _texts(declaration, **changes):
    return {field: getattr(declaration, field) for field in declaration.text_fields} | changes


def _open(client, token, query=""):
    return client.get(reverse("signing_start", args=[token]) + query)


def _pdf_text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


# --- 1. inviting a partner that declined again, for the same version -------------------------


def test_declined_partner_is_invited_again_for_the_same_version_once_its_concern_is_resolved(
    project, leader
):
    declaration = _declaration(project)
    declined, _t = invited(project, leader=leader, declaration=declaration, name="Café De Zwaan")
    invited(project, leader=leader, declaration=declaration, name="Politie")
    _answer(declined, "declined", reason="Te veel extra kosten voor portiers.")
    # The decline became an open concern: inviting again waits until it is settled.
    with pytest.raises(services.DeclarationError, match="open concern"):
        services.reinvite_declined(invitation=declined, user=leader)
    _resolve_concerns(declined)
    mail.outbox.clear()

    again = services.reinvite_declined(invitation=declined, user=leader)

    assert again.pk != declined.pk
    assert again.declaration_id == declined.declaration_id
    assert again.status == InvitationStatus.OPEN
    declined.refresh_from_db()
    assert declined.status == InvitationStatus.DECLINED
    assert declined.signature.decline_reason == "Te veel extra kosten voor portiers."
    assert Declaration.objects.filter(project=project).count() == 1
    (message,) = mail.outbox
    assert message.to == [declined.email]
    assert "You declined the declaration of intent" in message.body
    assert "has addressed your concern" in message.body
    assert list(again.events.values_list("kind", flat=True)) == [EventKind.REINVITED]

    _answer(again, "signed")
    assert Signature.objects.filter(participation=declined.participation).count() == 2
    assert declined.participation.__class__.objects.get(pk=declined.participation_id).stage == (
        Stage.SIGNED
    )


def test_inviting_again_is_refused_twice_and_for_a_partner_that_did_not_decline(project, leader):
    declaration = _declaration(project)
    declined, _t = invited(project, leader=leader, declaration=declaration)
    signed, _t = invited(project, leader=leader, declaration=declaration)
    _answer(declined, "declined", reason="")
    _answer(signed, "signed")
    services.reinvite_declined(invitation=declined, user=leader)
    with pytest.raises(services.DeclarationError, match="already been invited again"):
        services.reinvite_declined(invitation=declined, user=leader)
    with pytest.raises(services.DeclarationError, match="Only a partner that declined"):
        services.reinvite_declined(invitation=signed, user=leader)
    # The ordinary invitation refuses a decliner with a pointer to "Invite again".
    fresh, _t = invited(project, leader=leader, declaration=declaration)
    _answer(fresh, "declined", reason="")
    with pytest.raises(services.DeclarationError, match="Invite again"):
        services.invite(
            declaration=declaration,
            participation=fresh.participation,
            person=fresh.person,
            user=leader,
        )


def test_invite_again_button_on_the_status_page(client_for, project, leader):
    declaration = _declaration(project)
    declined, _t = invited(project, leader=leader, declaration=declaration)
    _answer(declined, "declined", reason="Eerst de analyse afwachten.")
    client = client_for(leader)
    url = reverse("declaration_invitation_reinvite", args=[project.pk, declined.pk])
    page = client.get(reverse("declaration_detail", args=[project.pk])).content.decode()
    assert url in page
    assert "1 open concern" in page

    response = client.post(url, follow=True)
    assert "open concern" in response.content.decode()
    assert Invitation.objects.filter(declaration=declaration).count() == 1

    _resolve_concerns(declined)
    response = client.post(url, follow=True)
    assert "has been invited again" in response.content.decode()
    assert Invitation.objects.filter(declaration=declaration, status="open").count() == 1
    page = client.get(reverse("declaration_detail", args=[project.pk])).content.decode()
    assert url not in page
    assert "invited again" in page


# --- 2. a withdrawn invitation tells the invitee -----------------------------------------------


def test_revoked_invitation_tells_the_invitee_that_the_link_no_longer_applies(project, leader):
    declaration = _declaration(project)
    invitation, _t = invited(project, leader=leader, declaration=declaration)
    mail.outbox.clear()
    services.revoke_invitation(invitation=invitation, user=leader)
    (message,) = mail.outbox
    assert message.to == [invitation.email]
    assert "no longer applies" in message.subject
    assert "has withdrawn its invitation" in message.body
    assert "no longer applies" in message.body


def test_new_version_withdrawal_says_the_link_no_longer_applies(project, leader):
    declaration = _declaration(project)
    _invitation, _t = invited(project, leader=leader, declaration=declaration)
    mail.outbox.clear()
    services.save_declaration_text(
        declaration=declaration, texts=_texts(declaration, goal="Anders."), user=leader
    )
    (message,) = mail.outbox
    assert "version 1 therefore no longer applies" in " ".join(message.body.split())


def test_a_replaced_signatory_is_told_too(project, leader):
    declaration = _declaration(project)
    invitation, _t = invited(project, leader=leader, declaration=declaration)
    other = PersonFactory(organisation=invitation.participation.organisation)
    mail.outbox.clear()
    services.invite(
        declaration=declaration, participation=invitation.participation, person=other, user=leader
    )
    assert [m.to for m in mail.outbox] == [[invitation.email], [other.email]]
    assert "Someone else has been asked to sign" in mail.outbox[0].body


# --- 3. a new version: the text changed, an earlier signature does not count, the comparison ---


def _second_version(project, leader):
    first = _declaration(project, goal="Samen zorgen voor een veilig uitgaansgebied.")
    invitation, _t = invited(project, leader=leader, declaration=first)
    _answer(invitation, "signed")
    second = services.save_declaration_text(
        declaration=first,
        texts=_texts(first, goal="Samen zorgen voor een veilig en gastvrij uitgaansgebied."),
        user=leader,
    )
    mail.outbox.clear()
    new = services.invite(
        declaration=second,
        participation=invitation.participation,
        person=invitation.person,
        user=leader,
    )
    return first, second, new


def test_invitation_for_a_new_version_says_so_and_links_to_the_comparison(client, project, leader):
    _first, _second, new = _second_version(project, leader)
    (message,) = mail.outbox
    body = " ".join(message.body.split())
    assert "New version 2" in message.subject
    assert "The text has changed since version 1" in body
    assert "Your signature on version 1 does not count for the new text" in body
    token = last_token(new.email)
    assert reverse("signing_start", args=[token]) + COMPARE_QUERY in message.body

    response = _open(client, token, COMPARE_QUERY)
    assert response["Location"] == reverse("signing_compare")
    page = client.get(reverse("signing_compare")).content.decode()
    assert "<ins" in page
    assert "gastvrij" in page
    assert "<del" in page
    assert "does not count for this text" in page


def test_leader_compares_a_version_with_the_previous_one(client_for, project, leader, viewer):
    _first, _second, _new = _second_version(project, leader)
    url = reverse("declaration_compare", args=[project.pk, 2])
    page = client_for(viewer).get(url).content.decode()
    assert "What changed in version 2" in page
    assert page.count("<ins") >= 2
    assert "gastvrij" in page
    first = client_for(viewer).get(reverse("declaration_compare", args=[project.pk, 1]))
    assert "there is no earlier text" in first.content.decode()
    detail = client_for(leader).get(reverse("declaration_detail", args=[project.pk])).content
    assert url in detail.decode()


def test_comparison_marks_added_removed_and_changed_paragraphs(project):
    old = DeclarationFactory(project=project, goal="Een twee drie.", duration="Twee jaar.")
    new = DeclarationFactory(
        project=project, version=2, goal="Een vier drie.", duration="Twee jaar.", closing=""
    )
    comparison = services.compare_versions(old, new)
    assert comparison["changed"]
    segments = [s for p in comparison["paragraphs"] for s in p["segments"]]
    assert ("del", "twee") in segments
    assert ("ins", "vier") in segments
    changes = {p["change"] for p in comparison["paragraphs"]}
    assert "removed" in changes  # the closing paragraph and its heading went
    assert not services.compare_versions(old, old)["changed"]


# --- 4. everyone answered: one result to the leader, the final PDF to every signatory ----------


def test_when_everyone_answered_the_leader_gets_the_result_and_signers_the_final_pdf(
    project, leader
):
    declaration = _declaration(project)
    first, _t = invited(project, leader=leader, declaration=declaration, name="Café De Zwaan")
    second, _t = invited(project, leader=leader, declaration=declaration, name="Politie")
    declined, _t = invited(project, leader=leader, declaration=declaration, name="KHN")
    revoked, _t = invited(project, leader=leader, declaration=declaration, name="Taxi")
    services.revoke_invitation(invitation=revoked, user=leader)
    _answer(first, "signed", name="Eva Smit")
    _answer(declined, "declined", name="Piet Bakker", reason="Geen tijd.")
    mail.outbox.clear()

    _answer(second, "signed", name="Jan de Boer")

    result = [m for m in mail.outbox if m.to == [leader.email] and "Every partner" in m.subject]
    assert len(result) == 1
    assert "2 of 3 signed" in result[0].subject
    assert "Geen tijd." in result[0].body
    finals = [m for m in mail.outbox if m.attachments and "final" in m.subject]
    assert sorted(m.to[0] for m in finals) == sorted([first.email, second.email])
    text = _pdf_text(finals[0].attachments[0][1])
    assert "Eva Smit" in text
    assert "Jan de Boer" in text
    # The partner's copy: no other signatory's address or device.
    assert first.email not in text
    assert second.email not in text
    assert "192.0.2.1" not in text
    assert Declaration.objects.get(pk=declaration.pk).result_sent_at is not None


def test_the_result_goes_out_once_per_version(project, leader):
    declaration = _declaration(project)
    declined, _t = invited(project, leader=leader, declaration=declaration)
    _answer(declined, "declined", reason="Nee.")
    assert sum("Every partner" in m.subject for m in mail.outbox) == 1
    _resolve_concerns(declined)
    again = services.reinvite_declined(invitation=declined, user=leader)
    mail.outbox.clear()
    _answer(again, "signed")
    assert not any("Every partner" in m.subject for m in mail.outbox)
    locked = Declaration.objects.get(pk=declaration.pk)
    assert services._finish_round(locked) is False


def test_revoking_the_last_open_invitation_completes_the_round(project, leader):
    declaration = _declaration(project)
    signed, _t = invited(project, leader=leader, declaration=declaration)
    open_one, _t = invited(project, leader=leader, declaration=declaration)
    _answer(signed, "signed")
    assert Declaration.objects.get(pk=declaration.pk).result_sent_at is None
    mail.outbox.clear()
    services.revoke_invitation(invitation=open_one, user=leader)
    assert sum("Every partner" in m.subject for m in mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_last_answers_send_the_result_exactly_once(project, leader):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    declaration = _declaration(project)
    invitations = [invited(project, leader=leader, declaration=declaration)[0] for _i in range(6)]
    mail.outbox.clear()

    results, errors = race_split(6, lambda i: _answer(invitations[i], "signed").pk)

    assert not errors, errors
    assert len(results) == 6
    assert sum("Every partner" in m.subject for m in mail.outbox) == 1
    assert sum("final" in m.subject for m in mail.outbox) == 6


# --- 5. reminders --------------------------------------------------------------------------------


def test_a_manual_reminder_goes_at_most_once_a_day(client_for, project, leader):
    invitation, _t = invited(project, leader=leader)
    client = client_for(leader)
    url = reverse("declaration_invitation_remind", args=[project.pk, invitation.pk])
    mail.outbox.clear()
    client.post(url)
    assert len(mail.outbox) == 1
    response = client.post(url, follow=True)
    assert "already sent today" in response.content.decode()
    assert len(mail.outbox) == 1
    invitation.refresh_from_db()
    assert invitation.reminder_count == 1
    page = client.get(reverse("declaration_detail", args=[project.pk])).content.decode()
    assert "Last reminder:" in page

    # The next day it may go again.
    yesterday = timezone.now() - datetime.timedelta(days=1, hours=1)
    Invitation.objects.filter(pk=invitation.pk).update(last_reminded_at=yesterday)
    invitation.events.filter(kind=EventKind.REMINDED).update(at=yesterday)
    client.post(url)
    assert len(mail.outbox) == 2


def test_the_automatic_run_is_recorded_and_shown(client_for, project, leader):
    invitation, _t = invited(project, leader=leader)
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_at=timezone.now() - datetime.timedelta(days=8)
    )
    client = client_for(leader)
    page = client.get(reverse("declaration_detail", args=[project.pk])).content.decode()
    assert "Automatic reminders have not run yet" in page
    mail.outbox.clear()
    call_command("send_reminders", stdout=io.StringIO())
    run = ReminderRun.objects.get()
    assert (run.reminded, run.retried) == (1, 0)
    assert len(mail.outbox) == 1
    page = client.get(reverse("declaration_detail", args=[project.pk])).content.decode()
    assert "Automatic reminders last ran on" in page
    # The run is shared by every municipality: its count of reminders is not shown.
    assert "(1 reminder sent)" not in page


# --- 6. reopening a used link --------------------------------------------------------------------


def test_reopened_link_shows_the_signature_and_the_partners_copy(client, project, leader):
    declaration = _declaration(project)
    invitation, token = invited(project, leader=leader, declaration=declaration)
    other, _t = invited(project, leader=leader, declaration=declaration)
    _answer(other, "signed", name="Eva Smit")
    _answer(invitation, "signed", name="Jan de Boer")

    assert _open(client, token)["Location"] == reverse("signing_page")
    page = client.get(reverse("signing_page")).content.decode()
    assert "Your answer" in page
    assert "Jan de Boer" in page
    assert "eigenaar" in page
    response = client.get(reverse("signing_pdf"))
    assert response["Content-Type"] == "application/pdf"
    pdf = b"".join(response.streaming_content) if response.streaming else response.content
    text = _pdf_text(pdf)
    assert "Jan de Boer" in text
    assert "Eva Smit" in text
    assert other.email not in text


def test_reopened_link_shows_the_decline_and_its_reason(client, project, leader):
    invitation, token = invited(project, leader=leader)
    _answer(invitation, "declined", name="Piet Bakker", reason="Eerst de analyse.")
    _open(client, token)
    page = client.get(reverse("signing_page")).content.decode()
    assert "You have declined" in page
    assert "Eerst de analyse." in page
    assert 'name="action"' not in page


def test_superseded_links_still_explain_that_they_no_longer_apply(client, project, leader):
    invitation, old_token = invited(project, leader=leader)
    services.resend_invitation(invitation=invitation, user=leader)
    new_token = last_token(invitation.email)
    _answer(invitation, "declined", reason="")
    # The link replaced before the answer does not show it.
    response = _open(_english_client(), old_token)
    assert response.status_code == 200
    assert b"revoked or replaced" in response.content
    # Invited again: the declined answer's link now points to the newest e-mail.
    _resolve_concerns(invitation)
    services.reinvite_declined(invitation=invitation, user=leader)
    page = _english_client().get(reverse("signing_start", args=[new_token]))
    assert page.status_code == 200
    assert b"revoked or replaced" in page.content
    # A withdrawn link (new version) keeps its own explanation.
    _withdrawn, token = invited(project, leader=leader, declaration=invitation.declaration)
    declaration = Declaration.objects.get(pk=invitation.declaration_id)
    services.save_declaration_text(
        declaration=declaration, texts=_texts(declaration, goal="Nieuw."), user=leader
    )
    page = _english_client().get(reverse("signing_start", args=[token]))
    assert b"has been changed since this link was sent" in page.content


def test_a_partner_who_declined_sees_the_answer_but_gets_no_copy_of_the_others(
    client, project, leader
):
    """The copy lists who signed; a decliner gets only their own answer."""
    declaration = _declaration(project)
    invitation, token = invited(project, leader=leader, declaration=declaration)
    other, _t = invited(project, leader=leader, declaration=declaration)
    _answer(other, "signed", name="Eva Smit")
    _answer(invitation, "declined", name="Piet Bakker", reason="Eerst de analyse.")
    _open(client, token)
    page = client.get(reverse("signing_page")).content.decode()
    assert "Eerst de analyse." in page
    assert reverse("signing_pdf") not in page
    assert "Eva Smit" not in page
    assert client.get(reverse("signing_pdf"))["Location"] == reverse("signing_page")


def test_an_answered_link_stops_showing_the_answer_when_the_link_expires(client, project, leader):
    invitation, token = invited(project, leader=leader)
    _answer(invitation, "signed", name="Jan de Boer")
    SigningToken.objects.filter(invitation=invitation).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    page = _english_client().get(reverse("signing_start", args=[token]))
    assert b"Jan de Boer" not in page.content
    _open(client, token)
    assert b"Jan de Boer" not in client.get(reverse("signing_page")).content
    assert client.get(reverse("signing_pdf")).get("Content-Type") != "application/pdf"


def test_partner_pages_without_a_session_show_the_problem_page(client, db):
    for name in ("signing_pdf", "signing_compare"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert b"We do not recognise this link" in response.content


def test_an_open_invitation_has_no_pdf_copy_yet(client, project, leader):
    _invitation, token = invited(project, leader=leader)
    _open(client, token)
    assert client.get(reverse("signing_pdf"))["Location"] == reverse("signing_page")


# --- 7. one address once per version -------------------------------------------------------------


def test_the_same_address_is_not_invited_twice_for_one_version(project, leader):
    declaration = _declaration(project)
    first, _t = invited(project, leader=leader, declaration=declaration)
    participation = ParticipationFactory(project=project)
    person = PersonFactory(
        organisation=participation.organisation, email=f"  {first.email.upper()} "
    )
    with pytest.raises(services.DeclarationError, match="already been invited for this version"):
        services.invite(
            declaration=declaration, participation=participation, person=person, user=leader
        )
    assert Invitation.objects.filter(declaration=declaration).count() == 1


def test_invite_form_refuses_one_address_chosen_twice(client_for, project, leader):
    declaration = _declaration(project)
    a = ParticipationFactory(project=project)
    b = ParticipationFactory(project=project)
    one = PersonFactory(organisation=a.organisation, email="samen@example.org")
    two = PersonFactory(organisation=b.organisation, email="Samen@Example.org")
    response = _post_invite(client_for(leader), project, [one.pk, two.pk])
    assert response.status_code == 200
    assert "is chosen more than once" in response.content.decode()
    assert not Invitation.objects.filter(declaration=declaration).exists()


def _post_invite(client, project, person_pks):
    return client.post(reverse("declaration_invite", args=[project.pk]), {"persons": person_pks})


def test_invite_page_shows_the_refusal_for_an_address_already_invited(client_for, project, leader):
    declaration = _declaration(project)
    first, _t = invited(project, leader=leader, declaration=declaration)
    participation = ParticipationFactory(project=project)
    person = PersonFactory(organisation=participation.organisation, email=first.email)
    response = _post_invite(client_for(leader), project, [person.pk])
    assert response.status_code == 302
    followed = client_for(leader).get(response["Location"]).content.decode()
    assert "already been invited for this version" in followed


def test_a_reminder_for_a_new_version_links_to_the_comparison_too(project, leader):
    _first, _second, new = _second_version(project, leader)
    mail.outbox.clear()
    services.remind_invitation(invitation=new, user=leader)
    (message,) = mail.outbox
    assert COMPARE_QUERY in message.body
    assert "What was added and removed" in message.body


def _status_page_queries(client, project):
    with CaptureQueriesContext(transaction.get_connection()) as ctx:
        assert client.get(reverse("declaration_detail", args=[project.pk])).status_code == 200
    return len(ctx)


def test_status_page_query_count_does_not_grow_with_declines_and_concerns(
    client_for, project, leader
):
    """Prevents an N+1 over declined invitations: their open concerns and re-invitations."""
    declaration = _declaration(project)

    def declined_partner(*, again):
        invitation, _t = invited(project, leader=leader, declaration=declaration)
        _answer(invitation, "declined", reason="Te duur.")  # an open concern
        if again:
            _resolve_concerns(invitation)
            services.reinvite_declined(invitation=invitation, user=leader)

    declined_partner(again=False)
    declined_partner(again=True)
    client = client_for(leader)
    small = _status_page_queries(client, project)
    for i in range(10):
        declined_partner(again=bool(i % 2))
    call_command("send_reminders", stdout=io.StringIO())
    assert _status_page_queries(client, project) == small


def test_two_queued_jobs_for_one_reminder_or_one_first_send_mail_once(project, leader):
    """The durable queue may hold the same job twice (send_reminders run twice before the
    worker drained it, or on two servers): the task checks under its lock what was done."""
    from partners.declaration import tasks

    invitation, _token = invited(project, leader=leader)
    mail.outbox.clear()
    for _run in range(2):
        tasks.send_invitation_email.call(invitation.pk, EventKind.REMINDED.value)
    assert len(mail.outbox) == 1
    reminded = invitation.events.filter(kind=EventKind.REMINDED)
    assert reminded.count() == 1
    mail.outbox.clear()
    for _run in range(2):
        tasks.send_invitation_email.call(invitation.pk, EventKind.SENT.value)
    assert mail.outbox == []  # it went out when it was invited


def test_partners_invited_after_the_result_are_not_said_to_have_answered(
    client_for, project, leader
):
    declaration = _declaration(project)
    first, _t = invited(project, leader=leader, declaration=declaration)
    _answer(first, "signed", name="Jan de Boer")
    declaration.refresh_from_db()
    assert declaration.result_sent_at is not None
    invited(project, leader=leader, declaration=declaration)
    page = client_for(leader).get(reverse("declaration_detail", args=[project.pk])).text
    assert "Since then 1 partner was invited who has not answered yet" in page
    assert "Every invited partner has answered this version" not in page
