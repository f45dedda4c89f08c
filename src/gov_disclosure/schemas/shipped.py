"""Where the generated schema files are read from at run time.

A wheel carries them as ``gov_disclosure/schemas/files/<edition>/``. An editable install
(``pip install -e .``) has no such folder: there the files are read from the repository's
own ``schemas/`` folder, which is what the wheel is built from, so both give the same bytes.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

from gov_disclosure.errors import GovDisclosureError
from gov_disclosure.model.report import report_class

__all__ = ["load_rules", "shipped_file"]

# src/gov_disclosure/schemas/shipped.py -> the repository root is three folders up from the
# package folder.
_SOURCE_TREE = Path(__file__).resolve().parents[3] / "schemas"


def _candidates(edition: str, name: str) -> list[Traversable]:
    return [
        resources.files("gov_disclosure") / "schemas" / "files" / edition / name,
        _SOURCE_TREE / edition / name,
    ]


def shipped_file(edition: str, name: str) -> bytes:
    """The bytes of a generated file (``report.schema.json``, ``report.xsd``, ``rules.json``).

    Raises:
        ValueError: for an unknown edition.
        GovDisclosureError: if the file is in neither the installed package nor the source tree.
    """
    report_class(edition)
    candidates = _candidates(edition, name)
    for path in candidates:
        try:
            return path.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            continue
    raise GovDisclosureError(
        f"{name} for edition {edition} is missing from the installed package ({candidates[0]}); "
        "reinstall gov-disclosure"
    )


@functools.cache
def load_rules(edition: str) -> dict[str, Any]:
    """The shipped rule set of an edition (``schemas/<edition>/rules.json``) as JSON data.

    This is the language-neutral export of :mod:`gov_disclosure.rules`, the file other
    implementations evaluate.

    Raises:
        ValueError: for an unknown edition.
    """
    data: dict[str, Any] = json.loads(shipped_file(edition, "rules.json"))
    return data
