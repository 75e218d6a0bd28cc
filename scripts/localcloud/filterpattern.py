"""CloudWatch Logs metric filters, evaluated locally: moto stores them but never turns log lines into metrics.

Covers the JSON filter patterns the template uses: `{ $.a.b = "text" }`, `= 429`, `!=`, `*` wildcards in text,
`EXISTS` / `NOT EXISTS`, and conditions joined by `&&` / `||` with parentheses. Anything else fails when the
local cloud starts rather than quietly never matching.
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

__all__ = ["MetricFilter", "UnsupportedPattern", "compile_pattern"]

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<lparen>\() | (?P<rparen>\)) | (?P<and>&&) | (?P<or>\|\|)
      | (?P<selector>\$(?:\.[A-Za-z0-9_-]+|\[\d+\])+)
      | (?P<op>!=|=|>=|<=|>|<)
      | (?P<not_exists>NOT\s+EXISTS) | (?P<exists>EXISTS)
      | (?P<string>"(?:[^"\\]|\\.)*")
      | (?P<number>-?\d+(?:\.\d+)?)
      | (?P<bare>[A-Za-z_*][A-Za-z0-9_.*:/-]*)
    )""",
    re.VERBOSE,
)


class UnsupportedPattern(ValueError):
    """A filter pattern this evaluator does not understand."""


@dataclass(frozen=True)
class _Condition:
    path: tuple[str | int, ...]
    op: str
    value: str | float | None  # None: EXISTS / NOT EXISTS

    def matches(self, document: Any) -> bool:
        found, actual = _select(document, self.path)
        if self.op == "exists":
            return found
        if self.op == "not_exists":
            return not found
        if not found or actual is None or isinstance(actual, dict | list):
            return False
        if isinstance(self.value, float):
            try:
                number = float(actual)
            except (TypeError, ValueError):
                return False
            return {"=": number == self.value, "!=": number != self.value, ">": number > self.value,
                    "<": number < self.value, ">=": number >= self.value, "<=": number <= self.value}[self.op]
        text = actual if isinstance(actual, str) else json.dumps(actual)
        equal = fnmatch.fnmatchcase(text, str(self.value)) if "*" in str(self.value) else text == self.value
        return equal if self.op == "=" else not equal


def _select(document: Any, path: tuple[str | int, ...]) -> tuple[bool, Any]:
    current = document
    for step in path:
        in_list = isinstance(step, int) and isinstance(current, list) and step < len(current)
        in_object = isinstance(step, str) and isinstance(current, dict) and step in current
        if not (in_list or in_object):
            return False, None
        current = current[step]
    return True, current


@dataclass
class _Parser:
    tokens: list[tuple[str, str]]
    position: int = 0

    def peek(self) -> str | None:
        return self.tokens[self.position][0] if self.position < len(self.tokens) else None

    def take(self, kind: str) -> str:
        if self.peek() != kind:
            raise UnsupportedPattern(f"expected {kind} at token {self.position}")
        self.position += 1
        return self.tokens[self.position - 1][1]

    def expression(self) -> Any:
        return self._joined("or", self.conjunction)  # && binds tighter than ||

    def conjunction(self) -> Any:
        return self._joined("and", self.operand)

    def _joined(self, operator: str, operand: Callable[[], Any]) -> Any:
        node = operand()
        while self.peek() == operator:
            self.take(operator)
            node = (operator, node, operand())
        return node

    def operand(self) -> Any:
        if self.peek() == "lparen":
            self.take("lparen")
            node = self.expression()
            self.take("rparen")
            return node
        path = _path(self.take("selector"))
        if self.peek() in ("exists", "not_exists"):
            kind = self.peek()
            self.position += 1
            return _Condition(path, str(kind), None)
        op = self.take("op")
        kind = self.peek()
        raw = self.take(kind) if kind in ("string", "number", "bare") else ""
        if kind == "number":
            return _Condition(path, op, float(raw))
        if kind not in ("string", "bare") or op not in ("=", "!="):
            raise UnsupportedPattern(f"unsupported comparison {op} {raw!r}")
        return _Condition(path, op, json.loads(raw) if kind == "string" else raw)


def _path(selector: str) -> tuple[str | int, ...]:
    return tuple(int(step[1:-1]) if step.startswith("[") else step[1:]
                 for step in re.findall(r"\.[A-Za-z0-9_-]+|\[\d+\]", selector[1:]))


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    while position < len(text):
        found = _TOKEN.match(text, position)
        if found is None or found.end() == position:
            if text[position:].strip():
                raise UnsupportedPattern(f"cannot read {text[position:]!r}")
            break
        kind = found.lastgroup
        assert kind is not None
        tokens.append((kind, found.group(kind)))
        position = found.end()
    return tokens


def _evaluate(node: Any, document: Any) -> bool:
    if isinstance(node, _Condition):
        return node.matches(document)
    operator, left, right = node
    if operator == "and":
        return _evaluate(left, document) and _evaluate(right, document)
    return _evaluate(left, document) or _evaluate(right, document)


def compile_pattern(pattern: str) -> Any:
    """A predicate over one log line for a JSON filter pattern (`{ ... }`); the empty pattern matches every line."""
    text = pattern.strip()
    if not text:
        return lambda _line: True
    if not (text.startswith("{") and text.endswith("}")):
        raise UnsupportedPattern(f"only JSON filter patterns are evaluated locally: {pattern!r}")
    parser = _Parser(_tokens(text[1:-1]))
    tree = parser.expression()
    if parser.position != len(parser.tokens):
        raise UnsupportedPattern(f"unexpected text after the condition in {pattern!r}")

    def matches(line: str) -> bool:
        try:
            document = json.loads(line)
        except ValueError:
            return False  # JSON patterns never match a line that is not JSON
        return _evaluate(tree, document)

    return matches


@dataclass
class MetricFilter:
    """One AWS::Logs::MetricFilter: its log group, its pattern, and the metrics a matching line adds to."""

    log_group: str
    pattern: str
    transformations: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._matches = compile_pattern(self.pattern)
        for transformation in self.transformations:
            value = str(transformation.get("MetricValue", "1"))
            if value.startswith("$"):
                raise UnsupportedPattern(f"metric values taken from the line ({value}) are not evaluated locally")
            if transformation.get("Dimensions"):
                raise UnsupportedPattern("metric filter dimensions are not evaluated locally")

    def metric_data(self, line: str, timestamp_ms: int) -> list[tuple[str, dict[str, Any]]]:
        """[(namespace, datum)] for a matching line; nothing for any other (no DefaultValue datapoints)."""
        if not self._matches(line):
            return []
        when = datetime.fromtimestamp(timestamp_ms / 1000, tz=UTC)
        return [
            (str(t["MetricNamespace"]), {"MetricName": str(t["MetricName"]), "Value": float(t.get("MetricValue", 1)),
                                         "Unit": str(t.get("Unit", "None")), "Timestamp": when, "Dimensions": []})
            for t in self.transformations
        ]
