"""Team self-service (issue 18): invitations by e-mail, roles, leaving, and staff's projects."""

import datetime
import logging
import re
import threading

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from kvu.models import Membership, UserSettings
from kvu.team import links, services
from kvu.team.models import TeamInvitation
from tests.factories import MembershipFactory, ProjectFactory, UserFactory

User = get_user_model()
PASSWORD = "Lantaarnpaal-Vismarkt-42"
LINK = re.compile(r"https?://[^/\s]+(/team/uitnodiging/([^\s/]+)/)")


def _invite(
    municipality, leader, email="nina.devries@zwolle.nl", role="editor", name="Nina de Vries"
):
    outcome = services.invite(
        municipality=municipality, email=email, name=name, role=role, invited_by=leader
    )
    return outcome


def _last_link(email):
    """(path, token) of the newest invitation e-mail to `email`."""
    for message in reversed(mail.outbox):
        if email in message.to:
            found = LINK.search(message.body)
            if found:
                return found.group(1), found.group(2)
    raise AssertionError(f"no invitation link mailed to {email}")


def _open(client, path):
    """Follow the mailed link: it leads to the page behind it, on a URL without the token."""
    return client.get(path)


def _accept(client, path=None, password=PASSWORD, confirm=None):
    if path is not None:
        _open(client, path)
    data = {"new_password1": password, "new_password2": confirm or password}
    return client.post(reverse("team_invitation_accept"), data)


def _team_url(municipality):
    return reverse("team", args=[municipality.pk])


# --- the invitation link: the signing links' rules -------------------------------------------


def test_token_has_256_bits_and_only_its_hash_is_stored(municipality, leader):
    _invite(municipality, leader)
    _path, token = _last_link("nina.devries@zwolle.nl")
    assert len(token) >= 43  # 32 bytes in URL-safe base64
    invitation = TeamInvitation.objects.get()
    assert invitation.token_hash == links.hash_token(token) != token
    assert invitation.expires_at - timezone.now() > datetime.timedelta(days=6, hours=23)


def test_invited_colleague_sets_a_password_and_is_logged_in_as_editor(client, municipality, leader):
    assert _invite(municipality, leader) == services.INVITED
    message = mail.outbox[-1]
    assert message.to == ["nina.devries@zwolle.nl"]
    assert "Zwolle" in message.subject
    path, token = _last_link("nina.devries@zwolle.nl")
    opened = _open(client, path)
    assert opened.status_code == 302
    assert opened["Location"] == reverse("team_invitation_accept")
    assert client.session[links.SESSION_KEY]["invitation"] == TeamInvitation.objects.get().pk
    page = client.get(reverse("team_invitation_accept"))
    assert page.status_code == 200
    assert token not in page.text
    assert 'name="new_password1"' in page.text
    assert "Zwolle" in page.text
    response = _accept(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    user = User.objects.get(email="nina.devries@zwolle.nl")
    assert (user.username, user.first_name, user.last_name) == (
        "nina.devries@zwolle.nl",
        "Nina",
        "de Vries",
    )
    assert user.check_password(PASSWORD)
    membership = Membership.objects.get(user=user)
    assert (membership.municipality, membership.role) == (municipality, "editor")
    assert int(client.session["_auth_user_id"]) == user.pk
    assert TeamInvitation.objects.get().accepted_at is not None
    # The colleague logs in with the e-mail address and the chosen password.
    assert _logs_in("nina.devries@zwolle.nl", PASSWORD)


def _logs_in(username, password) -> bool:
    response = Client().post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302 and response["Location"] == reverse("dashboard")


def _rows():
    return (
        User.objects.count(),
        Membership.objects.count(),
        TeamInvitation.objects.filter(accepted_at__isnull=False).count(),
    )


def _assert_dead_link(client, path, problem):
    """The link shows why it cannot be used, opens no session, and nothing can be posted."""
    before = _rows()
    response = _open(client, path)
    assert response.status_code == 200
    assert f'data-problem="{problem}"' in response.text
    assert links.SESSION_KEY not in client.session
    posted = _accept(client)
    assert posted.status_code == 200
    assert 'data-problem="unknown"' in posted.text
    assert 'name="new_password1"' not in posted.text
    assert _rows() == before


def test_weak_or_mismatched_password_is_refused_and_writes_nothing(client, municipality, leader):
    _invite(municipality, leader)
    path, _token = _last_link("nina.devries@zwolle.nl")
    before = _rows()
    for password, confirm in [("kort", None), ("12345678901234", None), (PASSWORD, PASSWORD + "x")]:
        response = _accept(client, path, password, confirm)
        assert response.status_code == 200
        assert response.context["form"].errors
    # The validators compare the password with the colleague's own name and address.
    response = _accept(client, path, "nina.devries@zwolle.nl")
    assert "new_password2" in response.context["form"].errors
    assert _rows() == before
    assert "_auth_user_id" not in client.session


def test_the_link_works_once(client, municipality, leader):
    _invite(municipality, leader)
    path, _token = _last_link("nina.devries@zwolle.nl")
    assert _accept(client, path).status_code == 302
    _assert_dead_link(Client(), path, links.LinkProblem.USED)


def test_expired_link_shows_a_clear_page_and_writes_nothing(client, municipality, leader):
    _invite(municipality, leader)
    path, _token = _last_link("nina.devries@zwolle.nl")
    TeamInvitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    _assert_dead_link(client, path, links.LinkProblem.EXPIRED)


def test_expiry_follows_the_setting(settings, municipality, leader):
    settings.KVU_TEAM_INVITATION_DAYS = 2
    _invite(municipality, leader)
    left = TeamInvitation.objects.get().expires_at - timezone.now()
    assert datetime.timedelta(days=1, hours=23) < left <= datetime.timedelta(days=2)


def test_cancelled_invitation_link_shows_a_clear_page(client, municipality, leader):
    _invite(municipality, leader)
    path, _token = _last_link("nina.devries@zwolle.nl")
    client.force_login(leader)
    invitation = TeamInvitation.objects.get()
    response = client.post(reverse("team_invitation_cancel", args=[municipality.pk, invitation.pk]))
    assert response.status_code == 302
    client.logout()
    _assert_dead_link(client, path, links.LinkProblem.CANCELLED)


def test_unknown_link_shows_a_clear_page(client, db):
    for token in ["x" * 43, "a", "%00", "y" * 101]:
        _assert_dead_link(client, reverse("team_invitation_start", args=[token]), "unknown")


def test_resend_makes_the_old_link_stop_working(client, municipality, leader):
    _invite(municipality, leader)
    old_path, _token = _last_link("nina.devries@zwolle.nl")
    invitation = TeamInvitation.objects.get()
    client.force_login(leader)
    url = reverse("team_invitation_resend", args=[municipality.pk, invitation.pk])
    assert client.post(url).status_code == 302
    new_path, _token = _last_link("nina.devries@zwolle.nl")
    assert new_path != old_path
    client.logout()
    _assert_dead_link(client, old_path, "unknown")
    assert _accept(client, new_path).status_code == 302


def test_leader_of_another_municipality_cannot_touch_the_invitation(
    client, municipality, leader, outsider
):
    _invite(municipality, leader)
    invitation = TeamInvitation.objects.get()
    sent = len(mail.outbox)
    client.force_login(outsider)
    for name in ("team_invitation_resend", "team_invitation_cancel"):
        assert client.post(reverse(name, args=[municipality.pk, invitation.pk])).status_code == 404
        # Nor through their own municipality's URL.
        own = outsider.memberships.get().municipality_id
        assert client.post(reverse(name, args=[own, invitation.pk])).status_code == 404
    invitation.refresh_from_db()
    assert invitation.cancelled_at is None
    assert len(mail.outbox) == sent


def test_links_never_appear_in_the_database_or_the_logs_in_clear(
    client, municipality, leader, caplog
):
    caplog.set_level(logging.DEBUG)
    _invite(municipality, leader)
    path, token = _last_link("nina.devries@zwolle.nl")
    _accept(client, path)
    assert token not in caplog.text
    for entry in LogEntry.objects.all():
        assert token not in str(entry.changes)
        assert links.hash_token(token) not in str(entry.changes)
    with connection.cursor() as cursor:
        for table in ("kvu_teaminvitation", "django_session", "auditlog_logentry"):
            cursor.execute(f"SELECT * FROM {table}")
            assert not any(token in str(row) for row in cursor.fetchall()), table


def test_the_link_page_is_rate_limited(client, db):
    url = reverse("team_invitation_start", args=["x" * 43])
    statuses = [client.get(url).status_code for _i in range(31)]
    assert statuses[:30] == [200] * 30
    assert statuses[30] == 429


def test_the_invitation_is_in_the_inviters_language(municipality, leader):
    UserSettings.objects.create(user=leader, language="en")
    _invite(municipality, leader)
    message = mail.outbox[-1]
    assert message.subject == "Invitation to the KVU team of Zwolle"
    assert "Choose your password through this personal link:" in message.body
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert "&" not in message.body.replace("&amp;", "")  # text engine: nothing escaped


# --- existing accounts: a membership, never a second account or a reset password -------------


def test_existing_user_of_another_municipality_gets_a_membership_not_a_second_account(
    municipality, other_municipality, leader
):
    colleague = MembershipFactory(municipality=other_municipality, role="leader").user
    old_hash = colleague.password
    outcome = _invite(municipality, leader, email=colleague.email.upper(), role="viewer")
    assert outcome == services.ADDED
    assert User.objects.filter(email__iexact=colleague.email).count() == 1
    assert Membership.objects.get(user=colleague, municipality=municipality).role == "viewer"
    assert Membership.objects.get(user=colleague, municipality=other_municipality).role == "leader"
    colleague.refresh_from_db()
    assert colleague.password == old_hash
    assert not TeamInvitation.objects.exists()  # no link that could set their password
    message = mail.outbox[-1]
    assert message.to == [colleague.email]
    assert reverse("login") in message.body
    assert "/team/uitnodiging/" not in message.body


def test_invitation_accepted_after_the_address_got_an_account_keeps_its_password(
    client, municipality, other_municipality, leader, outsider
):
    """Two municipalities invite the same new address; the second link only adds the team."""
    _invite(municipality, leader)
    first, _t = _last_link("nina.devries@zwolle.nl")
    _invite(other_municipality, outsider)
    second, _t = _last_link("nina.devries@zwolle.nl")
    assert first != second
    assert _accept(client, first).status_code == 302
    visitor = Client()
    _open(visitor, second)
    page = visitor.get(reverse("team_invitation_accept"))
    assert 'name="new_password1"' not in page.text
    response = _accept(visitor, password="Overgenomen-1234")
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    user = User.objects.get(email="nina.devries@zwolle.nl")
    assert user.check_password(PASSWORD)
    assert set(user.memberships.values_list("municipality", flat=True)) == {
        municipality.pk,
        other_municipality.pk,
    }


def test_two_accounts_with_the_address_are_refused(client, municipality, leader):
    UserFactory(username="a", email="dubbel@zwolle.nl")
    UserFactory(username="b", email="Dubbel@zwolle.nl")
    client.force_login(leader)
    response = client.post(
        reverse("team_invite", args=[municipality.pk]),
        {"name": "Dubbel", "email": "dubbel@zwolle.nl", "role": "editor"},
    )
    assert response.status_code == 200
    assert response.context["invite_form"].errors["email"]
    assert Membership.objects.filter(municipality=municipality).count() == 1
    assert not TeamInvitation.objects.exists()
    assert not mail.outbox


def test_staff_a_member_and_a_pending_address_are_refused(
    client, municipality, leader, staff, editor
):
    _invite(municipality, leader, email="nieuw@zwolle.nl")
    client.force_login(leader)
    before = (Membership.objects.count(), TeamInvitation.objects.count(), len(mail.outbox))
    for email in (staff.email, editor.email.upper(), "NIEUW@zwolle.nl"):
        response = client.post(
            reverse("team_invite", args=[municipality.pk]),
            {"name": "Iemand", "email": email, "role": "leader"},
        )
        assert response.status_code == 200, email
        assert response.context["invite_form"].errors["email"], email
    assert (Membership.objects.count(), TeamInvitation.objects.count(), len(mail.outbox)) == before


# --- roles and leaving: never the last leader, never staff -----------------------------------


def _membership(user, municipality):
    return Membership.objects.get(user=user, municipality=municipality)


def _set_role(client, membership, role):
    url = reverse("team_member_role", args=[membership.municipality_id, membership.pk])
    return client.post(url, {"role": role})


def _remove(client, membership):
    url = reverse("team_member_remove", args=[membership.municipality_id, membership.pk])
    return client.post(url)


def test_leader_changes_a_role_and_it_is_logged(client, municipality, leader, editor):
    client.force_login(leader)
    membership = _membership(editor, municipality)
    assert _set_role(client, membership, "viewer").status_code == 302
    membership.refresh_from_db()
    assert membership.role == "viewer"
    entry = LogEntry.objects.get_for_object(membership).latest("pk")
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.actor == leader
    assert entry.changes["role"] == ["editor", "viewer"]
    assert entry.additional_data["municipality_id"] == municipality.pk


def test_the_last_leader_can_neither_step_down_nor_leave(client, municipality, leader, editor):
    client.force_login(leader)
    own = _membership(leader, municipality)
    for response in (_set_role(client, own, "editor"), _remove(client, own)):
        assert response.status_code == 302
        assert response["Location"] == _team_url(municipality)
    own.refresh_from_db()
    assert own.role == "leader"


def test_a_blocked_or_administrator_leader_does_not_count_as_the_other_leader(
    client, municipality, leader, staff
):
    blocked = UserFactory(is_active=False)
    MembershipFactory(user=blocked, municipality=municipality, role="leader")
    MembershipFactory(user=staff, municipality=municipality, role="leader")
    client.force_login(leader)
    own = _membership(leader, municipality)
    _set_role(client, own, "editor")
    _remove(client, own)
    own.refresh_from_db()
    assert own.role == "leader"


def test_a_leader_may_step_down_when_another_leader_remains(client, municipality, leader, editor):
    client.force_login(leader)
    _set_role(client, _membership(editor, municipality), "leader")
    response = _set_role(client, _membership(leader, municipality), "viewer")
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert _membership(leader, municipality).role == "viewer"
    assert client.get(_team_url(municipality)).status_code == 403


def test_staff_memberships_are_not_changed_from_the_team_page(client, municipality, leader, staff):
    membership = MembershipFactory(user=staff, municipality=municipality, role="viewer")
    client.force_login(leader)
    _set_role(client, membership, "leader")
    _remove(client, membership)
    assert _membership(staff, municipality).role == "viewer"
    assert 'href="{}"'.format(
        reverse("team_member_remove", args=[municipality.pk, membership.pk])
    ) not in (client.get(_team_url(municipality)).text)


def test_removing_a_member_keeps_the_account_and_its_other_municipalities(
    client, municipality, other_municipality, leader, editor
):
    MembershipFactory(user=editor, municipality=other_municipality, role="viewer")
    project = ProjectFactory(municipality=municipality)
    client.force_login(leader)
    membership = _membership(editor, municipality)
    confirm = client.get(reverse("team_member_remove", args=[municipality.pk, membership.pk]))
    assert confirm.status_code == 200
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert _remove(client, membership).status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    entry = LogEntry.objects.filter(object_pk=str(membership.pk)).latest("pk")
    assert entry.action == LogEntry.Action.DELETE
    assert entry.additional_data["municipality_id"] == municipality.pk
    editor.refresh_from_db()
    assert editor.is_active
    assert editor.memberships.get().municipality == other_municipality
    client.force_login(editor)
    assert client.get(project.get_absolute_url()).status_code == 404


def test_a_member_of_another_municipality_cannot_be_changed_through_this_one(
    client, municipality, leader, outsider
):
    foreign = outsider.memberships.get()
    client.force_login(leader)
    url = reverse("team_member_role", args=[municipality.pk, foreign.pk])
    assert client.post(url, {"role": "viewer"}).status_code == 404
    url = reverse("team_member_remove", args=[municipality.pk, foreign.pk])
    assert client.post(url).status_code == 404
    foreign.refresh_from_db()
    assert foreign.role == "leader"


def test_invitation_changes_are_logged_with_the_municipality(client, municipality, leader):
    client.force_login(leader)
    client.post(
        reverse("team_invite", args=[municipality.pk]),
        {"name": "Nina de Vries", "email": "nina.devries@zwolle.nl", "role": "editor"},
    )
    invitation = TeamInvitation.objects.get()
    client.post(reverse("team_invitation_resend", args=[municipality.pk, invitation.pk]))
    client.post(reverse("team_invitation_cancel", args=[municipality.pk, invitation.pk]))
    entries = list(LogEntry.objects.get_for_object(invitation).order_by("pk"))
    assert next(e.action for e in entries) == LogEntry.Action.CREATE
    assert "cancelled_at" in entries[-1].changes
    assert all(e.additional_data["municipality_id"] == municipality.pk for e in entries)
    assert all("token_hash" not in e.changes for e in entries)
    assert all(e.actor == leader for e in entries)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite has no row locks and serialises writers; the race needs PostgreSQL (CI).",
)
def test_two_leaders_stepping_down_at_once_leave_one_leader(municipality, leader):
    second = MembershipFactory(municipality=municipality, role="leader")
    memberships = [_membership(leader, municipality), second]
    barrier = threading.Barrier(2)
    errors = []

    def step_down(membership):
        try:
            barrier.wait()
            services.change_role(membership=membership, role="editor")
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=step_down, args=(m,)) for m in memberships]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Membership.objects.filter(municipality=municipality, role="leader").count() == 1
    assert len(errors) == 1
    assert "projectleider" in str(errors[0])  # the refusal, in Dutch (the default language)


# --- pages: query counts ---------------------------------------------------------------------


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_team_page_query_count_does_not_grow_with_members(client, municipality, leader):
    """Prevents an N+1 on each member's user and each invitation's inviter."""
    client.force_login(leader)
    MembershipFactory(municipality=municipality, role="viewer")
    _invite(municipality, leader, email="een@zwolle.nl")
    small = _count(client, _team_url(municipality))
    for number in range(10):
        MembershipFactory(municipality=municipality, role="editor")
        _invite(municipality, leader, email=f"n{number}@zwolle.nl")
    assert _count(client, _team_url(municipality)) == small


def test_staff_see_every_project_on_the_dashboard_and_the_overview(client, staff, municipality):
    projects = [ProjectFactory(municipality=municipality, name=f"KVU {n}") for n in range(3)]
    client.force_login(staff)
    for url in (reverse("dashboard"), reverse("projects_overview")):
        page = client.get(url).text
        assert all(p.get_absolute_url() in page for p in projects), url


def test_staff_dashboard_and_overview_stay_bounded_and_constant(client, staff, municipality):
    """Prevents a page that lists (and queries) thousands of projects for staff."""
    from kvu.access import STAFF_PROJECTS_SHOWN
    from kvu.guide_views import OVERVIEW_PAGE_SIZE

    ProjectFactory(municipality=municipality)
    client.force_login(staff)
    small = {
        url: _count(client, url) for url in (reverse("dashboard"), reverse("projects_overview"))
    }
    ProjectFactory.create_batch(STAFF_PROJECTS_SHOWN + 10, municipality=municipality)
    for url, count in small.items():
        assert _count(client, url) == count, url
    dashboard = client.get(reverse("dashboard"))
    assert len(dashboard.context["projects"]) == STAFF_PROJECTS_SHOWN
    assert 'id="staff-projects-shown"' in dashboard.text
    overview = client.get(reverse("projects_overview"))
    assert len(overview.context["rows"]) == OVERVIEW_PAGE_SIZE
    assert overview.context["page"].paginator.count == STAFF_PROJECTS_SHOWN + 11
    assert client.get(reverse("projects_overview") + "?page=2").status_code == 200


def test_members_still_see_only_their_municipalitys_projects(client, leader, other_municipality):
    ProjectFactory(municipality=other_municipality, name="KVU Elders")
    client.force_login(leader)
    assert "KVU Elders" not in client.get(reverse("dashboard")).text
    assert "KVU Elders" not in client.get(reverse("projects_overview")).text


def test_team_link_is_in_the_leaders_menu_only(client, municipality, leader, editor):
    client.force_login(leader)
    assert _team_url(municipality) in client.get(reverse("dashboard")).text
    client.force_login(editor)
    assert _team_url(municipality) not in client.get(reverse("dashboard")).text


def test_team_page_reads_in_english(client, municipality, leader):
    client.force_login(leader)
    with translation.override("en"):
        page = client.get(_team_url(municipality), headers={"accept-language": "en"})
    assert page.status_code == 200


# --- the administrator's user form: name and e-mail, and the same invitation -----------------


def _admin_add(client, **data):
    fields = {"first_name": "Femke", "last_name": "Smit", "email": "femke.smit@zwolle.nl"}
    return client.post(reverse("admin:auth_user_add"), {**fields, **data, "_save": "Opslaan"})


def test_admin_makes_an_account_without_password_and_sends_the_invitation(
    client, staff, municipality
):
    client.force_login(staff)
    page = client.get(reverse("admin:auth_user_add"))
    assert page.status_code == 200
    for name in ("first_name", "last_name", "email", "municipality", "role"):
        assert f'name="{name}"' in page.text
    assert 'name="password1"' not in page.text
    response = _admin_add(client, municipality=municipality.pk, role="leader")
    assert response.status_code == 302
    user = User.objects.get(email="femke.smit@zwolle.nl")
    assert user.username == "femke.smit@zwolle.nl"
    assert not user.has_usable_password()
    assert not user.memberships.exists()  # the membership comes with the accepted invitation
    invitation = TeamInvitation.objects.get()
    assert (invitation.user, invitation.municipality, invitation.role) == (
        user,
        municipality,
        "leader",
    )
    path, _token = _last_link("femke.smit@zwolle.nl")
    visitor = Client()
    assert _accept(visitor, path).status_code == 302
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert user.memberships.get().role == "leader"
    assert User.objects.filter(email__iexact="femke.smit@zwolle.nl").count() == 1


def test_admin_form_without_municipality_still_invites(client, staff):
    client.force_login(staff)
    assert _admin_add(client).status_code == 302
    invitation = TeamInvitation.objects.get()
    assert invitation.municipality is None
    path, _token = _last_link("femke.smit@zwolle.nl")
    visitor = Client()
    assert _accept(visitor, path).status_code == 302
    assert User.objects.get(email="femke.smit@zwolle.nl").check_password(PASSWORD)


@pytest.mark.parametrize(
    "data",
    [
        {"email": ""},
        {"first_name": ""},
        {"email": "geen-adres"},
        {"email": "sanne@example.org"},  # the address of an existing account
        {"role": "leader"},  # a role without a municipality
        {"email": "x" * 141 + "@zwolle.nl"},  # longer than a user name may be
    ],
)
def test_admin_form_refuses_bad_input_and_makes_nothing(client, staff, municipality, data):
    UserFactory(username="sanne", email="Sanne@example.org")
    client.force_login(staff)
    users = User.objects.count()
    response = _admin_add(client, **data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert User.objects.count() == users
    assert not TeamInvitation.objects.exists()
    assert not mail.outbox


def test_admin_action_sends_a_new_link_to_an_account_without_password(client, staff):
    client.force_login(staff)
    _admin_add(client)
    first, _token = _last_link("femke.smit@zwolle.nl")
    user = User.objects.get(email="femke.smit@zwolle.nl")
    response = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "send_invitation", "_selected_action": [user.pk]},
    )
    assert response.status_code == 302
    second, _token = _last_link("femke.smit@zwolle.nl")
    assert second != first
    assert TeamInvitation.objects.count() == 1


def test_accepting_is_logged_with_the_municipality(client, municipality, leader):
    _invite(municipality, leader)
    path, _token = _last_link("nina.devries@zwolle.nl")
    _accept(client, path)
    user = User.objects.get(email="nina.devries@zwolle.nl")
    membership = Membership.objects.get(user=user)
    entry = LogEntry.objects.get_for_object(membership).get()
    assert entry.action == LogEntry.Action.CREATE
    assert entry.additional_data["municipality_id"] == municipality.pk
    invitation = TeamInvitation.objects.get()
    assert "accepted_at" in LogEntry.objects.get_for_object(invitation).latest("pk").changes


def test_a_link_never_sets_up_an_administrators_account(client, municipality, leader):
    """Invited before the address had an account; meanwhile it became an administrator's."""
    _invite(municipality, leader, email="beheer@zwolle.nl")
    path, _token = _last_link("beheer@zwolle.nl")
    admin = UserFactory(username="beheer2", email="Beheer@zwolle.nl", is_staff=True)
    admin.set_unusable_password()
    admin.save()
    _assert_dead_link(client, path, links.LinkProblem.ACCOUNT)
    admin.refresh_from_db()
    assert not admin.has_usable_password()
    assert not admin.memberships.exists()


def test_an_address_two_accounts_share_meanwhile_is_refused_at_the_link(
    client, municipality, leader
):
    _invite(municipality, leader)
    path, _token = _last_link("nina.devries@zwolle.nl")
    UserFactory(username="n1", email="nina.devries@zwolle.nl")
    UserFactory(username="n2", email="NINA.devries@zwolle.nl")
    _assert_dead_link(client, path, links.LinkProblem.ACCOUNT)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite has no row locks and serialises writers; the race needs PostgreSQL (CI).",
)
def test_six_concurrent_uses_of_one_link_make_one_account(municipality, leader):
    _invite(municipality, leader)
    path, _token = _last_link("nina.devries@zwolle.nl")
    clients = []
    for _i in range(6):
        visitor = Client()
        _open(visitor, path)
        clients.append(visitor)
    barrier = threading.Barrier(6)
    statuses, errors = [], []

    def use(visitor):
        try:
            barrier.wait()
            statuses.append(_accept(visitor).status_code)
        except Exception as error:  # a server error would surface here
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=use, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(statuses) == [200] * 5 + [302]
    assert User.objects.filter(email="nina.devries@zwolle.nl").count() == 1
    assert Membership.objects.filter(municipality=municipality).count() == 2
