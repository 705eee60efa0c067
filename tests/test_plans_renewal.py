"""Renewing the covenant: three months before its term ends the leaders see it on the dashboard
and get one e-mail (`manage.py send_covenant_renewals`); never for an unsigned or ended one."""

import datetime
import io
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kvu.models import Membership
from partners.declaration import services as engine
from partners.models import DocumentKind, OrganisationKind
from plans.covenant import renewal
from plans.covenant.texts import add_months
from tests.factories import MembershipFactory, ProjectFactory
from tests.test_plans_commitments import make_plan, partner


def covenant(project, leader, *, ends_in_days, signed=True, sent=True):
    """A covenant of `project` whose term ends `ends_in_days` from today, sent and signed by one
    partner (as asked)."""
    today = timezone.localdate()
    until = today + datetime.timedelta(days=ends_in_days)
    document = engine.create_document(
        project=project,
        kind=DocumentKind.COVENANT,
        user=leader,
        texts={"title": f"Convenant {project.name}", "parties": "- Gemeente", "goal": "Veilig."},
        valid_from=min(today, until) - datetime.timedelta(days=4 * 365),
        # A covenant is signed during its term; one that has ended gets its end set afterwards.
        valid_until=max(until, today),
    )
    if sent:
        police = partner(project, OrganisationKind.POLICE)
        invitation = engine.invite(
            declaration=document, participation=police, person=police.main_contact, user=leader
        )
        if signed:
            document.refresh_from_db()
            engine.answer_invitation(
                invitation_id=invitation.pk,
                decision="signed",
                signer_name="Eva Smit",
                signer_function="teamchef",
                text_sha256=document.text_sha256,
                ip=None,
                user_agent="pytest",
            )
    document.refresh_from_db()
    if until < today:
        document.valid_until = until
        document.save(update_fields=["valid_until"])
    mail.outbox.clear()
    return document


@pytest.fixture
def plan(project, leader):
    return make_plan(project, leader)


def test_a_signed_covenant_ending_within_three_months_is_due(plan, leader):
    document = covenant(plan.project, leader, ends_in_days=60)
    assert list(renewal.due_reminders()) == [document]


@pytest.mark.parametrize(
    ("ends_in_days", "signed", "sent"),
    [
        (200, True, True),  # more than three months ahead
        (-1, True, True),  # ended yesterday
        (60, False, True),  # sent, but no one signed
        (60, False, False),  # a draft
    ],
)
def test_not_due_when_far_ended_unsigned_or_a_draft(plan, leader, ends_in_days, signed, sent):
    covenant(plan.project, leader, ends_in_days=ends_in_days, signed=signed, sent=sent)
    assert not renewal.due_reminders().exists()
    call_command("send_covenant_renewals", stdout=io.StringIO())
    assert mail.outbox == []


def test_the_window_is_exactly_three_months():
    today = datetime.date(2026, 11, 30)
    assert renewal.notice_window(today) == (today, datetime.date(2027, 2, 28))
    assert add_months(today, 3) == datetime.date(2027, 2, 28)


def test_the_leaders_are_emailed_once(plan, leader, municipality):
    second_leader = MembershipFactory(municipality=municipality, role=Membership.Role.LEADER).user
    MembershipFactory(municipality=municipality, role=Membership.Role.EDITOR)
    MembershipFactory(municipality=municipality, role=Membership.Role.VIEWER)
    document = covenant(plan.project, leader, ends_in_days=80)
    out = io.StringIO()
    call_command("send_covenant_renewals", stdout=out)
    assert "1 covenant renewal reminder(s) queued." in out.getvalue()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([leader.email, second_leader.email])
    document.refresh_from_db()
    assert document.renewal_reminded_at is not None
    # The daily job again, and a second job of the same day: nothing more.
    call_command("send_covenant_renewals", stdout=io.StringIO())
    from plans.covenant import tasks

    tasks.send_renewal_reminder.call(document.pk)
    assert len(mail.outbox) == 2


def test_the_email_names_the_project_the_end_and_the_link(plan, leader, settings):
    settings.SITE_URL = "https://kvu.example.nl"
    document = covenant(plan.project, leader, ends_in_days=30)
    call_command("send_covenant_renewals", stdout=io.StringIO())
    (message,) = mail.outbox
    assert plan.project.name in message.subject
    assert "\n" not in message.subject
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    url = "https://kvu.example.nl" + reverse("covenant_detail", args=[plan.project_id])
    assert url in message.body
    assert str(document.valid_until.year) in message.body
    assert "&amp;" not in message.body


def test_nothing_is_recorded_when_no_email_could_be_sent(plan, leader):
    document = covenant(plan.project, leader, ends_in_days=30)
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("down")):
        call_command("send_covenant_renewals", stdout=io.StringIO())
    document.refresh_from_db()
    assert document.renewal_reminded_at is None
    call_command("send_covenant_renewals", stdout=io.StringIO())  # the next day's run
    assert len(mail.outbox) == 1


def test_a_renewed_covenant_replaces_the_old_term(plan, leader):
    """Once a new version with a new term is sent, the old version's end no longer counts."""
    document = covenant(plan.project, leader, ends_in_days=30)
    texts = {field: getattr(document, field) for field in document.kind_spec.text_fields}
    texts["duration"] = "Vier jaar, verlengd."
    new_until = add_months(document.valid_until, 48)
    new = engine.save_declaration_text(
        declaration=document,
        texts=texts,
        user=leader,
        term=(document.valid_until, new_until),
    )
    assert new.pk != document.pk
    engine.invite(
        declaration=new,
        participation=document.signatures.get().participation,
        person=document.signatures.get().participation.main_contact,
        user=leader,
    )
    assert not renewal.due_reminders().exists()


def test_dashboard_lists_covenants_to_renew_with_a_link(client_for, leader, viewer, plan):
    covenant(plan.project, leader, ends_in_days=45)
    for user in (leader, viewer):
        html = client_for(user).get(reverse("dashboard")).content.decode()
        assert 'id="dash-renewal-heading"' in html
        assert reverse("covenant_detail", args=[plan.project_id]) in html


def test_dashboard_shows_no_renewal_for_a_covenant_far_from_its_end(client_for, leader, plan):
    covenant(plan.project, leader, ends_in_days=400)
    html = client_for(leader).get(reverse("dashboard")).content.decode()
    assert 'id="dash-renewal-heading"' not in html


def test_dashboard_renewal_panel_query_count_does_not_grow(client_for, leader, municipality):
    client = client_for(leader)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("dashboard")).status_code == 200
        return len(ctx.captured_queries)

    first = ProjectFactory(municipality=municipality, name="P0", project_leader=leader)
    make_plan(first, leader)
    covenant(first, leader, ends_in_days=20)
    few = count()
    for i in range(1, 6):
        other = ProjectFactory(municipality=municipality, name=f"P{i}", project_leader=leader)
        make_plan(other, leader)
        covenant(other, leader, ends_in_days=20 + i)
    assert count() == few


def test_project_overview_warns_of_the_end(client_for, leader, plan):
    covenant(plan.project, leader, ends_in_days=45)
    html = client_for(leader).get(reverse("project_detail", args=[plan.project_id]))
    assert 'id="project-covenant-heading"' in html.content.decode()
    assert "alert-warning" in html.content.decode().split('id="project-covenant-heading"')[1]
