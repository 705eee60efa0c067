"""Walk-through photos: checked to be an image, turned upright, made smaller and stripped of
their metadata (the phone's location above all) before they are stored.

Pillow reads the file; what it cannot open as a photo is refused with a message the leader
understands. The stored file is always a new JPEG written by Pillow, so nothing of the original
file travels along except its pixels, and its GPS data when the leader chose to keep them.
"""

import io
import struct
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

LONG_SIDE = 1600
QUALITY = 85
# The formats a phone camera or a photo app hands over ("MPO" is the multi-picture JPEG of
# some cameras). HEIC needs a Pillow plugin that is not installed: it is refused by name.
ACCEPTED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP"}
# A photo of more pixels than this is no phone photo (and could be a decompression bomb).
MAX_PIXELS = 60_000_000
GPS_IFD = 0x8825
ORIENTATION = 0x0112
# EXIF orientation -> the turn that makes the photo upright (as ImageOps.exif_transpose, but
# without rewriting the metadata, which fails on malformed EXIF and is dropped anyway).
UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
# What Pillow may raise on a damaged file or damaged metadata.
UNREADABLE = (OSError, ValueError, SyntaxError, EOFError, TypeError, struct.error, KeyError)
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"mif1", b"msf1"}


def _refuse(message, code):
    raise ValidationError(message, code=code)


def _not_a_photo():
    _refuse(_("This file is not a photo (JPEG, PNG or WebP) that can be read."), "not_image")


def _too_many_pixels():
    _refuse(_("The photo has too many pixels to be processed."), "too_many_pixels")


def _open(data: bytes) -> Image.Image:
    if data[4:8] == b"ftyp" and data[8:12] in HEIF_BRANDS:
        _refuse(
            _(
                "HEIC photos cannot be read here yet. On an iPhone, choose “Most compatible” "
                "under Settings > Camera > Formats, or send the photo as JPEG."
            ),
            "heic",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in ACCEPTED_FORMATS:
                _refuse(
                    _("This file is a %(format)s image; a photo must be JPEG, PNG or WebP.")
                    % {"format": image.format or "?"},
                    "format",
                )
            if image.width * image.height > MAX_PIXELS:
                _too_many_pixels()
            image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        _too_many_pixels()
    except (UnidentifiedImageError, *UNREADABLE):
        _not_a_photo()
    return image


def _orientation(image: Image.Image) -> int:
    try:
        value = image.getexif().get(ORIENTATION)
    except UNREADABLE:
        return 1
    return value if isinstance(value, int) else 1


def _gps_bytes(image: Image.Image) -> bytes:
    """The photo's GPS block as EXIF bytes to write back; b"" when it has none or it is
    damaged (then the location is dropped rather than the photo refused)."""
    try:
        gps = image.getexif().get_ifd(GPS_IFD)
        if not gps:
            return b""
        exif = Image.Exif()
        exif[GPS_IFD] = dict(gps)
        return exif.tobytes()
    except UNREADABLE:
        return b""


def process_photo(data: bytes, *, keep_location: bool = False) -> bytes:
    """The photo as it is stored: upright, at most LONG_SIDE pixels, a fresh JPEG without
    metadata; with `keep_location` its GPS data (only those) are written back.

    ValidationError with a Dutch message when the file is empty, too large or no photo.
    """
    limit = settings.KVU_DOCUMENT_MAX_BYTES
    if not data:
        _refuse(_("The photo is empty."), "empty")
    if len(data) > limit:
        _refuse(
            _("The photo is larger than %(limit)s, the largest size allowed.")
            % {"limit": filesizeformat(limit)},
            "too_large",
        )
    image = _open(data)
    try:
        gps = _gps_bytes(image) if keep_location else b""
        turn = UPRIGHT.get(_orientation(image))
        if turn is not None:
            image = image.transpose(turn)
        if image.mode in ("RGBA", "LA", "P", "PA"):
            image = image.convert("RGBA")
            flat = Image.new("RGB", image.size, "white")
            flat.paste(image, mask=image.getchannel("A"))
            image = flat
        elif image.mode != "RGB":
            image = image.convert("RGB")
        image.thumbnail((LONG_SIDE, LONG_SIDE), Image.Resampling.LANCZOS)
        # Nothing of the original's metadata travels along: no comment (COM), EXIF, XMP or
        # ICC profile (APP markers) is written; only the GPS block when asked.
        image.info = {}
        out = io.BytesIO()
        options = {"quality": QUALITY, "optimize": True, "comment": b""}
        if gps:
            options["exif"] = gps
        image.save(out, "JPEG", **options)
    except UNREADABLE:
        _not_a_photo()
    return out.getvalue()


def has_location(data: bytes) -> bool:
    """Whether a stored photo carries GPS data (shown on the finding, used by the tests)."""
    with Image.open(io.BytesIO(data)) as image:
        return bool(image.getexif().get_ifd(GPS_IFD))
