"""Batch bodies: JSON (object or bare array) and CSV (header or not, masked or bare, ; , or tab with a cnpj column),
invalid and repeated entries with their index and CSV line."""

from __future__ import annotations

import json

import pytest

from radar.checks.batchinput import parse_batch_body, split_entries
from radar.errors import ValidationFailed

ACME, OTHER = "19131243000197", "33683111000280"


def test_json_object_and_bare_array_give_the_same_entries() -> None:
    as_object = parse_batch_body(json.dumps({"cnpjs": [ACME, "x"]}), "application/json")
    as_array = parse_batch_body(json.dumps([ACME, "x"]), "application/json; charset=utf-8")
    assert as_object == as_array
    assert [(e.index, e.line, e.raw) for e in as_object] == [(0, None, ACME), (1, None, "x")]


@pytest.mark.parametrize(
    "body",
    [
        f"{ACME}\n{OTHER}\n",
        f"cnpj\n19.131.243/0001-97\n{OTHER}",
        f"nome;cnpj;uf\nAcme;19.131.243/0001-97;SP\nOutra;{OTHER};RJ\n",
        f'name,CNPJ\n"Acme, Ltda",{ACME}\nOther,"33.683.111/0002-80"\n',
        f"CNPJ\tname\r\n{ACME}\tAcme\r\n\r\n{OTHER}\tOther\r\n",
        f"\ufeffCNPJ da empresa\n{ACME}\n{OTHER}\n",
    ],
)
def test_csv_forms_give_the_cnpj_column(body: str) -> None:
    entries = parse_batch_body(body, "text/csv")
    valid, problems = split_entries(entries)
    assert [v.cnpj for v in valid][:1] == [ACME] and len(entries) == 2
    assert all(p["reason"] == "wrong_check_digits" for p in problems)  # only the 0002-80 line is made up


def test_invalid_and_repeated_lines_are_named_by_line_number() -> None:
    body = f"cnpj\n{ACME}\n\nnot-a-cnpj\n19.131.243/0001-97\n{OTHER}\n11111111111111\n"
    valid, problems = split_entries(parse_batch_body(body, "text/csv"))
    assert [(v.index, v.line, v.cnpj) for v in valid] == [(0, 2, ACME), (3, 6, OTHER)]
    assert [(p["line"], p["index"], p["reason"]) for p in problems] == [
        (4, 1, "wrong_length"),
        (5, 2, "duplicate"),
        (7, 4, "repeated_character"),
    ]
    assert problems[1]["message"] == "same CNPJ as line 2; checked once"


def test_a_json_repeat_names_the_first_item() -> None:
    _, problems = split_entries(parse_batch_body(json.dumps([ACME, OTHER, ACME]), "application/json"))
    assert [(p["index"], "line" in p, p["message"]) for p in problems] == [
        (2, False, "same CNPJ as item 0; checked once")
    ]


@pytest.mark.parametrize(
    ("body", "media", "field", "reason"),
    [
        ("", "text/csv", "cnpjs", "empty"),
        ("cnpj\n\n", "text/csv", "cnpjs", "empty"),
        ("nome;uf\nAcme;SP\n", "text/csv", "body", "no_cnpj_column"),
        ("\n".join([ACME] * 10_001), "text/csv", "cnpjs", "too_many"),
        (json.dumps([ACME] * 10_001), "application/json", "cnpjs", "too_many"),
        ("{not json", "application/json", "body", "json_invalid"),
        (json.dumps({"cnpjs": [1]}), "application/json", "cnpjs.0", "string_type"),
        (json.dumps({"cnpjs": [ACME], "extra": 1}), "application/json", "extra", "extra_forbidden"),
    ],
)
def test_malformed_bodies_are_422_naming_the_field(body: str, media: str, field: str, reason: str) -> None:
    with pytest.raises(ValidationFailed) as raised:
        parse_batch_body(body, media)
    detail = raised.value.details[0]
    assert (detail["field"], detail["reason"]) == (field, reason)


def test_10000_lines_are_accepted() -> None:
    entries = parse_batch_body("cnpj\n" + "\n".join([ACME] * 10_000), "text/csv")
    assert len(entries) == 10_000 and entries[-1].line == 10_001
