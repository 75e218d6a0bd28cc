"""Stripe's form encoding (`metadata[k]=v`, `line_items[0][price]=p`, `expand[]=x`) into nested dicts and lists,
and the coercions Stripe applies to form strings (integers, booleans), with its error messages."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

from scripts.billing_sandbox.errors import StripeApiError, invalid

__all__ = ["decode_form", "to_bool", "to_int", "to_str_map"]

_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")
_PART = re.compile(r"\[([^\[\]]*)\]")


def decode_form(body: str) -> dict[str, Any]:
    """`a[b][0][c]=1&expand[]=x` -> {"a": {"b": [{"c": "1"}]}, "expand": ["x"]}. Numeric and empty brackets make
    lists (indices ordered, gaps closed); a malformed key or a key used both as a value and a hash is a 400."""
    root: dict[str, Any] = {}
    for key, value in parse_qsl(body, keep_blank_values=True, strict_parsing=False):
        match = _KEY.match(key)
        if match is None:
            raise invalid(key, f"Invalid parameter name: {key}", code="parameter_unknown")
        path = [match.group(1), *_PART.findall(match.group(2))]
        _assign(root, path, value, key)
    return _listify(root)


def _assign(node: dict[str, Any], path: list[str], value: str, key: str) -> None:
    for index, part in enumerate(path):
        last = index == len(path) - 1
        if part == "":
            part = f"#{len(node)}"  # `[]` appends: a fresh slot, ordered after the existing ones
        if last:
            if isinstance(node.get(part), dict):
                raise invalid(key, f"Invalid hash: {key} was given both as a value and as a hash")
            node[part] = value
            return
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            raise invalid(key, f"Invalid hash: {key} was given both as a value and as a hash")
        node = child


def _listify(node: dict[str, Any]) -> Any:
    converted = {k: _listify(v) if isinstance(v, dict) else v for k, v in node.items()}
    keys = list(converted)
    if keys and all(k.isdigit() or k.startswith("#") for k in keys):
        ordered = sorted(keys, key=lambda k: (k.startswith("#"), int(k.lstrip("#"))))
        return [converted[k] for k in ordered]
    return converted


def to_int(param: str, value: Any, *, minimum: int | None = None) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        number = int(value.strip())
    else:
        raise invalid(param, f"Invalid integer: {value}", code="parameter_invalid_integer")
    if minimum is not None and number < minimum:
        raise invalid(param, f"This value must be greater than or equal to {minimum}.")
    return number


def to_bool(param: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise invalid(param, f"Invalid boolean: {value}")


def to_str_map(param: str, value: Any, current: dict[str, str] | None = None) -> dict[str, str]:
    """Stripe metadata semantics: keys merge into `current`; an empty value unsets a key; `metadata=` clears all."""
    result = dict(current or {})
    if value == "":
        return {}
    if isinstance(value, list):  # all-numeric keys (metadata[0]=...) decode as a list
        value = {str(i): v for i, v in enumerate(value)}
    if not isinstance(value, dict):
        raise invalid(param, f"Invalid object: {param} must be a hash of strings")
    for key, item in value.items():
        if not isinstance(item, str):
            raise invalid(f"{param}[{key}]", f"Invalid string: {param}[{key}] must be a string")
        if len(key) > 40:
            raise invalid(f"{param}[{key}]", "Metadata keys can have up to 40 characters.")
        if len(item) > 500:
            raise invalid(f"{param}[{key}]", "Metadata values can have up to 500 characters.")
        if item == "":
            result.pop(key, None)
        else:
            result[key] = item
    if len(result) > 50:
        raise StripeApiError(400, "Metadata can have up to 50 keys.", code="parameter_invalid", param=param)
    return result
