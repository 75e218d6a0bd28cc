"""A batch request's body as entries: a JSON array (`{"cnpjs": [...]}` or the bare list) or a `text/csv` body (one
CNPJ per line, optional header, `;` `,` or tab separated with a `cnpj` column); then valid CNPJs vs problems."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from typing import Any

from radar.checks.schemas import MAX_BATCH, BatchCreate
from radar.cnpj import parse_cnpj
from radar.errors import InvalidCnpj, ValidationFailed

__all__ = ["Entry", "ValidEntry", "parse_batch_body", "split_entries"]

_DELIMITERS = (";", ",", "\t")
_HEADER_NAMES = frozenset({"cnpj", "cnpjs", "documento", "document"})


@dataclass(frozen=True, slots=True)
class Entry:
    """One submitted entry: its position among the batch's entries, its CSV line (None for JSON), the raw text."""

    index: int
    line: int | None
    raw: str


@dataclass(frozen=True, slots=True)
class ValidEntry:
    index: int
    line: int | None
    cnpj: str


def _too_many(count: int) -> ValidationFailed:
    return ValidationFailed(
        f"a batch holds at most {MAX_BATCH} CNPJs",
        details=[{"field": "cnpjs", "reason": "too_many", "message": f"{count} entries, max {MAX_BATCH}"}],
    )


def _empty() -> ValidationFailed:
    return ValidationFailed(
        "the batch is empty", details=[{"field": "cnpjs", "reason": "empty", "message": "send at least one CNPJ"}]
    )


def parse_batch_body(body: str | None, content_type: str) -> list[Entry]:
    """The entries of a JSON or CSV batch body; a malformed body is a 422 naming the field."""
    media = content_type.split(";", 1)[0].strip().lower()
    if media in ("text/csv", "application/csv", "text/plain"):
        return _csv_entries(body or "")
    return _json_entries(body or "")


def _json_entries(body: str) -> list[Entry]:
    try:
        data: Any = json.loads(body) if body.strip() else None
    except ValueError as exc:
        raise ValidationFailed(
            "the body is not valid JSON", details=[{"field": "body", "reason": "json_invalid", "message": str(exc)}]
        ) from exc
    if isinstance(data, list):
        data = {"cnpjs": data}
    if isinstance(data, dict) and isinstance(data.get("cnpjs"), list) and len(data["cnpjs"]) > MAX_BATCH:
        raise _too_many(len(data["cnpjs"]))
    from pydantic import ValidationError

    try:
        parsed = BatchCreate.model_validate(data)
    except ValidationError as exc:
        details = [
            {
                "field": ".".join(str(p) for p in err.get("loc", ())) or "body",
                "reason": err.get("type"),
                "message": err.get("msg"),
            }
            for err in exc.errors()
        ]
        raise ValidationFailed("invalid batch body", details=details) from exc
    return [Entry(index=i, line=None, raw=value) for i, value in enumerate(parsed.cnpjs)]


def _cells(line: str, delimiter: str | None) -> list[str]:
    if delimiter is None:
        return [line.strip().strip('"').strip()]
    return [cell.strip() for cell in next(csv.reader([line], delimiter=delimiter), [])]


def _csv_entries(body: str) -> list[Entry]:
    lines = body.lstrip("\ufeff").splitlines()
    numbered = [(number, line) for number, line in enumerate(lines, start=1) if line.strip()]
    if not numbered:
        raise _empty()
    first = numbered[0][1]
    delimiter = max(_DELIMITERS, key=first.count) if any(d in first for d in _DELIMITERS) else None
    column = 0
    header = _cells(first, delimiter)
    names = [cell.strip().lower() for cell in header]
    if any(name in _HEADER_NAMES for name in names):
        column = next(i for i, name in enumerate(names) if name in _HEADER_NAMES)
        numbered = numbered[1:]
    elif not any(ch.isdigit() for ch in first):
        if len(header) > 1:
            raise ValidationFailed(
                "the CSV header names no cnpj column",
                details=[{"field": "body", "reason": "no_cnpj_column", "message": f"line 1: {first[:80]}"}],
            )
        numbered = numbered[1:]  # a one-column header with another name ("CNPJ da empresa", "empresa")
    if len(numbered) > MAX_BATCH:
        raise _too_many(len(numbered))
    if not numbered:
        raise _empty()
    entries: list[Entry] = []
    for index, (number, line) in enumerate(numbered):
        cells = _cells(line, delimiter)
        entries.append(Entry(index=index, line=number, raw=cells[column] if column < len(cells) else ""))
    return entries


def _problem(entry: Entry, reason: str, message: str) -> dict[str, Any]:
    problem: dict[str, Any] = {"index": entry.index, "input": entry.raw[:32], "reason": reason, "message": message}
    if entry.line is not None:
        problem["line"] = entry.line
    return problem


def split_entries(entries: list[Entry]) -> tuple[list[ValidEntry], list[dict[str, Any]]]:
    """Valid CNPJs (first occurrence) and one problem per invalid or repeated entry (a repeat is checked once)."""
    valid: list[ValidEntry] = []
    problems: list[dict[str, Any]] = []
    seen: dict[str, Entry] = {}
    for entry in entries:
        try:
            cnpj = parse_cnpj(entry.raw).value
        except InvalidCnpj as exc:
            problems.append(_problem(entry, exc.reason, exc.message))
            continue
        first = seen.get(cnpj)
        if first is not None:
            where = f"line {first.line}" if first.line is not None else f"item {first.index}"
            problems.append(_problem(entry, "duplicate", f"same CNPJ as {where}; checked once"))
            continue
        seen[cnpj] = entry
        valid.append(ValidEntry(index=entry.index, line=entry.line, cnpj=cnpj))
    return valid, problems
