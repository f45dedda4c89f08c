"""Image inputs (PNG, JPEG, TIFF): recognised by signature, opened within a pixel budget.

Images are read by OCR (:mod:`gov_disclosure.parsing.ocr`, extra ``ocr``). Before any pixel
is decoded, the header's size is checked against :data:`MAX_PIXELS` (a 50,000 × 50,000 PNG
or a decompression bomb is refused in microseconds) and a multi-page TIFF against
:data:`MAX_IMAGE_PAGES`; a truncated or corrupt file is the library's :class:`ParseError`
with the file's name.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterator
from typing import Any

from gov_disclosure.errors import ParseError
from gov_disclosure.optional import require

__all__ = [
    "MAX_IMAGE_PAGES",
    "MAX_PAGE_SOURCES",
    "MAX_PIXELS",
    "MIN_PAGE_SIDE",
    "image_kind",
    "image_pages",
]

MAX_PIXELS = 60_000_000
"""Most pixels of one page image: an A3 page at 300 dpi is 17 million, A4 at 600 dpi 35."""

MAX_IMAGE_PAGES = 200
"""Most pages read from a multi-page TIFF (as for PDF)."""

MAX_PAGE_SOURCES = 2_000
"""Most pictures of a saved web page looked at for its pages (the first ones)."""

MIN_PAGE_SIDE = 400
"""Fewest pixels on a page image's shorter side: an A4 page at 50 dpi is 413 × 585; logos,
icons and buttons are smaller."""

_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "png",
    b"\xff\xd8\xff": "jpeg",
    b"II*\x00": "tiff",
    b"MM\x00*": "tiff",
}


def image_kind(data: bytes) -> str | None:
    """``png``, ``jpeg`` or ``tiff`` by the file's signature, else None."""
    return next((kind for magic, kind in _SIGNATURES.items() if data.startswith(magic)), None)


def image_pages(data: bytes, *, name: str | None = None) -> Iterator[Any]:
    """The pages of an image file as RGB Pillow images, each checked against the budgets.

    Raises:
        ParseError: for a page over :data:`MAX_PIXELS`, a TIFF over :data:`MAX_IMAGE_PAGES`
            pages, or a file Pillow cannot decode (truncated, corrupt).
    """
    pil: Any = require("PIL.Image", "ocr", "reading images")
    try:
        # Pillow's own bomb check warns at 89 Mpx and raises at twice that; ours is lower
        # and checked on the header, before decoding
        with warnings.catch_warnings():
            warnings.simplefilter("error", pil.DecompressionBombWarning)
            image = pil.open(io.BytesIO(data))
            frames = getattr(image, "n_frames", 1)
            if frames > MAX_IMAGE_PAGES:
                raise ParseError(
                    f"an image of {frames} pages; the limit is {MAX_IMAGE_PAGES}", location=name
                )
            for number in range(frames):
                image.seek(number)
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise ParseError(
                        f"page {number + 1} is {width} × {height} pixels; the limit is "
                        f"{MAX_PIXELS} pixels",
                        location=name,
                    )
                yield image.convert("RGB")
    except ParseError:
        raise
    except (pil.DecompressionBombError, pil.DecompressionBombWarning) as exc:
        # Pillow measured the header first: far over our budget too
        size = re.search(r"\((\d+) pixels\)", str(exc))
        claimed = f"{size.group(1)} pixels" if size else "too many pixels"
        raise ParseError(
            f"an image of {claimed}; the limit is {MAX_PIXELS} pixels", location=name
        ) from None
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise ParseError(f"unreadable image: {exc}", location=name) from None
