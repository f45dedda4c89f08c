"""Regenerate the committed files: ``python -m gov_disclosure.schemas.build [ROOT]``.

Writes ``schemas/<edition>/{report.schema.json,report.xsd,rules.json}``,
the option files' schemas (:data:`FILE_SCHEMAS`) and the generated reference pages
``docs/reference/{schema,rules}.md`` under ROOT (default: the current directory, which should
be the repository root).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from gov_disclosure.model.report import EDITIONS
from gov_disclosure.rules.definitions import render_rules
from gov_disclosure.schemas.json_schema import render_json_schema
from gov_disclosure.schemas.reference import (
    render_api_reference,
    render_rules_reference,
    render_schema_reference,
)
from gov_disclosure.schemas.xsd import xsd_text

__all__ = [
    "DOC_PAGES",
    "FILE_SCHEMAS",
    "GENERATED_FILES",
    "main",
    "render_baseline_schema",
    "render_hierarchy_schema",
    "render_pack_schema",
    "write_all",
]


def render_baseline_schema() -> str:
    """``schemas/baseline.schema.json``: the baseline file's schema, for other tools."""
    import json

    from gov_disclosure.baseline import BASELINE_SCHEMA

    return json.dumps(BASELINE_SCHEMA, ensure_ascii=False, indent=2) + "\n"


def render_pack_schema() -> str:
    """``schemas/scoring-pack.schema.json``: the scoring pack file's schema, for other tools."""
    import json

    from gov_disclosure.scoring import PACK_SCHEMA

    return json.dumps(PACK_SCHEMA, ensure_ascii=False, indent=2) + "\n"


def render_hierarchy_schema() -> str:
    """``schemas/hierarchy.schema.json``: the roll-ups' hierarchy file schema, for other tools."""
    import json

    from gov_disclosure.rollups import HIERARCHY_SCHEMA

    return json.dumps(HIERARCHY_SCHEMA, ensure_ascii=False, indent=2) + "\n"


FILE_SCHEMAS: dict[str, Callable[[], str]] = {
    "baseline.schema.json": render_baseline_schema,
    "scoring-pack.schema.json": render_pack_schema,
    "hierarchy.schema.json": render_hierarchy_schema,
}
"""The schemas of our option files (``schemas/<name>``), for other tools."""


GENERATED_FILES: dict[str, Callable[[str], str]] = {
    "report.schema.json": render_json_schema,
    "report.xsd": xsd_text,
    "rules.json": render_rules,
}
"""File name → generator taking the edition key; one file per edition."""


DOC_PAGES: dict[str, Callable[[], str]] = {
    "docs/reference/schema.md": render_schema_reference,
    "docs/reference/rules.md": render_rules_reference,
    "docs/reference/api.md": render_api_reference,
}
"""Generated documentation pages (path under the repository root -> generator)."""


def write_all(root: Path) -> list[Path]:
    """Write every generated file under ``root``; returns the paths written."""
    written = []
    for relative, render_page in DOC_PAGES.items():
        page = root / relative
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(render_page(), encoding="utf-8")
        written.append(page)
    for name, render_schema in FILE_SCHEMAS.items():
        path = root / "schemas" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render_schema(), encoding="utf-8")
        written.append(path)
    for edition in EDITIONS:
        folder = root / "schemas" / edition
        folder.mkdir(parents=True, exist_ok=True)
        for name, render in GENERATED_FILES.items():
            path = folder / name
            path.write_text(render(edition), encoding="utf-8")
            written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(
        prog="python -m gov_disclosure.schemas.build",
        description="Regenerate schemas/<edition>/* and docs/reference/*.md from the model.",
    )
    parser.add_argument(
        "root",
        nargs="?",
        type=Path,
        default=Path.cwd(),
        help="the repository root (default: the current directory)",
    )
    args = parser.parse_args(argv)
    if not (args.root / "pyproject.toml").is_file():
        parser.error(f"{args.root} is not the repository root (no pyproject.toml)")
    for path in write_all(args.root):
        print(path)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
