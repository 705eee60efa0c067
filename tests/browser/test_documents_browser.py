"""In Chromium: the leader attaches the police figures to a meeting and downloads them again."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from kvu.demo import demo_pdf
from kvu.models import Document
from meetings.models import Meeting
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

FIGURES = demo_pdf("Politiecijfers Oude Markt", ["Geweld 2025: 104", "Overlast 2025: 295"])
NAME = "politiecijfers-oude-markt-é.pdf"


@pytest.fixture
def english(live_server):
    """The language switch's cookie: our new texts are in the Dutch catalogue only later."""

    def switch(page):
        page.context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
        )

    return switch


def test_leader_attaches_a_pdf_to_a_meeting_and_downloads_it(
    page_for, demo_data, english, audit, screenshot
):
    meeting = Meeting.objects.filter(project__name="KVU Binnenstad Enschede").order_by("pk")[0]
    page = page_for()
    login(page, "projectleider")
    english(page)
    page.goto(meeting.get_absolute_url())
    section = page.locator("section#documents")
    expect(section.get_by_role("heading", name="Documents")).to_be_visible()
    section.get_by_label("File").set_input_files(
        files=[{"name": NAME, "mimeType": "application/pdf", "buffer": FIGURES}]
    )
    section.get_by_label("Title").fill("Politiecijfers Oude Markt 2025")
    section.get_by_role("button", name="Attach document").click()
    expect(page.get_by_text("“Politiecijfers Oude Markt 2025” has been attached.")).to_be_visible()
    screenshot(page, "1-attached")
    audit(page, "meeting with a document")

    document = Document.objects.get(title="Politiecijfers Oude Markt 2025")
    assert document.target == meeting
    with page.expect_download() as download_info:
        section.get_by_role("link", name="Politiecijfers Oude Markt 2025", exact=True).click()
    download = download_info.value
    assert download.suggested_filename == NAME
    with open(download.path(), "rb") as downloaded:
        assert downloaded.read() == FIGURES

    # The project's documents page lists it too, with the demo's own documents.
    page.get_by_role("navigation", name="Project sections").get_by_role(
        "link", name="Documents"
    ).click()
    expect(
        page.get_by_role("link", name="Politiecijfers Oude Markt 2025", exact=True)
    ).to_be_visible()
    audit(page, "documents of the project")

    # The partner's page shows the demo's scanned declaration beside its upload form.
    scan = Document.objects.get(title="Getekende intentieverklaring (scan)")
    page.goto(scan.target.get_absolute_url())
    expect(
        page.locator("section#documents").get_by_role(
            "link", name="Getekende intentieverklaring (scan)", exact=True
        )
    ).to_be_visible()
    screenshot(page, "2-partner")
    audit(page, "partner with a document")

    # A leader of another municipality gets 404 for the very same download address.
    outsider = page_for()
    login(outsider, "projectleider2")
    response = outsider.context.request.get(document.get_absolute_url())
    assert response.status == 404
    assert FIGURES not in response.body()
    audit.assert_clean()
