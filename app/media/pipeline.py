"""The image pipeline: an upload is judged by decoding it, never by its name or declared type.

Only JPEG, PNG, WebP and GIF (first frame) are opened: Pillow is told the allow-list, so no EPS or
PostScript decoder is ever reached. Size limits are checked from the header before any pixel is
decoded; orientation is applied, then the pixels are copied into a fresh image so that no EXIF,
GPS, XMP or ICC block can survive; the result is re-encoded to WebP widths plus a JPEG fallback.
"""

from __future__ import annotations

import hashlib
import io
import math
import warnings
from dataclasses import dataclass, field

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
# Pixels per format, so that one upload adds at most ~250 MB to a worker and decodes in ~1.5 s
# (bench/upload_cost.py): a JPEG is decoded already scaled down (draft), the others at full size,
# and WebP's decoder needs the most memory per pixel.
FORMAT_MAX_PIXELS = {"JPEG": MAX_PIXELS, "PNG": 20_000_000, "GIF": 20_000_000, "WEBP": 10_000_000}
MAX_SIDE = 16383  # WebP cannot encode a longer side
ORIENTATION_TAG = 0x0112
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
WIDTHS = (400, 1200, 2400)
FALLBACK_WIDTH = 1200
WEBP_QUALITY = 82
JPEG_QUALITY = 84

# Pillow refuses (error) past twice this and warns past it; the warning is turned into a refusal.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


class ImageRejected(ValueError):
    """The upload is not an image we accept; `reason` is a short code the views translate."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class Variant:
    name: str  # "400.webp", "fallback.jpg"
    data: bytes
    width: int
    height: int
    content_type: str


@dataclass
class ProcessedImage:
    digest: str  # content hash of the upload: names the stored files
    width: int
    height: int
    variants: list[Variant] = field(default_factory=list)

    @property
    def widths(self) -> list[int]:
        return [v.width for v in self.variants if v.name.endswith(".webp")]


def _open(data: bytes) -> Image.Image:
    """Read the header only; every size limit is checked here, before any pixel is decoded."""
    if not data:
        raise ImageRejected("empty")
    if len(data) > MAX_BYTES:
        raise ImageRejected("too_large")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(ALLOWED_FORMATS))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRejected("too_many_pixels") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ImageRejected("not_an_image") from exc
    if image.format not in ALLOWED_FORMATS:
        raise ImageRejected("not_an_image")
    width, height = image.size
    if width < 1 or height < 1:
        raise ImageRejected("not_an_image")
    if width * height > FORMAT_MAX_PIXELS.get(str(image.format), MAX_PIXELS):
        raise ImageRejected("too_many_pixels")
    if max(width, height) > MAX_SIDE:
        # WebP cannot hold a side this long (a 100 x 20000 strip): refused, never a failed encode.
        raise ImageRejected("too_long")
    return image


# EXIF orientation → the transposition that shows the picture upright (as ImageOps does).
TRANSPOSITIONS = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _orientation(image: Image.Image) -> int:
    try:
        value = image.getexif().get(ORIENTATION_TAG)
    except (OSError, SyntaxError, ValueError):
        return 1
    return value if isinstance(value, int) and value in TRANSPOSITIONS else 1


def _rotated(image: Image.Image) -> bool:
    """Whether the EXIF orientation turns the picture a quarter (width and height swap)."""
    return _orientation(image) in (5, 6, 7, 8)


def _needed_scale(size: tuple[int, int], rotated: bool, largest: int, square: bool) -> float:
    """How far the picture can shrink while its (displayed) width still covers `largest`."""
    width, height = (size[1], size[0]) if rotated else size
    side = min(width, height) if square else width
    return min(1.0, largest / side)


def _decode(image: Image.Image, *, largest: int, square: bool) -> Image.Image:
    """Decode the first frame only, no larger than needed, into a fresh pixels-only image.

    Animations become stills (frame count cannot explode). A JPEG is decoded already scaled down
    (`draft`: 1/2, 1/4 or 1/8 in the decoder, so a 40-megapixel photo never lands in memory at
    full size); other formats are reduced by an integer factor right after decoding, before any
    copy, so that the conversions and resizes that follow work on a small picture.
    """
    orientation = _orientation(image)
    turned = orientation in (5, 6, 7, 8)
    scale = _needed_scale(image.size, turned, largest, square)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            if getattr(image, "is_animated", False):
                image.seek(0)
            if image.format == "JPEG" and scale < 0.5:
                wanted = (math.ceil(image.width * scale), math.ceil(image.height * scale))
                image.draft(image.mode if image.mode in ("RGB", "L") else None, wanted)
            image.load()
            has_alpha = image.mode in ("RGBA", "LA", "PA") or (
                image.mode == "P" and "transparency" in image.info
            )
            mode = "RGBA" if has_alpha else "RGB"
            # No copy at full size: convert only if needed, reduce, then turn the small picture.
            converted = image if image.mode == mode else image.convert(mode)
            factor = int(1 / _needed_scale(converted.size, turned, largest, square))
            if factor >= 2:
                converted = converted.reduce(factor)
            if orientation != 1:
                converted = converted.transpose(TRANSPOSITIONS[orientation])
            # A fresh image holds pixels only: no EXIF, GPS, XMP, ICC or comment can follow.
            fresh = Image.new(mode, converted.size)
            fresh.paste(converted)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRejected("too_many_pixels") from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageRejected("damaged") from exc
    finally:
        image.close()
    return fresh


def _encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def _resized(image: Image.Image, width: int) -> Image.Image:
    if width >= image.width:
        return image
    height = max(1, round(image.height * width / image.width))
    # reducing_gap: a fast box reduction first, then Lanczos over the last factor of 3.
    return image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)


@dataclass
class CheckedImage:
    digest: str  # sha256 of the upload, in full: names the private original
    width: int  # as shown (turned as the camera says)
    height: int


def check_image(data: bytes) -> CheckedImage:
    """Every check a person must see answered on the page, without decoding the pixels: a real
    image of an allowed format, its bytes, pixels and sides within limits, and a body that
    reads to its end (PNG and GIF chunks checked). Raises ImageRejected. The resizing
    (`process_image`) runs later, in a background job, on the stored original."""
    image = _open(data)
    try:
        width, height = image.size
        if _rotated(image):
            width, height = height, width
    finally:
        image.close()
    # verify() must come right after opening: a second, fresh look at the same bytes.
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=list(ALLOWED_FORMATS)) as fresh:
                fresh.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRejected("too_many_pixels") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageRejected("damaged") from exc
    return CheckedImage(digest=hashlib.sha256(data).hexdigest(), width=width, height=height)


def process_image(
    data: bytes, *, widths: tuple[int, ...] = WIDTHS, square: bool = False
) -> ProcessedImage:
    """Judge an upload and re-encode it; raises ImageRejected with a reason code."""
    opened = _open(data)
    # The size the person sent (turned as the camera says), whatever size is decoded below.
    width, height = opened.size
    if _rotated(opened):
        width, height = height, width
    image = _decode(opened, largest=max(widths), square=square)
    del opened  # the decoder's buffers go now, before any encoding
    if square:
        side = min(image.size)
        image = ImageOps.fit(image, (side, side), Image.Resampling.LANCZOS)
    digest = hashlib.sha256(data).hexdigest()[:40]
    result = ProcessedImage(
        digest=digest,
        width=image.width if square else width,
        height=image.height if square else height,
    )
    # Never upscaled. Pages ask for avatars by their fixed names (160, 400), so a small avatar is
    # stored under each of them at its own size rather than missing (a broken image everywhere).
    targets = sorted(set(widths) if square else {min(w, image.width) for w in widths})
    for target in targets:
        variant = _resized(image, target)
        result.variants.append(
            Variant(
                name=f"{target}.webp",
                data=_encode(variant, "WEBP", quality=WEBP_QUALITY, method=4),
                width=variant.width,
                height=variant.height,
                content_type="image/webp",
            )
        )
    fallback = _resized(image, min(FALLBACK_WIDTH, image.width))
    if fallback.mode == "RGBA":
        flat = Image.new("RGB", fallback.size, (255, 255, 255))
        flat.paste(fallback, mask=fallback.getchannel("A"))
        fallback = flat
    result.variants.append(
        Variant(
            name="fallback.jpg",
            data=_encode(fallback, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True),
            width=fallback.width,
            height=fallback.height,
            content_type="image/jpeg",
        )
    )
    return result
