"""In Chromium on a 375 px phone: the leader records a night walk-through with two findings, one
with a photo taken through the file input; the photo on the server has no GPS data and the
walk-through report (PDF) shows it."""

import io
import re

import pytest
from django.conf import settings
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect
from pypdf import PdfReader

from analysis.models import Analysis, Finding, WalkThrough
from analysis.walkthrough import photos
from kvu.models import Document, Project
from tests.browser.conftest import ARTIFACTS, login

pytestmark = pytest.mark.browser


def phone_photo() -> bytes:
    """A photo as a phone camera makes it: large, with the place it was taken in EXIF GPS."""
    exif = Image.Exif()
    exif[0x010F] = "Fairphone"
    exif[photos.GPS_IFD] = {1: "N", 2: (52.0, 13.0, 5.5), 3: "E", 4: (6.0, 53.0, 40.2)}
    image = Image.new("RGB", (3000, 2250), (20, 30, 70))
    for x in range(0, 3000, 300):
        image.paste((200, 170, 60), (x + 60, 900, x + 200, 1400))
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def _english(page, live_server):
    # The new texts reach the Dutch catalogue only when the lead merges them.
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )


def _stored(finding) -> bytes:
    document = Document.objects.get(pk=finding.photo_id)
    with document.storage.open(document.stored_name, "rb") as handle:
        return handle.read()


def test_leader_records_a_night_walk_through_on_a_phone(
    page_for, demo_data, live_server, audit, screenshot
):
    project = Project.objects.get(name="KVU Binnenstad Enschede")
    analysis = Analysis.objects.current(project)
    page = page_for(width=375, height=812)
    login(page, "projectleider")
    _english(page, live_server)

    # A new night walk-through with a partner and a colleague.
    page.goto(reverse("walk_through_list", args=[project.pk]))
    page.get_by_role("link", name="New walk-through").click()
    page.get_by_label("at night").check()
    page.get_by_label("Date").fill("2026-11-28")
    page.get_by_label("Start time").fill("23:45")
    page.get_by_label("Route").fill("Oude Markt, Walstraat, Stationsplein")
    page.get_by_label("Politie Oost-Nederland, basisteam Enschede").check()
    page.get_by_label("Karim El Amrani").check()
    screenshot(page, "1-walk-through-form")
    audit(page, "walk-through form")
    page.get_by_role("button", name="Save").click()
    walk = WalkThrough.objects.get(analysis=analysis, route="Oude Markt, Walstraat, Stationsplein")
    expect(page).to_have_url(re.compile(rf"/schouw/{walk.pk}/$"))
    assert walk.timing == "night"

    # The first finding, with a photo through the camera's file input.
    page.get_by_role("link", name="Record a finding").click()
    photo_input = page.get_by_label("Photo", exact=True)
    assert photo_input.get_attribute("capture") == "environment"
    assert photo_input.get_attribute("accept") == "image/*"
    photo_input.set_input_files(
        files=[{"name": "IMG_2041.jpg", "mimeType": "image/jpeg", "buffer": phone_photo()}]
    )
    page.get_by_label("Street").select_option(label="Walstraat")
    page.get_by_label("Exact spot").fill("Achteringang nr. 12")
    page.get_by_label("Category").select_option("fire_burglary")
    page.locator("label[for=id_severity_red]").click()
    page.get_by_label("What is wrong (short)").fill("Nooduitgang versperd door fietsen.")
    page.get_by_label("Who should act").select_option(label="Brandweer Twente, post Enschede")
    screenshot(page, "2-finding-form")
    audit(page, "finding form on a phone")
    page.get_by_role("button", name="Save finding").click()
    expect(page.get_by_text("The finding has been saved.")).to_be_visible()
    expect(page.get_by_text("Nooduitgang versperd door fietsen.")).to_be_visible()
    thumbnail = page.locator("img.finding-photo")
    thumbnail.scroll_into_view_if_needed()
    expect(thumbnail).to_have_js_property("complete", True)
    assert thumbnail.evaluate("img => img.naturalWidth") == 1600  # served by the document view
    screenshot(page, "3-walk-through-with-a-finding")
    audit(page, "walk-through with a finding")

    # The second finding: the post is lost on a bad connection; what was typed is not.
    page.get_by_role("link", name="Record a finding").click()
    page.get_by_label("Street").select_option(label="Oude Markt")
    page.get_by_label("Category").select_option("visibility")
    page.locator("label[for=id_severity_orange]").click()
    page.get_by_label("What is wrong (short)").fill("Lantaarnpaal bij de kerk knippert.")
    add_url = page.url
    page.route("**/bevinding/", lambda route: route.abort())
    with page.expect_event("requestfailed") as lost:
        page.get_by_role("button", name="Save finding").click()
    assert lost.value.method == "POST"
    assert Finding.objects.filter(walk_through=walk).count() == 1
    page.unroute("**/bevinding/")
    page.goto(add_url)
    expect(page.get_by_label("What is wrong (short)")).to_have_value(
        "Lantaarnpaal bij de kerk knippert."
    )
    expect(page.locator("#id_severity_orange")).to_be_checked()
    expect(page.locator("#finding-draft-note")).to_be_visible()
    screenshot(page, "4-restored-after-a-lost-post")
    page.get_by_role("button", name="Save finding").click()
    expect(page.get_by_text("Lantaarnpaal bij de kerk knippert.")).to_be_visible()
    assert page.evaluate("() => Object.keys(localStorage).length") == 0
    audit(page, "walk-through with two findings")
    screenshot(page, "5-walk-through-with-two-findings")

    # The red findings of this walk-through, per category. (One photo on the page: the live
    # server's in-memory SQLite cannot serve many thumbnails at once, PostgreSQL can.)
    page.goto(
        reverse("finding_list", args=[project.pk])
        + f"?per=categorie&severity=red&walk_through={walk.pk}"
    )
    expect(page.get_by_text("Nooduitgang versperd door fietsen.")).to_be_visible()
    expect(page.get_by_text("Lantaarnpaal bij de kerk knippert.")).to_have_count(0)
    thumbnail = page.locator("img.finding-photo")
    expect(thumbnail).to_have_count(1)
    expect(thumbnail).to_have_js_property("complete", True)
    screenshot(page, "6-red-findings-per-category")
    audit(page, "findings per category")
    audit.assert_clean()

    # On the server: two findings, the photo without GPS data and at most 1600 px.
    findings = list(Finding.objects.filter(walk_through=walk).order_by("pk"))
    assert [f.severity for f in findings] == ["red", "orange"]
    stored = _stored(findings[0])
    assert not photos.has_location(stored)
    assert max(Image.open(io.BytesIO(stored)).size) == 1600
    assert findings[1].photo_id is None

    # The walk-through report shows the photo and both findings.
    response = page.request.get(reverse("walk_through_pdf", args=[project.pk, walk.pk]))
    assert response.status == 200
    pdf = response.body()
    (ARTIFACTS / "walk_through.pdf").write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Nooduitgang versperd door fietsen." in text
    assert "Lantaarnpaal bij de kerk knippert." in text
    images = [
        xobject.get_object()
        for p in reader.pages
        for xobject in (p["/Resources"].get("/XObject") or {}).values()
        if xobject.get_object().get("/Subtype") == "/Image"
    ]
    assert images, "the photo is not in the walk-through PDF"
