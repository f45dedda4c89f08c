"""Scanned copies of a report, made with real tools: for testing OCR pipelines (ours or yours).

A report is rendered to HTML (the official layout), printed to PDF by headless Chromium,
rasterised by pypdfium2, damaged as a scanner damages pages, and packed as an image-only PDF
or PNG pages. The OCR round-trip tests and ``benchmarks/scans.py`` use these; so can another
tool that wants scans whose every cell is known.

Needs the ``ocr`` extra (pypdfium2, Pillow, NumPy) and Chromium on ``PATH`` (Debian package
``chromium``, with a CJK font such as ``fonts-wqy-zenhei``).
"""

from __future__ import annotations

import io
from typing import Any

from gov_disclosure.model.report import Report
from gov_disclosure.optional import require

__all__ = [
    "DEGRADATIONS",
    "chromium_path",
    "degrade",
    "image_pdf",
    "png",
    "print_pdf",
    "rasterise",
]

DEGRADATIONS: dict[str, dict[str, float]] = {
    "clean": {},
    "noise": {"noise": 12.0},
    "jpeg": {"jpeg": 40.0},
    "rotated": {"rotate": 0.5},
    "all": {"rotate": 0.5, "noise": 8.0, "jpeg": 60.0},
}
"""Named damage settings for :func:`degrade` (the round-trip figures in docs/parsing.md)."""


def chromium_path() -> str | None:
    """Headless Chromium (see :func:`gov_disclosure.rendering.pdf.chromium_path`)."""
    from gov_disclosure.rendering.pdf import chromium_path as find

    return find()


def print_pdf(report: Report) -> bytes:
    """The report in the official layout, printed to PDF by headless Chromium.

    Raises:
        GovDisclosureError: when Chromium is not installed or fails.
    """
    from gov_disclosure.rendering.pdf import to_pdf

    return to_pdf(report)


def rasterise(pdf: bytes, dpi: int = 150) -> list[Any]:
    """The PDF's pages as RGB Pillow images at ``dpi``."""
    pdfium: Any = require("pypdfium2", "ocr", "rasterising PDF pages")
    document = pdfium.PdfDocument(pdf)
    return [
        document[i].render(scale=dpi / 72).to_pil().convert("RGB") for i in range(len(document))
    ]


def degrade(
    image: Any, *, rotate: float = 0.0, noise: float = 0.0, jpeg: float = 0.0, seed: int = 0
) -> Any:
    """A page as a scanner leaves it.

    Args:
        image: A Pillow image.
        rotate: Degrees of skew (a page fed askew).
        noise: Standard deviation of Gaussian noise, in grey levels.
        jpeg: JPEG quality to compress with (0: not compressed).
        seed: The noise's random seed (the same damage every time).
    """
    np: Any = require("numpy", "ocr", "damaging page images")
    pil: Any = require("PIL.Image", "ocr", "damaging page images")
    page = image
    if rotate:
        page = page.rotate(rotate, resample=pil.BICUBIC, fillcolor="white")
    if noise:
        pixels = np.asarray(page).astype("int16")
        grain = np.random.default_rng(seed).normal(0, noise, pixels.shape)
        page = pil.fromarray(np.clip(pixels + grain, 0, 255).astype("uint8"))
    if jpeg:
        out = io.BytesIO()
        page.save(out, "JPEG", quality=int(jpeg))
        page = pil.open(io.BytesIO(out.getvalue())).convert("RGB")
    return page


def image_pdf(images: list[Any], dpi: int = 150) -> bytes:
    """Images packed as an image-only PDF (no text layer), one page each."""
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return out.getvalue()


def png(image: Any) -> bytes:
    """An image as PNG bytes."""
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
