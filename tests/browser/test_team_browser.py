"""In Chromium: a leader invites a colleague, who sets a password from the e-mail and logs in."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from kvu.models import Membership, Municipality, Project
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

LINK_PATH = re.compile(r"https?://[^/\s]+(/team/uitnodiging/[A-Za-z0-9_\-]{40,}/)")
PASSWORD = "Lantaarnpaal-Oude-Markt-42"
EMAIL = "lotte.kok@enschede.example"


def test_leader_invites_a_colleague_who_sets_a_password_and_works_as_editor(
    page_for, demo_data, screenshot, audit
):
    enschede = Municipality.objects.get(cbs_code="GM0153")
    team_url = reverse("team", args=[enschede.pk])
    leader = page_for()
    login(leader, "projectleider")
    # The team page is in the leader's own menu, beside the change log.
    leader.locator(".navbar .dropdown-toggle").first.click()
    leader.locator(f'.dropdown-menu a[href="{team_url}"]').click()
    leader.wait_for_url(f"**{team_url}")
    expect(leader.locator("#team-members")).to_contain_text("Petra Jansen")
    audit(leader, "team page")
    leader.locator("#id_name").fill("Lotte Kok")
    leader.locator("#id_email").fill(EMAIL)
    leader.locator("#id_role").select_option("editor")
    mail.outbox.clear()
    leader.locator("#invite-form button[type=submit]").click()
    expect(leader.locator("#team-invitations")).to_contain_text(EMAIL)
    screenshot(leader, "1-invited")
    assert "/team/uitnodiging/" not in leader.content()

    # The link exists only in the e-mail to the colleague.
    (message,) = mail.outbox
    assert message.to == [EMAIL]
    link = LINK_PATH.search(message.body).group(1)

    colleague = page_for(width=375, height=800)
    colleague.goto(link)
    assert colleague.url.endswith(reverse("team_invitation_accept"))  # the token is gone
    expect(colleague.locator("h1")).to_contain_text("Enschede")
    audit(colleague, "set password")
    colleague.locator("#id_new_password1").fill(PASSWORD)
    colleague.locator("#id_new_password2").fill(PASSWORD + "!")
    colleague.locator("#accept-form button[type=submit]").click()
    expect(colleague.locator("#id_new_password2")).to_have_class(re.compile("is-invalid"))
    audit(colleague, "set password refused", from_dom=True)
    colleague.locator("#id_new_password1").fill(PASSWORD)
    colleague.locator("#id_new_password2").fill(PASSWORD)
    colleague.locator("#accept-form button[type=submit]").click()
    colleague.wait_for_url("**/")
    screenshot(colleague, "2-logged-in")
    assert Membership.objects.get(user__email=EMAIL, municipality=enschede).role == "editor"

    # Logged out, the colleague logs in with the e-mail address and works as an editor.
    colleague.context.clear_cookies()
    login(colleague, EMAIL, PASSWORD)
    project = Project.objects.get(name="KVU Binnenstad Enschede")
    expect(colleague.locator(f'a[href="{project.get_absolute_url()}"]').first).to_be_visible()
    response = colleague.goto(reverse("project_edit", args=[project.pk]))
    assert response.status == 200
    # Editors do not manage the team.
    assert colleague.goto(team_url).status == 403
    # The used link no longer works.
    colleague.goto(link)
    expect(colleague.locator("#link-problem")).to_have_attribute("data-problem", "used")
    audit(colleague, "used link")

    leader.reload()
    expect(leader.locator("#team-members")).to_contain_text("Lotte Kok")
    expect(leader.locator("#team-invitations")).to_have_count(0)
    screenshot(leader, "3-member")
    audit.assert_clean()
