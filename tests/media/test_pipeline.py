from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from app.media.pipeline import ImageRejected, process_image
from tests.portfolios.factories import image_bytes


def photo_with_gps_and_rotation() -> bytes:
    """A JPEG as a phone writes it: rotated by EXIF, with GPS coordinates and a camera model."""
    image = Image.new("RGB", (300, 200), (20, 120, 90))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    exif[0x0110] = "Phone 12"  # camera model
    exif[0x8825] = {1: "N", 2: (21.0, 1.0, 42.0), 3: "E", 4: (105.0, 51.0, 12.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), comment=b"secret comment")
    return out.getvalue()


def reopen(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_metadata_is_gone_and_orientation_applied() -> None:
    result = process_image(photo_with_gps_and_rotation())
    assert (result.width, result.height) == (200, 300)  # the rotation was applied
    for variant in result.variants:
        out = reopen(variant.data)
        assert not out.getexif(), variant.name
        assert "exif" not in out.info
        assert "icc_profile" not in out.info
        assert "comment" not in out.info
        assert "xmp" not in out.info
        assert b"Phone 12" not in variant.data
        assert b"GPS" not in variant.data


def test_variants_are_webp_widths_plus_jpeg_never_upscaled() -> None:
    result = process_image(image_bytes(1600, 900, "PNG"))
    names = [v.name for v in result.variants]
    assert names == ["400.webp", "1200.webp", "1600.webp", "fallback.jpg"]
    for variant in result.variants:
        out = reopen(variant.data)
        assert out.format == ("WEBP" if variant.name.endswith("webp") else "JPEG")
        assert out.size == (variant.width, variant.height)
    assert reopen(result.variants[0].data).size == (400, 225)
    assert reopen(result.variants[-1].data).size == (1200, 675)


def test_small_image_keeps_its_size() -> None:
    result = process_image(image_bytes(120, 80))
    assert [v.name for v in result.variants] == ["120.webp", "fallback.jpg"]


def test_decompression_bomb_refused_before_decoding() -> None:
    # 20,000 × 20,000 pixels of one colour compress to a few hundred kilobytes.
    out = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(out, "PNG")
    with pytest.raises(ImageRejected) as info:
        process_image(out.getvalue())
    assert info.value.reason == "too_many_pixels"


def test_just_over_the_pixel_limit_refused() -> None:
    out = io.BytesIO()
    Image.new("1", (5000, 4001)).save(out, "PNG")  # PNG: at most 20 megapixels
    with pytest.raises(ImageRejected) as info:
        process_image(out.getvalue())
    assert info.value.reason == "too_many_pixels"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"Just some notes, saved as holiday.jpg\n" * 20, "not_an_image"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script>'
            b'<rect width="10" height="10"/></svg>',
            "not_an_image",
        ),
        (b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n", "not_an_image"),
        (b"\xff" * (10 * 1024 * 1024 + 1), "too_large"),
    ],
    ids=["zero-bytes", "text-named-jpg", "svg-with-script", "eps", "over-10-mb"],
)
def test_refused_uploads(data: bytes, reason: str) -> None:
    with pytest.raises(ImageRejected) as info:
        process_image(data)
    assert info.value.reason == reason


def test_truncated_jpeg_refused() -> None:
    data = image_bytes(400, 300, "JPEG")
    with pytest.raises(ImageRejected) as info:
        process_image(data[: len(data) // 2])
    assert info.value.reason in ("damaged", "not_an_image")


def test_animated_gif_becomes_its_first_frame() -> None:
    frames = [Image.new("RGB", (50, 40), c) for c in [(255, 0, 0), (0, 255, 0), (0, 0, 255)]]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], loop=0)
    result = process_image(out.getvalue())
    webp = reopen(result.variants[0].data)
    assert not getattr(webp, "is_animated", False)
    r, g, b = webp.convert("RGB").getpixel((25, 20))
    assert r > 200
    assert g < 60
    assert b < 60


def test_transparent_png_keeps_alpha_in_webp_and_flattens_jpeg() -> None:
    out = io.BytesIO()
    Image.new("RGBA", (40, 40), (0, 0, 0, 0)).save(out, "PNG")
    result = process_image(out.getvalue())
    assert reopen(result.variants[0].data).mode == "RGBA"
    assert reopen(result.variants[-1].data).getpixel((5, 5)) == (255, 255, 255)


def test_same_upload_same_name() -> None:
    data = image_bytes(90, 60)
    assert process_image(data).digest == process_image(data).digest


def png_header_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims a size its (tiny, broken) data never delivers."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("size", [(100_000, 100_000), (6000, 4000), (2**31 - 1, 1)])
def test_a_png_header_claiming_huge_dimensions_is_refused_unread(size: tuple[int, int]) -> None:
    with pytest.raises(ImageRejected) as info:
        process_image(png_header_claiming(*size))
    assert info.value.reason in ("too_many_pixels", "too_long")


def test_the_pixel_limit_depends_on_the_format() -> None:
    # 24 megapixels: fine as a JPEG (decoded already scaled down), too many as a PNG or WebP.
    jpeg = image_bytes(6000, 4000, "JPEG", quality=30)
    result = process_image(jpeg)
    assert (result.width, result.height) == (6000, 4000)
    assert max(result.widths) == 2400
    for fmt in ("PNG", "WEBP"):
        with pytest.raises(ImageRejected) as info:
            process_image(png_header_claiming(6000, 4000) if fmt == "PNG" else _webp(6000, 4000))
        assert info.value.reason == "too_many_pixels"


def _webp(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height)).save(out, "WEBP", quality=1, method=0)
    return out.getvalue()


@pytest.mark.parametrize("size", [(100, 20_000), (20_000, 100)])
def test_a_strip_too_long_for_webp_gets_a_clear_refusal(size: tuple[int, int]) -> None:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 10, 10)).save(out, "PNG")
    with pytest.raises(ImageRejected) as info:
        process_image(out.getvalue())
    assert info.value.reason == "too_long"


def test_a_long_but_encodable_image_is_kept() -> None:
    result = process_image(image_bytes(300, 16_000))
    assert (result.width, result.height) == (300, 16_000)
    assert reopen(result.variants[0].data).size == (300, 16_000)


def test_a_large_rotated_jpeg_is_scaled_and_turned() -> None:
    image = Image.new("RGB", (6000, 4000), (20, 120, 90))
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), quality=30)
    result = process_image(out.getvalue())
    assert (result.width, result.height) == (4000, 6000)
    largest = reopen(result.variants[-2].data)
    assert largest.size == (2400, 3600)
