"""The language-neutral conformance suite under conformance/ agrees with this implementation."""

from __future__ import annotations

import json

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
