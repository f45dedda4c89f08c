"""Generated schema files: committed, shipped in the wheel, and never drifting from the model."""

from __future__ import annotations

import json
from importlib import resources

import pytest

import gov_disclosure as gd
from gov_disclosure.schemas import generate_json_schema, json_schema_id, render_json_schema

from .conftest import REPO

EDITIONS = ["2021", "2019"]


@pytest.mark.parametrize("edition", EDITIONS)
def test_committed_json_schema_matches_the_generator(edition: str) -> None:
    committed = (REPO / "schemas" / edition / "report.schema.json").read_text(encoding="utf-8")
    assert committed == render_json_schema(edition), (
        "schemas/ drifted from the model: run `python -m gov_disclosure.schemas.build`"
    )


@pytest.mark.parametrize("edition", EDITIONS)
def test_installed_package_ships_the_schema_files(edition: str) -> None:
    shipped = (
        resources.files("gov_disclosure") / "schemas" / "files" / edition / "report.schema.json"
    )
    if not shipped.is_file():  # an editable install: the files come from the source tree
        assert (REPO / "src" / "gov_disclosure" / "__init__.py").samefile(gd.__file__)
    else:
        assert json.loads(shipped.read_text(encoding="utf-8")) == generate_json_schema(edition)
    assert gd.json_schema(edition) == generate_json_schema(edition)
    assert gd.load_rules(edition)["edition"] == edition


def test_editable_install_reads_the_source_tree(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    from gov_disclosure.schemas import shipped

    # an installed package folder without files/, as `pip install -e .` leaves it, beside
    # the repository's schemas/ folder (what _SOURCE_TREE is in an editable install)
    monkeypatch.setattr(shipped.resources, "files", lambda _: tmp_path)
    monkeypatch.setattr(shipped, "_SOURCE_TREE", REPO / "schemas")
    assert (
        shipped.shipped_file("2019", "report.xsd")
        == (REPO / "schemas/2019/report.xsd").read_bytes()
    )
    monkeypatch.setattr(shipped, "_SOURCE_TREE", tmp_path / "nowhere")
    with pytest.raises(gd.GovDisclosureError, match="missing from the installed package"):
        shipped.shipped_file("2019", "report.xsd")


@pytest.mark.parametrize("edition", EDITIONS)
def test_schema_identity_and_labels(edition: str) -> None:
    schema = gd.json_schema(edition)
    assert schema["$id"] == json_schema_id(edition) == f"urn:gov-disclosure:schema:{edition}:report"
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert edition in schema["title"]
    assert schema["properties"]["format"]["const"] == edition
    row = schema["$defs"]["ApplicantRow"]["properties"]
    assert row["natural_person"]["title"] == "自然人"
    assert row["natural_person"]["type"] == ["integer", "null"]
    assert row["natural_person"]["minimum"] == 0
    outcomes = schema["$defs"]["Outcomes"]["properties"]
    assert outcomes["withheld"]["title"] == "（三）不予公开"


def test_2021_other_accepts_both_shapes_and_2019_only_the_row() -> None:
    other21 = gd.json_schema("2021")["$defs"]["Outcomes"]["properties"]["other"]
    other19 = gd.json_schema("2019")["$defs"]["Outcomes"]["properties"]["other"]
    assert other21["oneOf"] == [{"$ref": "#/$defs/OtherOutcomes"}, {"$ref": "#/$defs/ApplicantRow"}]
    assert other19["$ref"] == "#/$defs/ApplicantRow"


def test_unknown_edition_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown template edition"):
        json_schema_id("2018")


def test_every_field_kind_has_an_entry_in_every_table_of_kinds() -> None:
    """A new FieldKind fails here until each table says how to handle it."""
    from typing import get_args

    from gov_disclosure.model.fields import FieldKind
    from gov_disclosure.schemas.json_schema import _LEAF_SCHEMAS
    from gov_disclosure.schemas.xsd import _ELEMENT_TYPES
    from gov_disclosure.serialization.converter import _FIELD_HOOKS
    from gov_disclosure.serialization.generated import _STRUCTURE_CALLS, _UNSTRUCTURE_EXPRESSIONS
    from gov_disclosure.serialization.xml_format import _DATA_READERS, _VALUE_READERS

    kinds = set(get_args(FieldKind))
    assert set(_LEAF_SCHEMAS) == kinds - {"group"}  # a group is a $ref to its class
    assert set(_FIELD_HOOKS) == kinds
    # a group is read by its class's own node
    assert set(_DATA_READERS) == set(_VALUE_READERS) == kinds - {"group"}
    # the generated fast path: a group calls its class's own function
    assert set(_STRUCTURE_CALLS) == set(_UNSTRUCTURE_EXPRESSIONS) == kinds - {"group"}
    assert set(_ELEMENT_TYPES) == kinds  # the XSD


def test_every_cell_kind_has_a_strategy() -> None:
    from gov_disclosure.model.fields import CELL_KINDS
    from gov_disclosure.strategies import _CELL_VALUES

    assert set(_CELL_VALUES) == CELL_KINDS
