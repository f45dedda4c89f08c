r"""Legacy word-processor files (.doc, .wps, .rtf, .odt, .docm) through LibreOffice headless.

Such a file is recognised by its signature, never decoded as text: an OLE2 compound file
(``D0 CF 11 E0 A1 B1 1A E1``: Word 97-2003 ``.doc`` and Kingsoft ``.wps``), RTF (``{\rtf``),
an OpenDocument text (a zip whose ``mimetype`` names ``opendocument.text``) or a macro-enabled
Word file (``.docm``). LibreOffice converts it to DOCX, which the DOCX path reads.

The conversion runs ``soffice --headless`` as a child process with

* a private user profile per call (``-env:UserInstallation``), so parallel workers never share
  (and never lock) one profile, and nothing of the user's own profile is read;
* macros never run (the profile is new and LibreOffice's default security level does not
  run document macros without a prompt, which headless mode never answers);
* a time limit (:data:`CONVERT_TIMEOUT`) after which the whole process group is killed, and an
  address-space limit (:data:`CONVERT_MEMORY`) on the child where the platform has ``RLIMIT_AS``;
* a temporary folder that is removed whatever happens.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import subprocess
import tempfile
import zipfile
from pathlib import Path

from gov_disclosure.errors import ParseError
from gov_disclosure.parsing.docx import ZIP_ERRORS

__all__ = [
    "CONVERT_MEMORY",
    "CONVERT_TIMEOUT",
    "LEGACY_KINDS",
    "convert",
    "convert_to_docx",
    "legacy_kind",
    "soffice_path",
]

LEGACY_KINDS = {
    "doc": "a legacy Word or WPS file (.doc/.wps)",
    "rtf": "an RTF file",
    "odt": "an OpenDocument text file (.odt)",
    "docm": "a macro-enabled Word file (.docm)",
}
"""Input kinds read through LibreOffice, and how messages name them."""

CONVERT_TIMEOUT = 60.0
"""Seconds one conversion may take before LibreOffice is killed (a report takes 1-3 s)."""

CONVERT_MEMORY = 2 * 1024**3
"""Address space the LibreOffice child may map (bytes); past it the conversion fails."""

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
_SUFFIX = {"doc": ".doc", "rtf": ".rtf", "odt": ".odt", "docm": ".docm"}


def legacy_kind(data: bytes, name: str | None = None) -> str | None:
    """The legacy kind of ``data`` by its signature (``doc``, ``rtf``, ``odt``, ``docm``), or None.

    The name only tells a ``.docm`` from a ``.docx`` inside a zip when the content types do not.
    """
    if data.startswith(_OLE2):
        return "doc"
    if data.lstrip()[:5] == b"{\\rtf":
        return "rtf"
    if data.startswith(b"PK\x03\x04"):
        # the ODF mimetype is the first member, stored uncompressed, by the specification
        if _ODT_MIMETYPE in data[:200]:
            return "odt"
        # the content types read in a bounded read: a bomb stays shut
        with (
            contextlib.suppress(*ZIP_ERRORS),
            zipfile.ZipFile(io.BytesIO(data)) as archive,
            archive.open("[Content_Types].xml") as types,
        ):
            if b"macroEnabled" in types.read(65536):
                return "docm"
        if (name or "").lower().endswith(".docm"):
            return "docm"
    return None


def soffice_path() -> str | None:
    """The LibreOffice executable on PATH (``soffice`` or ``libreoffice``), if any."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _limited(command: list[str]) -> list[str]:
    """``command`` run under the address-space limit, through ``/bin/sh``'s ``ulimit -v``.

    Not ``preexec_fn``: Python runs it between fork and exec, which can deadlock the child
    (and ``Popen`` in the parent, waiting for the exec) when the caller has threads, as an
    OCR engine or a Dask client has.
    """
    if os.name != "posix" or not Path("/bin/sh").exists():
        return command
    kib = CONVERT_MEMORY // 1024
    return ["/bin/sh", "-c", f'ulimit -v {kib} 2>/dev/null; exec "$0" "$@"', *command]


def convert_to_docx(
    data: bytes, kind: str, *, name: str | None = None, timeout: float = CONVERT_TIMEOUT
) -> bytes:
    """Convert a legacy word-processor file to DOCX with LibreOffice headless.

    Args:
        data: The file's bytes.
        kind: Its legacy kind (:func:`legacy_kind`).
        name: A name for messages.
        timeout: Seconds before LibreOffice is killed.

    Returns:
        The DOCX bytes.

    Raises:
        ParseError: when LibreOffice is not installed (``unreadable``), times out, or cannot
            convert the file.
    """
    return convert(
        data,
        _SUFFIX.get(kind, ".doc"),
        "docx:MS Word 2007 XML",
        what=LEGACY_KINDS.get(kind, kind),
        name=name,
        timeout=timeout,
    )


def convert(
    data: bytes,
    suffix: str,
    target: str,
    *,
    what: str = "the document",
    name: str | None = None,
    timeout: float = CONVERT_TIMEOUT,
) -> bytes:
    """Convert a file with LibreOffice headless, in a private folder and profile.

    The child runs with a memory limit (:data:`CONVERT_MEMORY`) in its own process group, so
    a timeout kills LibreOffice and its helpers.

    Args:
        data: The file's bytes.
        suffix: Its file suffix (``.doc``, ``.docx``...): LibreOffice picks the import filter
            by it.
        target: LibreOffice's ``--convert-to`` argument (``pdf``, ``html``,
            ``docx:MS Word 2007 XML``); its part before ``:`` is the output suffix.
        what: How messages name the file.
        name: A name for messages.
        timeout: Seconds before LibreOffice is killed.

    Returns:
        The converted file's bytes.

    Raises:
        ParseError: when LibreOffice is not installed (``unreadable``), times out, or cannot
            convert the file.
    """
    soffice = soffice_path()
    if soffice is None:
        raise ParseError(
            f"{what}: reading it needs LibreOffice (soffice on PATH; Debian: apt-get install "
            "libreoffice-writer-nogui fonts-wqy-zenhei)",
            location=name,
            unreadable=True,
        )
    with tempfile.TemporaryDirectory(prefix="gd-soffice-") as tmp:
        folder = Path(tmp)
        source = folder / f"report{suffix}"
        source.write_bytes(data)
        out = folder / "out"
        command = [
            soffice,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            str(source),
        ]
        child = subprocess.Popen(
            _limited(command),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            # its own process group, so that a timeout kills LibreOffice and its helpers
            start_new_session=os.name == "posix",
            env={**os.environ, "HOME": str(folder)},
        )
        try:
            _, err = child.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(child)
            raise ParseError(
                f"{what}: LibreOffice did not finish converting it in {timeout:g} s",
                location=name,
            ) from None
        converted = out / f"report.{target.split(':')[0]}"
        if child.returncode != 0 or not converted.is_file():
            detail = err.decode("utf-8", "replace").strip().splitlines()
            reason = detail[-1][:200] if detail else f"exit status {child.returncode}"
            raise ParseError(f"{what}: LibreOffice could not convert it ({reason})", location=name)
        return converted.read_bytes()


def _kill(child: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(child.pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError):
        child.kill()
    child.communicate()
