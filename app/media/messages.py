"""What a person reads when an upload is refused, by the pipeline's reason code."""

from __future__ import annotations

from flask_babel import gettext as _


def reason_message(name: str, reason: str) -> str:
    messages = {
        "empty": _("“%(name)s” is empty (0 bytes).", name=name),
        "too_large": _("“%(name)s” is larger than 10 MB.", name=name),
        "too_many_pixels": _(
            "“%(name)s” has too many pixels: at most 40 megapixels for a JPEG, 20 for a PNG or "
            "GIF, 10 for a WebP. Export it smaller, or as a JPEG.",
            name=name,
        ),
        "too_long": _(
            "“%(name)s” is too long and narrow: no side may be longer than 16,000 pixels.",
            name=name,
        ),
        "damaged": _("“%(name)s” is damaged or incomplete; please export it again.", name=name),
        "storage_full": _(
            "“%(name)s” could not be stored: our storage is full. Nothing was saved; please try "
            "again later.",
            name=name,
        ),
        "upload_rate": _(
            "“%(name)s” was not taken: you have sent many images in a short time. Nothing was "
            "saved; please try again in an hour.",
            name=name,
        ),
        "storage_unavailable": _(
            "“%(name)s” could not be stored: our image storage is not answering. Nothing was "
            "saved; please try again in a few minutes.",
            name=name,
        ),
    }
    return messages.get(
        reason,
        _(
            "“%(name)s” is not a JPEG, PNG, WebP or GIF image (SVG and other formats are refused).",
            name=name,
        ),
    )
