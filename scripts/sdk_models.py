"""Render the Python SDK's models and operation table (sdk/src/radar_sdk/models.py) from docs/openapi.json.

`python -m scripts.openapi` writes it with the spec, and `--check` (and tests/infra/test_openapi_drift.py) fails
when the committed module is not what the spec makes, so the SDK is typed from the contract itself.
"""

from __future__ import annotations

import json
import keyword
import re
from pathlib import Path
from typing import Any

__all__ = ["OUTPUT", "render"]

OUTPUT = Path(__file__).resolve().parents[1] / "sdk" / "src" / "radar_sdk" / "models.py"

_SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "null": "None"}
_FORMATS = {"date": "date", "date-time": "datetime"}

_HEADER = '''"""The API's shapes and operations, generated from docs/openapi.json by `make openapi`
(scripts/sdk_models.py).

Do not edit: the suite fails when this module is not what the spec makes. Models accept fields they do not know
(a newer API may add some), so an older SDK keeps working against a newer API.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field

'''

_BASE = '''

class ApiShape(BaseModel):
    """Base of every generated shape: unknown fields kept, fields settable by name or by their JSON alias."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, serialize_by_alias=True)


class Operation(NamedTuple):
    """One operation of the contract: its method, path template and the model of its success body (or None)."""

    method: str
    path: str
    status: int
    response: str | None

'''


def _lit(value: Any) -> str:
    """A Python literal, strings in double quotes like the rest of the code base."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else repr(value)


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _annotation(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return _ref_name(schema["$ref"])
    if "anyOf" in schema or "oneOf" in schema:
        variants = [_annotation(s) for s in schema.get("anyOf", schema.get("oneOf", []))]
        unique = list(dict.fromkeys(variants))
        return " | ".join(unique)
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return _annotation(schema["allOf"][0])
    if "enum" in schema:
        return "Literal[" + ", ".join(_lit(v) for v in schema["enum"]) + "]"
    if "const" in schema:
        return f"Literal[{_lit(schema['const'])}]"
    kind = schema.get("type")
    if kind == "array":
        return f"list[{_annotation(schema.get('items', {}))}]"
    if kind == "object":
        extra = schema.get("additionalProperties")
        return f"dict[str, {_annotation(extra)}]" if isinstance(extra, dict) and extra else "dict[str, Any]"
    if kind in _SCALARS:
        if kind == "string" and schema.get("format") in _FORMATS:
            return _FORMATS[schema["format"]]
        return _SCALARS[kind]
    return "Any"


def _field_name(name: str) -> str:
    python = re.sub(r"\W", "_", name)
    return python + "_" if keyword.iskeyword(python) or python in {"model_config", "schema"} else python


def _field(name: str, schema: dict[str, Any], required: bool) -> str:
    python = _field_name(name)
    annotation = _annotation(schema)
    args: list[str] = []
    if not required:
        default = schema.get("default")
        if isinstance(default, list) or (default is None and schema.get("type") == "array"):
            # An absent list is an empty one (the API leaves out the defaults of its list fields in the spec).
            args.append("default_factory=list")
        elif isinstance(default, dict):
            args.append("default_factory=dict")
        else:
            args.append(f"default={_lit(default)}")
            if default is None and "None" not in annotation.split(" | ") and annotation != "Any":
                annotation += " | None"
    if python != name:
        args.append(f"alias={_lit(name)}")
    if schema.get("description"):
        args.append(f"description={_lit(schema['description'])}")
    if not args:
        return f"    {python}: {annotation}"
    line = f"    {python}: {annotation} = Field({', '.join(args)})"
    if len(line) <= 120:
        return line
    inner = ",\n        ".join(args)
    return f"    {python}: {annotation} = Field(\n        {inner},\n    )"


def _model(name: str, schema: dict[str, Any]) -> str:
    lines = [f"class {name}(ApiShape):"]
    doc = schema.get("description") or schema.get("title") or name
    doc = " ".join(doc.split())
    lines.append(f'    """{doc}"""' if '"""' not in doc and len(doc) < 110 else f"    # {doc[:110]}")
    required = set(schema.get("required", []))
    properties = schema.get("properties", {})
    if properties:
        lines.append("")
    lines.extend(_field(prop, sub, prop in required) for prop, sub in properties.items())
    return "\n".join(lines)


def _success(operation: dict[str, Any]) -> tuple[int, str | None]:
    for status in sorted(operation.get("responses", {})):
        if status.startswith("2"):
            schema = operation["responses"][status].get("content", {}).get("application/json", {}).get("schema", {})
            return int(status), (_ref_name(schema["$ref"]) if "$ref" in schema else None)
    return 200, None


def render(spec: dict[str, Any]) -> str:
    schemas = spec.get("components", {}).get("schemas", {})
    parts = [_HEADER.rstrip("\n"), "", "__all__ = [", '    "OPERATIONS",']
    parts += [f'    "{name}",' for name in sorted([*schemas, "ApiShape", "Operation"])]
    parts += ["]", _BASE.rstrip("\n")]
    for name in sorted(schemas):
        parts += ["", "", _model(name, schemas[name])]
    operations = []
    for path, item in sorted(spec.get("paths", {}).items()):
        for method, operation in sorted(item.items()):
            status, response = _success(operation)
            operations.append(
                f"    {_lit(operation['operationId'])}: Operation({_lit(method.upper())}, {_lit(path)}, {status}, "
                f"{_lit(response) if response else None}),"
            )
    parts += ["", "", "# operationId -> the operation, for every operation of the contract.",
              "OPERATIONS: dict[str, Operation] = {", *sorted(operations), "}", "", "",
              "for _model in list(globals().values()):",
              "    if isinstance(_model, type) and issubclass(_model, ApiShape) and _model is not ApiShape:",
              "        _model.model_rebuild()", ""]
    return "\n".join(parts)
