"""The walk-through (schouw): rounds, findings recorded on a phone, their photos, the report."""

import io
import re
import struct
import uuid

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from analysis.models import Finding, WalkThrough
from analysis.walkthrough import photos
from kvu.models import Document
from tests.factories import (
    ConclusionFactory,
    FindingFactory,
    KnelpuntFactory,
    ParticipationFactory,
    StreetFactory,
    WalkThroughFactory,
)
from tests.pdf_words import overlapping_words

GPS = {1: "N", 2: (52.0, 13.0, 5.5), 3: "E", 4: (6.0, 53.0, 40.2)}


def jpeg(*, size=(2400, 1800), gps=True, orientation=None, colour="navy") -> bytes:
    """A phone-like JPEG; with GPS data (EXIF GPSInfo, tag 34853) unless told otherwise."""
    exif = Image.Exif()
    exif[0x010F] = "Fairphone"  # Make
    if orientation:
        exif[0x0112] = orientation
    if gps:
        exif[photos.GPS_IFD] = GPS
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def upload(data=None, name="IMG_0001.jpg"):
    return SimpleUploadedFile(name, jpeg() if data is None else data, "image/jpeg")


@pytest.fixture
def walk(analysis):
    return WalkThroughFactory(analysis=analysis, timing="night")


@pytest.fixture
def street(analysis):
    return StreetFactory(analysis=analysis, name="Oude Markt")


def _add_url(walk):
    return reverse("finding_add", args=[walk.analysis.project_id, walk.pk])


def _finding_data(street, **changes):
    data = {
        "client_key": str(uuid.uuid4()),
        "street": str(street.pk),
        "location": "Hoek Walstraat",
        "category": "visibility",
        "severity": "red",
        "description": "Lantaarnpaal kapot, donkere steeg.",
        "action_by": "",
    }
    data.update(changes)
    return data


def _stored(finding) -> bytes:
    document = Document.objects.get(pk=finding.photo_id)
    with document.storage.open(document.stored_name, "rb") as handle:
        return handle.read()


# --- photos ------------------------------------------------------------------------------------


def _markers(data: bytes) -> set[int]:
    """The JPEG's marker codes before its image data (SOS)."""
    found, at = set(), 2
    while at + 4 <= len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        found.add(marker)
        if marker == 0xDA:
            break
        at += 2 + struct.unpack(">H", data[at + 2 : at + 4])[0]
    return found


COM, APP1, APP2 = 0xFE, 0xE1, 0xE2


def _raw_exif(entries) -> bytes:
    """EXIF bytes written by hand (little-endian TIFF, one IFD), so that they can be wrong."""
    start = 8 + 2 + 12 * len(entries) + 4
    ifd, extra = struct.pack("<H", len(entries)), b""
    for tag, kind, count, value in entries:
        if len(value) <= 4:
            ifd += struct.pack("<HHI", tag, kind, count) + value.ljust(4, b"\0")
        else:
            ifd += struct.pack("<HHII", tag, kind, count, start + len(extra))
            extra += value
    return b"Exif\0\0II*\0" + struct.pack("<I", 8) + ifd + struct.pack("<I", 0) + extra


def test_photo_is_made_upright_smaller_and_stripped_of_all_metadata():
    original = io.BytesIO()
    exif = Image.open(io.BytesIO(jpeg(orientation=6))).getexif()
    icc = b"\0" * 128  # an (empty) ICC profile: written as an APP2 marker
    Image.new("RGB", (3000, 2000), "navy").save(
        original, "JPEG", exif=exif.tobytes(), comment=b"Bij de Oude Markt", icc_profile=icc
    )
    original.seek(0)
    Image.open(original).save(
        xmp := io.BytesIO(),
        "JPEG",
        exif=exif.tobytes(),
        comment=b"Bij de Oude Markt",
        icc_profile=icc,
        xmp=b"<x:xmpmeta>Oude Markt</x:xmpmeta>",
    )
    assert COM in _markers(xmp.getvalue())  # the test photo does carry them all
    out = photos.process_photo(xmp.getvalue())
    image = Image.open(io.BytesIO(out))
    assert image.format == "JPEG"
    assert image.size == (1067, 1600)  # turned a quarter (orientation 6), long side 1600
    assert dict(image.getexif()) == {}
    assert not {"comment", "exif", "xmp", "icc_profile"} & set(image.info)
    assert not {COM, APP1, APP2} & _markers(out)


def test_photo_keeps_only_its_gps_data_when_asked():
    out = photos.process_photo(jpeg(orientation=6), keep_location=True)
    exif = Image.open(io.BytesIO(out)).getexif()
    assert exif.get_ifd(photos.GPS_IFD)[1] == "N"
    assert 0x010F not in exif
    assert 0x0112 not in exif
    assert APP1 in _markers(out)
    assert COM not in _markers(out)


@pytest.mark.parametrize("orientation", [2, 3, 4, 5, 6, 7, 8])
def test_photo_with_malformed_metadata_is_still_turned_upright(orientation):
    """XResolution stored as text made ImageOps.exif_transpose raise TypeError (a 500)."""
    exif = _raw_exif([(0x0112, 3, 1, struct.pack("<H", orientation)), (0x011A, 2, 8, b"seventy\0")])
    original = io.BytesIO()
    Image.new("RGB", (300, 200), "navy").save(original, "JPEG", exif=exif)
    out = photos.process_photo(original.getvalue(), keep_location=True)
    image = Image.open(io.BytesIO(out))
    assert image.size == ((200, 300) if orientation >= 5 else (300, 200))
    assert dict(image.getexif()) == {}


def test_a_damaged_gps_block_is_dropped_rather_than_refused(monkeypatch):
    def broken(*args, **kwargs):
        raise struct.error("bad GPS")

    original = jpeg(orientation=6)
    monkeypatch.setattr(Image.Exif, "tobytes", broken)
    out = photos.process_photo(original, keep_location=True)
    assert not photos.has_location(out)


@pytest.mark.parametrize("error", [TypeError("bad operand"), struct.error("unpack")])
def test_metadata_that_breaks_pillow_is_refused_with_a_reason(monkeypatch, error):
    def broken(*args, **kwargs):
        raise error

    original = jpeg(orientation=6)
    monkeypatch.setattr(Image.Image, "transpose", broken)
    with pytest.raises(photos.ValidationError) as refused:
        photos.process_photo(original)
    assert refused.value.code == "not_image"


def test_a_photo_just_above_the_pixel_limit_is_refused_as_too_many_pixels(monkeypatch):
    monkeypatch.setattr(photos, "MAX_PIXELS", 40 * 30 - 1)
    with pytest.raises(photos.ValidationError) as refused:
        photos.process_photo(jpeg(size=(40, 30)))
    assert refused.value.code == "too_many_pixels"
    monkeypatch.setattr(photos, "MAX_PIXELS", 40 * 30)
    assert photos.process_photo(jpeg(size=(40, 30)))


@pytest.mark.parametrize("limit", [1000, 500])  # a warning above it, an error above twice it
def test_a_decompression_bomb_is_refused_as_too_many_pixels(monkeypatch, limit):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", limit)
    with pytest.raises(photos.ValidationError) as refused:
        photos.process_photo(jpeg(size=(40, 30)))
    assert refused.value.code == "too_many_pixels"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"%PDF-1.7 not a photo", "not_image"),
        (b"", "empty"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00", "heic"),
    ],
)
def test_files_that_are_no_photo_are_refused_with_a_reason(data, code):
    with pytest.raises(photos.ValidationError) as refused:
        photos.process_photo(data)
    assert refused.value.code == code


def test_a_gif_is_refused_as_no_photo_format():
    out = io.BytesIO()
    Image.new("RGB", (20, 20)).save(out, "GIF")
    with pytest.raises(photos.ValidationError) as refused:
        photos.process_photo(out.getvalue())
    assert refused.value.code == "format"


# --- walk-throughs -----------------------------------------------------------------------------


def test_leader_plans_a_night_walk_through_with_partners_and_colleagues(
    client_for, project, analysis, leader, editor, partner
):
    client = client_for(leader)
    url = reverse("walk_through_create", args=[project.pk])
    response = client.post(
        url,
        {
            "timing": "night",
            "date": "2026-11-28",
            "start_time": "23:30",
            "route": "Oude Markt, Walstraat",
            "partners": [str(partner.pk)],
            "colleagues": [str(editor.pk)],
            "notes": "Met de wijkagent.",
        },
    )
    walk = WalkThrough.objects.get(analysis=analysis)
    assert response.status_code == 302
    assert response["Location"] == walk.get_absolute_url()
    assert walk.timing == "night"
    assert walk.created_by == leader
    assert list(walk.partners.all()) == [partner]
    assert list(walk.colleagues.all()) == [editor]
    assert LogEntry.objects.get_for_object(walk).filter(action=LogEntry.Action.CREATE).exists()


def test_a_partner_of_another_project_cannot_be_chosen(client_for, project, analysis, leader):
    stranger = ParticipationFactory()
    client = client_for(leader)
    response = client.post(
        reverse("walk_through_create", args=[project.pk]),
        {"timing": "day", "date": "2026-11-28", "partners": [str(stranger.pk)]},
    )
    assert response.status_code == 200
    assert "partners" in response.context["form"].errors
    assert not WalkThrough.objects.exists()


def test_editing_and_deleting_a_walk_through_are_in_the_change_log(client_for, walk, leader):
    client = client_for(leader)
    project_pk = walk.analysis.project_id
    finding = FindingFactory(walk_through=walk)
    edit = reverse("walk_through_edit", args=[project_pk, walk.pk])
    client.post(edit, {"timing": "day", "date": "2026-11-20", "route": "Markt"})
    walk.refresh_from_db()
    assert walk.timing == "day"
    assert walk.route == "Markt"
    assert LogEntry.objects.get_for_object(walk).filter(action=LogEntry.Action.UPDATE).exists()
    delete = reverse("walk_through_delete", args=[project_pk, walk.pk])
    assert client.get(delete).status_code == 200  # the confirmation first
    assert WalkThrough.objects.filter(pk=walk.pk).exists()
    response = client.post(delete)
    assert response["Location"] == reverse("walk_through_list", args=[project_pk])
    assert not WalkThrough.objects.filter(pk=walk.pk).exists()
    deleted = LogEntry.objects.filter(action=LogEntry.Action.DELETE)
    assert deleted.filter(object_pk=str(finding.pk), content_type__model="finding").exists()
    assert deleted.filter(object_pk=str(walk.pk), content_type__model="walkthrough").exists()


# --- recording findings ------------------------------------------------------------------------


def test_the_phone_form_opens_the_camera_and_carries_a_fresh_key(client_for, walk, leader):
    client = client_for(leader)
    first = client.get(_add_url(walk)).content.decode()
    second = client.get(_add_url(walk)).content.decode()
    assert re.search(
        r'<input type="file" name="photo"[^>]*accept="image/\*" capture="environment"', first
    )
    keys = [
        re.search(r'name="client_key" value="([0-9a-f-]{36})"', html)[1] for html in (first, second)
    ]
    assert keys[0] != keys[1]
    assert 'name="keep_location"' in first
    assert (
        "checked"
        not in re.search(r'<input type="checkbox"[^>]*name="keep_location"[^>]*>', first)[0]
    )
    for colour in ("green", "orange", "red"):
        assert f'value="{colour}"' in first


def test_finding_with_photo_is_saved_and_the_photo_has_no_gps_data(
    client_for, walk, street, leader, partner
):
    client = client_for(leader)
    data = _finding_data(street, action_by=str(partner.pk))
    response = client.post(_add_url(walk), {**data, "photo": upload()})
    finding = Finding.objects.get(walk_through=walk)
    assert response.status_code == 302
    assert response["Location"].startswith(walk.get_absolute_url() + "?opgeslagen=")
    assert finding.street == street
    assert finding.severity == "red"
    assert finding.action_by == partner
    assert finding.created_by == leader
    assert finding.photo is not None
    assert not finding.photo_location_kept
    stored = _stored(finding)
    image = Image.open(io.BytesIO(stored))
    assert max(image.size) == 1600
    assert not image.getexif().get_ifd(photos.GPS_IFD)
    assert photos.GPS_IFD not in image.getexif()
    assert not photos.has_location(stored)
    # The photo hangs off the finding, and only the document view serves it.
    assert finding.photo.object_id == finding.pk
    download = client.get(
        reverse("document_download", args=[walk.analysis.project_id, finding.photo_id])
    )
    assert download.status_code == 200
    assert download["Content-Type"] == "image/jpeg"


def test_with_keep_location_ticked_the_gps_data_stay_in_the_photo(client_for, walk, street, leader):
    client = client_for(leader)
    data = _finding_data(street, keep_location="on")
    client.post(_add_url(walk), {**data, "photo": upload()})
    finding = Finding.objects.get(walk_through=walk)
    assert finding.photo_location_kept
    assert Image.open(io.BytesIO(_stored(finding))).getexif().get_ifd(photos.GPS_IFD)[1] == "N"


def test_the_same_form_sent_twice_records_the_finding_once(client_for, walk, street, leader):
    client = client_for(leader)
    data = _finding_data(street)
    first = client.post(_add_url(walk), {**data, "photo": upload()})
    again = client.post(_add_url(walk), {**data, "photo": upload()})
    assert Finding.objects.filter(walk_through=walk).count() == 1
    assert Document.objects.count() == 1
    assert first["Location"] == again["Location"]
    assert again.status_code == 302


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"photo": SimpleUploadedFile("notes.jpg", b"%PDF-1.4 tekst", "image/jpeg")}, "photo"),
        ({"severity": "purple"}, "severity"),
        ({"severity": ""}, "severity"),
        ({"description": ""}, "description"),
        ({"description": "x" * 2001}, "description"),
        ({"category": "weather"}, "category"),
        ({"client_key": "not-a-key"}, "client_key"),
    ],
)
def test_refused_finding_saves_nothing_and_keeps_what_was_typed(
    client_for, walk, street, leader, changes, field
):
    client = client_for(leader)
    data = {**_finding_data(street), "photo": upload(), **changes}
    response = client.post(_add_url(walk), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Finding.objects.exists()
    assert not Document.objects.exists()
    html = response.content.decode()
    if field != "location":
        assert 'value="Hoek Walstraat"' in html  # what was typed comes back
    assert 'id="id_photo-help"><strong>' in html  # choose the photo again, it says


def test_bad_severity_gets_a_clear_message(client_for, walk, street, leader):
    response = client_for(leader).post(_add_url(walk), _finding_data(street, severity="purple"))
    assert response.context["form"].errors["severity"] == [
        "Kies een ernst: groen, oranje of rood."
    ] or (
        response.context["form"].errors["severity"] == ["Choose a severity: green, orange or red."]
    )


def test_a_photo_larger_than_the_documents_limit_is_refused(
    client_for, walk, street, leader, settings
):
    settings.KVU_DOCUMENT_MAX_BYTES = 10_000
    response = client_for(leader).post(_add_url(walk), {**_finding_data(street), "photo": upload()})
    assert response.status_code == 200
    assert response.context["form"].errors["photo"]
    assert not Finding.objects.exists()
    assert not Document.objects.exists()


def test_a_street_of_another_analysis_cannot_be_chosen(client_for, walk, leader):
    other = StreetFactory()
    response = client_for(leader).post(_add_url(walk), _finding_data(other))
    assert "street" in response.context["form"].errors
    assert not Finding.objects.exists()


def test_a_failed_photo_is_retried_on_the_recorded_finding(client_for, walk, street, leader):
    client = client_for(leader)
    finding = FindingFactory(walk_through=walk, street=street)
    url = reverse("finding_photo", args=[walk.analysis.project_id, walk.pk, finding.pk])
    refused = client.post(url, {"photo": upload(b"not a photo at all")})
    assert refused.status_code == 302
    finding.refresh_from_db()
    assert finding.photo is None
    assert not Document.objects.exists()
    client.post(url, {"photo": upload()})
    finding.refresh_from_db()
    first = finding.photo_id
    assert first is not None
    assert not photos.has_location(_stored(finding))
    client.post(url, {"photo": upload(jpeg(colour="red"))})  # a better one replaces it
    finding.refresh_from_db()
    assert finding.photo_id != first
    assert list(Document.objects.values_list("pk", flat=True)) == [finding.photo_id]
    changes = LogEntry.objects.get_for_object(finding).filter(action=LogEntry.Action.UPDATE)
    assert changes.count() == 2


def test_editing_and_deleting_a_finding_are_in_the_change_log(client_for, walk, street, leader):
    client = client_for(leader)
    client.post(_add_url(walk), {**_finding_data(street), "photo": upload()})
    finding = Finding.objects.get()
    args = [walk.analysis.project_id, walk.pk, finding.pk]
    page = client.get(reverse("finding_edit", args=args))
    assert page.status_code == 200
    assert 'name="client_key"' not in page.content.decode()
    client.post(
        reverse("finding_edit", args=args),
        {**_finding_data(street, severity="green", description="Opgelost.")},
    )
    finding.refresh_from_db()
    assert finding.severity == "green"
    assert finding.description == "Opgelost."
    assert LogEntry.objects.get_for_object(finding).filter(action=LogEntry.Action.UPDATE).exists()
    photo = finding.photo_id
    client.post(reverse("finding_delete", args=args))
    assert not Finding.objects.exists()
    assert not Document.objects.exists()
    deleted = LogEntry.objects.filter(action=LogEntry.Action.DELETE)
    assert deleted.filter(object_pk=str(finding.pk), content_type__model="finding").exists()
    assert deleted.filter(object_pk=str(photo), content_type__model="document").exists()


def _evidence_removals(obj) -> list:
    """The m2m change-log entries of `obj` that removed findings from its evidence."""
    return [
        entry
        for entry in LogEntry.objects.get_for_object(obj)
        if (entry.changes_dict.get("findings") or {}).get("operation") == "delete"
    ]


@pytest.mark.parametrize("delete", ["finding", "walk_through"])
def test_deleting_a_cited_finding_removes_it_from_conclusions_and_knelpunten_audited(
    client_for, walk, street, leader, delete
):
    finding = FindingFactory(walk_through=walk, street=street)
    kept = FindingFactory(walk_through=WalkThroughFactory(analysis=walk.analysis))
    conclusion = ConclusionFactory(analysis=walk.analysis)
    knelpunt = KnelpuntFactory(analysis=walk.analysis)
    conclusion.findings.add(finding, kept)
    knelpunt.findings.add(finding)
    project = walk.analysis.project_id
    if delete == "finding":
        url = reverse("finding_delete", args=[project, walk.pk, finding.pk])
    else:
        url = reverse("walk_through_delete", args=[project, walk.pk])
    assert client_for(leader).post(url).status_code == 302
    assert not Finding.objects.filter(pk=finding.pk).exists()
    assert list(conclusion.findings.all()) == [kept]
    assert not knelpunt.findings.exists()
    for cited in (conclusion, knelpunt):
        removals = _evidence_removals(cited)
        assert len(removals) == 1, cited
        assert str(finding) in removals[0].changes_dict["findings"]["objects"]


def test_a_repeat_with_the_photo_attaches_it_when_the_first_send_had_none(
    client_for, walk, street, leader
):
    client = client_for(leader)
    data = _finding_data(street)
    client.post(_add_url(walk), data)  # the photo did not make it the first time
    finding = Finding.objects.get(walk_through=walk)
    assert finding.photo_id is None
    again = client.post(_add_url(walk), {**data, "photo": upload()})
    assert again.status_code == 302
    finding.refresh_from_db()
    assert finding.photo_id is not None
    assert Finding.objects.filter(walk_through=walk).count() == 1
    assert not photos.has_location(_stored(finding))  # through the same processing
    first = finding.photo_id
    client.post(_add_url(walk), {**data, "photo": upload(jpeg(colour="red"))})
    finding.refresh_from_db()
    assert finding.photo_id == first  # a third send does not replace it
    assert Document.objects.count() == 1


# --- access ------------------------------------------------------------------------------------


def test_viewer_reads_but_cannot_record(client_for, walk, street, viewer):
    client = client_for(viewer)
    assert client.get(walk.get_absolute_url()).status_code == 200
    assert client.get(_add_url(walk)).status_code == 403
    assert (
        client.post(_add_url(walk), {**_finding_data(street), "photo": upload()}).status_code == 403
    )
    assert not Finding.objects.exists()


def test_outsider_gets_404_everywhere(client_for, walk, outsider):
    client = client_for(outsider)
    finding = FindingFactory(walk_through=walk)
    project_pk = walk.analysis.project_id
    for url in (
        walk.get_absolute_url(),
        reverse("walk_through_pdf", args=[project_pk, walk.pk]),
        reverse("finding_list", args=[project_pk]),
        reverse("finding_edit", args=[project_pk, walk.pk, finding.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_a_finding_of_another_walk_through_is_not_found(client_for, walk, leader):
    other = WalkThroughFactory(analysis=walk.analysis)
    finding = FindingFactory(walk_through=other)
    url = reverse("finding_edit", args=[walk.analysis.project_id, walk.pk, finding.pk])
    assert client_for(leader).get(url).status_code == 404


# --- lists -------------------------------------------------------------------------------------


def _findings(walk, streets, partner, n):
    for i in range(n):
        FindingFactory(
            walk_through=walk,
            street=streets[i % len(streets)] if i % 5 else None,
            category=["visibility", "traffic", "maintenance"][i % 3],
            severity=["green", "orange", "red"][i % 3],
            action_by=partner,
            location=f"Nummer {i}",
        )


def _count(client, url, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _with_photos(walk, n):
    from analysis.walkthrough import services

    for finding in walk.findings.order_by("pk")[:n]:
        services.set_finding_photo(
            finding=finding,
            user=None,
            photo=photos.process_photo(jpeg(size=(80, 60))),
            keep_location=False,
        )


def test_findings_list_and_detail_keep_their_query_count_with_ten_times_the_findings(
    client_for, walk, leader, partner
):
    """Prevents an N+1 on each finding's street, partner, walk-through and photo."""
    client = client_for(leader)
    streets = [StreetFactory(analysis=walk.analysis, position=i) for i in range(3)]
    walk.partners.add(partner)
    _findings(walk, streets, partner, 4)
    _with_photos(walk, 2)
    list_url = reverse("finding_list", args=[walk.analysis.project_id])
    counts = [
        _count(client, list_url),
        _count(client, list_url, per="categorie", severity="red"),
        _count(client, walk.get_absolute_url()),
        _count(client, reverse("walk_through_list", args=[walk.analysis.project_id])),
    ]
    _findings(walk, streets, partner, 36)
    _with_photos(walk, 20)
    WalkThroughFactory.create_batch(9, analysis=walk.analysis)
    assert [
        _count(client, list_url),
        _count(client, list_url, per="categorie", severity="red"),
        _count(client, walk.get_absolute_url()),
        _count(client, reverse("walk_through_list", args=[walk.analysis.project_id])),
    ] == counts


def test_findings_list_groups_per_street_or_category_and_filters(client_for, walk, leader):
    client = client_for(leader)
    markt = StreetFactory(analysis=walk.analysis, name="Oude Markt", position=1)
    laan = StreetFactory(analysis=walk.analysis, name="Walstraat", position=2)
    FindingFactory(
        walk_through=walk,
        street=laan,
        category="traffic",
        severity="red",
        description="Taxi's dubbel geparkeerd.",
    )
    FindingFactory(
        walk_through=walk,
        street=markt,
        category="visibility",
        severity="green",
        description="Verlichting goed.",
    )
    FindingFactory(
        walk_through=walk,
        street=None,
        category="traffic",
        severity="orange",
        description="Fietsen op de stoep.",
    )
    url = reverse("finding_list", args=[walk.analysis.project_id])
    groups = client.get(url).context["groups"]
    assert [label for label, _ in groups] == ["Oude Markt", "Walstraat", groups[2][0]]
    per_category = client.get(url, {"per": "categorie"}).context["groups"]
    assert [len(items) for _, items in per_category] == [1, 2]  # visibility, then traffic
    assert [f.severity for f in per_category[1][1]] == ["red", "orange"]  # red first
    red = client.get(url, {"severity": "red"})
    assert [f.description for f in red.context["page"]] == ["Taxi's dubbel geparkeerd."]
    assert "text-bg-danger" in red.content.decode()
    bad = client.get(url, {"severity": "purple", "street": "999999999999999999999"})
    assert bad.status_code == 200
    assert bad.context["page"].paginator.count == 3


def test_findings_list_is_paged(client_for, walk, leader):
    from analysis.walkthrough.views import PAGE_SIZE

    FindingFactory.create_batch(PAGE_SIZE + 1, walk_through=walk)
    url = reverse("finding_list", args=[walk.analysis.project_id])
    response = client_for(leader).get(url)
    assert len(response.context["page"].object_list) == PAGE_SIZE
    assert len(client_for(leader).get(url, {"page": 2}).context["page"].object_list) == 1
    # Each card links to its walk-through.
    assert walk.get_absolute_url() in response.text


# --- the report --------------------------------------------------------------------------------


def test_walk_through_pdf_shows_participants_findings_and_the_photo(
    client_for, walk, street, leader, partner
):
    client = client_for(leader)
    walk.partners.add(partner)
    client.post(_add_url(walk), {**_finding_data(street), "photo": upload()})
    client.post(
        _add_url(walk),
        _finding_data(street, severity="green", description="Terras netjes opgeruimd."),
    )
    response = client.get(reverse("walk_through_pdf", args=[walk.analysis.project_id, walk.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    for words in ("Lantaarnpaal kapot", "Terras netjes opgeruimd", "Oude Markt", "Café De Pijp"):
        assert words in text, words
    images = [
        obj
        for page in reader.pages
        for obj in (page["/Resources"].get("/XObject") or {}).values()
        if obj.get_object().get("/Subtype") == "/Image"
    ]
    assert images, "the photo is not in the PDF"
    assert overlapping_words(pdf) == []
    root = reader.trailer["/Root"]  # tagged, like every PDF of the application
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"]) is True


def _pdf_text(response) -> str:
    assert response.status_code == 200
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_walk_through_pdf_holds_at_most_a_hundred_findings_red_first(
    client_for, walk, leader, settings
):
    """Bounded: one walk-through with many findings does not make an endless PDF."""
    client = client_for(leader)
    url = reverse("walk_through_pdf", args=[walk.analysis.project_id, walk.pk])
    FindingFactory(walk_through=walk, severity="green", description="Groen oud.")
    FindingFactory(walk_through=walk, severity="red", description="Rood oud.")
    FindingFactory(walk_through=walk, severity="orange", description="Oranje nieuw.")
    with CaptureQueriesContext(connection) as few:
        text = _pdf_text(client.get(url))
    assert "Groen oud" in text
    assert not re.search(r"\d+ (of|van de) 3 ", text)
    FindingFactory.create_batch(97, walk_through=walk, severity="orange", description="Oranje.")
    FindingFactory(walk_through=walk, severity="green", description="Groen nieuw.")
    with CaptureQueriesContext(connection) as many:
        text = _pdf_text(client.get(url))
    assert len(many.captured_queries) == len(few.captured_queries)
    # 101 findings: the red one, the 98 orange ones and the newest green one are shown.
    assert re.search(r"100 (of|van de) 101", text), text[:500]
    for words in ("Rood oud", "Oranje nieuw", "Groen nieuw"):
        assert words in text, words
    assert "Groen oud" not in text
    assert overlapping_words(client.get(url).content) == []
