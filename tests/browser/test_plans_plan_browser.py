"""In Chromium: the leader starts the plan of approach, records a measure for a knelpunt (its
baseline taken from a key figure) and the working group adopts the plan in a held meeting; every
page passes axe and the HTML check."""

import datetime
import re

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from kvu.models import Project
from meetings.models import Meeting, MeetingKind, MeetingStatus
from plans.models import Measure, PlanVersion
from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_leader_records_measures_and_the_working_group_adopts_the_plan(
    demo_data, page_for, live_server, screenshot, audit
):
    project = Project.objects.get(name="KVU Binnenstad Enschede")
    knelpunt = project.analyses.get().knelpunten.order_by("position", "pk").first()
    meeting = Meeting.objects.create(
        project=project,
        title="Werkgroep: vaststelling plan van aanpak",
        kind=MeetingKind.WORKING_GROUP,
        date=timezone.localdate() - datetime.timedelta(days=2),
        start_time=datetime.time(19, 30),
        end_time=datetime.time(21, 0),
        status=MeetingStatus.HELD,
    )
    page = page_for()
    login(page, "projectleider")
    # The new texts reach the Dutch catalogue only when the lead merges them.
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )
    page.goto(f"/projecten/{project.pk}/plan/")
    audit(page, "start")
    page.get_by_role("button", name="Start the plan of approach").click()
    expect(page.locator("#plan-checklist")).to_be_visible()
    audit(page, "plan")
    screenshot(page, "1-plan")

    page.get_by_role("link", name="Measures matrix").first.click()
    expect(page.get_by_text("No measure yet.").first).to_be_visible()
    audit(page, "empty matrix")
    page.locator(f'a[href$="?knelpunt={knelpunt.pk}"]').first.click()
    expect(page.locator("#id_knelpunt")).to_have_value(str(knelpunt.pk))
    page.locator("#id_title").fill("Lampen in de stegen vervangen")
    page.locator("#id_indicator").fill("bezoekers die zich 's nachts onveilig voelen")
    page.locator("#id_unit").fill("%")
    page.locator("#id_baseline_figure").select_option(index=1)
    page.locator("#id_target").fill("20")
    page.locator("#id_target_date").fill("2028-12-31")
    page.locator("#id_responsible").select_option(index=1)
    page.locator("#id_costs").fill("18000")
    page.locator("#id_paid_by").fill("gemeente, openbare verlichting")
    page.locator("input[name=evidence][value=unknown]").check()
    audit(page, "measure form")
    screenshot(page, "2-measure-form")
    page.get_by_role("button", name=re.compile("Opslaan|Save")).click()
    expect(page.locator("#evidence-warning")).to_be_visible()
    measure = Measure.objects.get(plan__project=project)
    assert measure.knelpunt == knelpunt
    assert measure.baseline is not None
    audit(page, "matrix")
    screenshot(page, "3-matrix")

    page.goto(f"/projecten/{project.pk}/plan/#adopt")
    page.locator("#id_meeting").select_option(str(meeting.pk))
    page.get_by_role("button", name="Adopt the plan").click()
    expect(page.locator("#version-adopted")).to_be_visible()
    version = PlanVersion.objects.get(plan__project=project)
    assert version.adopted_in == meeting
    assert version.decision in meeting.agreements.all()
    audit(page, "version 1")
    screenshot(page, "4-version")
    audit.assert_clean()
