"""PDF output: the HTML layout printed by headless Chromium (A4, CJK fonts, rows kept whole).

Chromium is found on ``PATH`` (``chromium``, ``chromium-browser``, ``google-chrome``) or given
by the ``GOV_DISCLOSURE_CHROMIUM`` environment variable; nothing is downloaded. On Debian:
``apt-get install chromium fonts-wqy-zenhei`` (a CJK font is needed for Chinese text).
Without Chromium, :func:`to_pdf` raises :class:`ChromiumNotFoundError` naming what to install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

from gov_disclosure.errors import GovDisclosureError
from gov_disclosure.model.report import Report
from gov_disclosure.rules.results import Finding

__all__ = ["PRINT_TIMEOUT", "ChromiumNotFoundError", "chromium_path", "to_pdf"]

PRINT_TIMEOUT = 120.0
"""Seconds Chromium may take to print one report."""


class ChromiumNotFoundError(GovDisclosureError):
    """No headless Chromium to print PDF with (the input cannot be used as asked: exit 2)."""

    unreadable = True


def chromium_path() -> str | None:
    """Chromium: ``GOV_DISCLOSURE_CHROMIUM``, else the first on ``PATH``."""
    given = os.environ.get("GOV_DISCLOSURE_CHROMIUM")
    if given:
        return given if Path(given).is_file() else shutil.which(given)
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def to_pdf(report: Report, *, findings: Iterable[Finding] = ()) -> bytes:
    """Render a report as PDF: :func:`~gov_disclosure.rendering.to_html`, printed by Chromium.

    Raises:
        ChromiumNotFoundError: when Chromium is not installed.
        GovDisclosureError: when Chromium fails or times out.
    """
    from gov_disclosure.rendering.html import to_html

    chromium = chromium_path()
    if chromium is None:
        raise ChromiumNotFoundError(
            "PDF output needs headless Chromium (Debian: apt-get install chromium "
            "fonts-wqy-zenhei), or GOV_DISCLOSURE_CHROMIUM naming its executable"
        )
    with tempfile.TemporaryDirectory(prefix="gd-pdf-") as folder:
        page = Path(folder) / "report.html"
        page.write_text(to_html(report, findings=findings), encoding="utf-8")
        target = Path(folder) / "report.pdf"
        try:
            done = subprocess.run(
                [
                    chromium,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--no-pdf-header-footer",
                    f"--user-data-dir={Path(folder) / 'profile'}",
                    f"--print-to-pdf={target}",
                    page.as_uri(),
                ],
                capture_output=True,
                timeout=PRINT_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise GovDisclosureError(
                f"Chromium did not print the report in {PRINT_TIMEOUT:g} s"
            ) from None
        if not target.is_file():
            lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
            detail = lines[-1][:200] if lines else f"exit status {done.returncode}"
            raise GovDisclosureError(f"Chromium could not print the report ({detail})")
        return target.read_bytes()
