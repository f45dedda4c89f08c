"""The language-neutral conformance suite under conformance/ agrees with this implementation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import gov_disclosure as gd

from .conftest import REPO

MANIFEST = json.loads((REPO / "conformance" / "manifest.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", MANIFEST["cases"], ids=lambda c: c["file"])
def test_conformance_case(case: dict[str, object]) -> None:
    document = json.loads((REPO / "conformance" / str(case["file"])).read_text(encoding="utf-8"))
    assert (gd.validate_json(document) == []) is case["schema_valid"]
    if not case["schema_valid"]:
        with pytest.raises(gd.DocumentError):
            gd.from_dict(document)
        return
    report = gd.from_dict(document)
    previous = None
    if "previous" in case:
        previous = gd.read_document(REPO / "conformance" / str(case["previous"]))
    result = gd.check(report, previous=previous)
    found = sorted({f.rule for f in result.findings if f.severity != "info"})
    assert found == case["rules"]
    not_assessable = sorted({f.rule for f in result.findings if f.unread})
    assert not_assessable == case.get("not_assessable", [])
    assert gd.from_xml(gd.to_xml(report)) == report


# --- the schema files in non-Python consumers (issue 26 §3) ----------------------------------


def _node_modules() -> Path | None:
    """Where Ajv is installed: GOV_DISCLOSURE_NODE_MODULES, or .ci/npm (made by .ci/run)."""
    import os

    for candidate in (
        os.environ.get("GOV_DISCLOSURE_NODE_MODULES"),
        REPO / ".ci" / "npm" / "node_modules",
    ):
        if (
            candidate
            and (Path(candidate) / "ajv").is_dir()
            and (Path(candidate) / "ajv-formats").is_dir()
        ):
            return Path(candidate)
    return None


def test_ajv_strict_mode_validates_the_suite_as_the_manifest_says() -> None:
    import os
    import shutil
    import subprocess

    node, modules = shutil.which("node"), _node_modules()
    if node is None or modules is None:
        pytest.skip(
            "node and Ajv (npm install --prefix .ci/npm ajv@8 ajv-formats@3) are not installed"
        )
    done = subprocess.run(
        [node, str(REPO / "conformance" / "validate-with-ajv.js"), str(REPO)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NODE_PATH": str(modules)},
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr  # strict compile, every verdict
    verdicts = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(verdicts) == len(
        json.loads((REPO / "conformance" / "manifest.json").read_text())["cases"]
    )


def test_xmllint_validates_the_xml_of_the_valid_cases(tmp_path: Path) -> None:
    import shutil
    import subprocess

    xmllint = shutil.which("xmllint")
    if xmllint is None:
        pytest.skip("xmllint (Debian: libxml2-utils) is not installed")
    manifest = json.loads((REPO / "conformance" / "manifest.json").read_text(encoding="utf-8"))
    checked = 0
    for case in manifest["cases"]:
        if not case["schema_valid"]:
            continue
        report = gd.loads((REPO / "conformance" / case["file"]).read_bytes())
        path = tmp_path / Path(case["file"]).with_suffix(".xml").name
        path.write_bytes(gd.to_xml(report))
        done = subprocess.run(
            [
                xmllint,
                "--noout",
                "--schema",
                str(REPO / "schemas" / report.format / "report.xsd"),
                str(path),
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, (case["file"], done.stderr[-500:])
        checked += 1
    assert checked >= 10


def _node_with(*packages: str) -> tuple[str, Path]:
    import shutil

    node, modules = shutil.which("node"), _node_modules()
    if node is None or modules is None or not all((modules / p).is_dir() for p in packages):
        pytest.skip(
            f"node and {', '.join(packages)} (npm install --prefix .ci/npm) are not installed"
        )
    return node, modules


def test_the_typescript_declarations_match_the_json_schema() -> None:
    import os
    import subprocess

    node, modules = _node_with("json-schema-to-typescript")
    for edition in ("2021", "2019"):
        generated = subprocess.run(
            [node, str(REPO / "conformance" / "typescript.js"), "generate", edition, str(REPO)],
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "NODE_PATH": str(modules)},
            check=True,
        ).stdout
        committed = (REPO / "schemas" / edition / "report.d.ts").read_text(encoding="utf-8")
        assert generated == committed, (
            f"schemas/{edition}/report.d.ts drifted: node conformance/typescript.js generate {edition}"
        )


def test_tsc_strict_accepts_every_valid_case() -> None:
    import os
    import subprocess

    node, modules = _node_with("typescript")
    done = subprocess.run(
        [node, str(REPO / "conformance" / "typescript.js"), "check", str(REPO)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NODE_PATH": str(modules)},
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout.splitlines()[-1])["checked"] >= 10


@pytest.mark.parametrize(
    ("schema", "valid", "invalid"),
    [
        (
            "scoring-pack.schema.json",
            json.loads((REPO / "src/gov_disclosure/scoring/packs/default.json").read_text("utf-8")),
            {"format_version": 1, "id": "x", "version": "1", "item": "i", "points": -1},
        ),
        (
            "hierarchy.schema.json",
            {
                "format_version": 1,
                "parents": [
                    {
                        "name": "沭阳县人民政府",
                        "aliases": ["沐阳县人民政府"],
                        "report": "own",
                        "children": ["沭阳县发展和改革局", {"name": "沭阳县教育局"}],
                    }
                ],
            },
            {"format_version": 1, "parents": [{"name": "A", "children": [], "report": "mine"}]},
        ),
        (
            "baseline.schema.json",
            {"version": 1, "accepted": [{"agency": "A", "year": 2023, "fingerprint": "0" * 16}]},
            {"version": 1, "accepted": [{"agency": "A", "year": 2023, "fingerprint": "x"}]},
        ),
    ],
)
def test_ajv_strict_mode_compiles_the_option_file_schemas_and_agrees_with_ours(
    tmp_path: Path, schema: str, valid: dict[str, object], invalid: dict[str, object]
) -> None:
    import os
    import shutil
    import subprocess

    import jsonschema

    node, modules = shutil.which("node"), _node_modules()
    if node is None or modules is None:
        pytest.skip(
            "node and Ajv (npm install --prefix .ci/npm ajv@8 ajv-formats@3) are not installed"
        )
    files = []
    for name, document in (("valid.json", valid), ("invalid.json", invalid)):
        (tmp_path / name).write_text(json.dumps(document, ensure_ascii=False), "utf-8")
        files.append(str(tmp_path / name))
    script = REPO / "conformance" / "validate-option-files.js"
    done = subprocess.run(
        [node, str(script), str(REPO), schema, *files],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NODE_PATH": str(modules)},
        check=False,
    )
    assert done.returncode == 0, done.stderr  # compiled in strict mode
    verdicts = [json.loads(line)["valid"] for line in done.stdout.splitlines()]
    shipped = json.loads((REPO / "schemas" / schema).read_text("utf-8"))
    ours = [jsonschema.Draft202012Validator(shipped).is_valid(d) for d in (valid, invalid)]
    assert verdicts == ours == [True, False]
