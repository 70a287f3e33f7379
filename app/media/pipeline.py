"""The image pipeline: an upload is judged by decoding it, never by its name or declared type.

Only JPEG, PNG, WebP and GIF (first frame) are opened: Pillow is told the allow-list, so no EPS or
PostScript decoder is ever reached. Size limits are checked from the header before any pixel is
decoded; orientation is applied, then the pixels are copied into a fresh image so that no EXIF,
GPS, XMP or ICC block can survive; the result is re-encoded to WebP widths plus a JPEG fallback.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass, field

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
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
    if width * height > MAX_PIXELS:
        raise ImageRejected("too_many_pixels")
    return image


def _decode(image: Image.Image) -> Image.Image:
    """Decode the first frame only: animations become stills, so frame count cannot explode."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            if getattr(image, "is_animated", False):
                image.seek(0)
            image.load()
            oriented = ImageOps.exif_transpose(image) or image
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRejected("too_many_pixels") from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageRejected("damaged") from exc
    has_alpha = oriented.mode in ("RGBA", "LA", "PA") or (
        oriented.mode == "P" and "transparency" in oriented.info
    )
    converted = oriented.convert("RGBA" if has_alpha else "RGB")
    # A fresh image holds pixels only: no EXIF, GPS, XMP, ICC profile or comment can follow.
    return Image.frombytes(converted.mode, converted.size, converted.tobytes())


def _encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def _resized(image: Image.Image, width: int) -> Image.Image:
    if width >= image.width:
        return image
    height = max(1, round(image.height * width / image.width))
    return image.resize((width, height), Image.Resampling.LANCZOS)


def process_image(
    data: bytes, *, widths: tuple[int, ...] = WIDTHS, square: bool = False
) -> ProcessedImage:
    """Judge an upload and re-encode it; raises ImageRejected with a reason code."""
    image = _decode(_open(data))
    if square:
        side = min(image.size)
        image = ImageOps.fit(image, (side, side), Image.Resampling.LANCZOS)
    digest = hashlib.sha256(data).hexdigest()[:40]
    result = ProcessedImage(digest=digest, width=image.width, height=image.height)
    # Never upscaled: widths above the original collapse to the original width.
    targets = sorted({min(w, image.width) for w in widths})
    for width in targets:
        variant = _resized(image, width)
        result.variants.append(
            Variant(
                name=f"{width}.webp",
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
