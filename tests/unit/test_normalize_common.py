"""The shared field parsers: placeholders, dates, exact decimals, CNAE codes, CPF stripping."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from radar.normalize.common import (
    clean_text,
    cnae_code,
    mask_document,
    parse_date,
    parse_datetime,
    parse_decimal,
    size_from_text,
    status_from_text,
    strip_cpf,
    yes_no,
)


@pytest.mark.parametrize("value", [None, "", "   ", "********", "*****", "**", "0", 0, True, {"a": 1}, []])
def test_placeholders_are_null(value: Any) -> None:
    assert clean_text(value) is None


def test_text_is_trimmed_and_single_spaced() -> None:
    assert clean_text("  JARDIM   BOTANICO ") == "JARDIM BOTANICO"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("31/01/1986", date(1986, 1, 31)),
        ("1986-01-31", date(1986, 1, 31)),
        ("2024-06-26T23:57:40.000Z", date(2024, 6, 26)),
        ("********", None),
        ("0", None),
        ("", None),
        ("31/02/2020", None),
        ("2020-13-01", None),
        ("00/00/0000", None),
        (None, None),
        (20200101, None),
    ],
)
def test_parse_date(value: Any, expected: date | None) -> None:
    assert parse_date(value) == expected


def test_parse_datetime_is_aware_utc() -> None:
    assert parse_datetime("2024-11-06T18:25:37.047Z") == datetime(2024, 11, 6, 18, 25, 37, 47000, tzinfo=UTC)
    assert parse_datetime("2024-11-06T18:25:37") == datetime(2024, 11, 6, 18, 25, 37, tzinfo=UTC)
    assert parse_datetime("2024-11-06T15:25:37-03:00") == datetime(2024, 11, 6, 18, 25, 37, tzinfo=UTC)
    assert parse_datetime("not a date") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("6983568523.86", "6983568523.86"),
        ("400000.00", "400000.00"),
        ("0.00", "0.00"),
        ("1.5", "1.50"),
        ("0,00", "0.00"),
        ("1.234.567,89", "1234567.89"),
        (1061004800, "1061004800.00"),
        (0, "0.00"),
        (6983568384.0, "6983568384.00"),
        (0.1, "0.10"),
        ("12.3456", "12.3456"),
        ("abc", None),
        ("", None),
        (None, None),
        (True, None),
        (float("nan"), None),
        ("Infinity", None),
    ],
)
def test_parse_decimal_is_exact(value: Any, expected: str | None) -> None:
    assert parse_decimal(value) == expected


@given(st.decimals(min_value=0, max_value=10**15, places=2, allow_nan=False, allow_infinity=False))
def test_decimal_strings_round_trip_exactly(value: Decimal) -> None:
    text = format(value, "f")
    parsed = parse_decimal(text)
    assert parsed is not None and Decimal(parsed) == value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (6021700, "6021700"),
        (220903, "0220903"),
        ("6021700", "6021700"),
        ("60.21-7-00", "6021700"),
        ("6021-7/00", "6021700"),
        ("00.00-0-00", None),
        (0, None),
        ("", None),
        ("123456789", None),
        (None, None),
    ],
)
def test_cnae_code(value: Any, expected: str | None) -> None:
    assert cnae_code(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Ativa", "ATIVA"), ("BAIXADA", "BAIXADA"), ("Inapta", "INAPTA"), ("suspensa", "SUSPENSA"), ("Nula", "NULA"),
     ("", None), ("Ativo", None), (None, None)],
)  # fmt: skip
def test_status_from_text(value: Any, expected: str | None) -> None:
    assert status_from_text(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("MICRO EMPRESA", "MICRO_EMPRESA"), ("Micro Empresa", "MICRO_EMPRESA"), ("ME", "MICRO_EMPRESA"),
     ("EMPRESA DE PEQUENO PORTE", "EMPRESA_DE_PEQUENO_PORTE"), ("Demais", "DEMAIS"), ("NÃO INFORMADO", None)],
)  # fmt: skip
def test_size_from_text(value: str, expected: str | None) -> None:
    assert size_from_text(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [("Sim", True), ("Não", False), ("NAO", False), (True, True), ("", None), (None, None)]
)
def test_yes_no(value: Any, expected: bool | None) -> None:
    assert yes_no(value) is expected


@pytest.mark.parametrize(
    ("name", "expected", "changed"),
    [
        ("JOAO DA SILVA 07869074799", "JOAO DA SILVA", True),
        ("JOAO DA SILVA - 078.690.747-99", "JOAO DA SILVA", True),
        ("07869074799 JOAO DA SILVA", "JOAO DA SILVA", True),
        ("12.345.678 JOAO DA SILVA", "12.345.678 JOAO DA SILVA", False),  # MEI names carry the CNPJ root
        ("EMPRESA 19131243000197 LTDA", "EMPRESA 19131243000197 LTDA", False),  # a 14-digit number is no CPF
        ("ACME LTDA", "ACME LTDA", False),
    ],
)
def test_strip_cpf(name: str, expected: str, changed: bool) -> None:
    assert strip_cpf(name) == (expected, changed)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("***050187**", "***050187**"),
        ("19131243000197", "19131243000197"),
        ("19.131.243/0001-97", "19131243000197"),
        ("07869074799", "***690747**"),  # an unmasked CPF is masked the way the RFB publishes it
        ("", None),
        (None, None),
    ],
)
def test_mask_document(value: Any, expected: str | None) -> None:
    assert mask_document(value) == expected
