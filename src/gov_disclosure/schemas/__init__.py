"""Schema files for non-Python consumers: JSON Schema and XSD, generated from the model.

The generated files live in the repository's top-level ``schemas/`` folder and are shipped
inside the wheel as ``gov_disclosure/schemas/files``.
"""

from gov_disclosure.schemas.json_schema import (
    generate_json_schema,
    json_schema,
    json_schema_id,
    registry,
    render_json_schema,
    validate_json,
)
from gov_disclosure.schemas.shipped import load_rules, shipped_file

__all__ = [
    "generate_json_schema",
    "json_schema",
    "json_schema_id",
    "load_rules",
    "registry",
    "render_json_schema",
    "shipped_file",
    "validate_json",
]
