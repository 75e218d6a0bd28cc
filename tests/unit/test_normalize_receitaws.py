"""ReceitaWS payloads (real captures in the shared fixtures) normalize to the expected reports."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from radar.normalize import MalformedPayload, normalize_receitaws
from tests.unit.fakes import fixture, fixture_names

FETCHED = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def _dump(payload: Any, **kwargs: Any) -> dict[str, Any]:
    return normalize_receitaws(payload, fetched_at=FETCHED, **kwargs).model_dump(mode="json")


def _subset(report: dict[str, Any], expected: dict[str, Any]) -> dict[str, Any]:
    return {key: report[key] for key in expected}


def test_every_receitaws_ok_fixture_normalizes_and_serializes() -> None:
    names = [n for n in fixture_names("receitaws_") if "error" not in n]
    assert len(names) >= 5
    for name in names:
        report = _dump(fixture(name))
        assert report["source"] == "receitaws"
        assert report["address"] is None or report["address"]["city_ibge_code"] is None
        assert json.loads(json.dumps(report)) == report


def test_globo_current_format() -> None:
    report = _dump(fixture("receitaws_27865757000102.json"), expected_cnpj="27865757000102")
    expected = {
        "cnpj": "27865757000102",
        "cnpj_formatted": "27.865.757/0001-02",
        "legal_name": "GLOBO COMUNICACAO E PARTICIPACOES S/A",
        "trade_name": "TV/REDE/CANAIS/G2C+GLOBO GLOBO.COM GLOBOPLAY",
        "status": "ATIVA",
        "status_date": "2005-11-03",
        "status_reason": None,
        "opened_on": "1986-01-31",
        "head_office": True,
        "main_cnae": "6021700",
        "main_cnae_description": "Atividades de televisão aberta",
        "legal_nature": {"code": "2054", "description": "Sociedade Anônima Fechada"},
        "size": "DEMAIS",
        "share_capital": "6983568523.86",
        "address": {
            "street_type": None,
            "street": "R LOPES QUINTAS",
            "number": "303",
            "complement": None,
            "district": "JARDIM BOTANICO",
            "zip_code": "22460901",
            "city": "RIO DE JANEIRO",
            "city_ibge_code": None,
            "state": "RJ",
            "country": "Brasil",  # ReceitaWS has no country; a Brazilian state means Brazil
        },
        "contact": {"phones": ["2121554551", "2121554552"], "email": None},
        "simples": False,
        "mei": False,
        "tax_option_dates": None,
        "state_registrations": [],
        "source": "receitaws",
        "fetched_at": "2026-11-01T12:00:00Z",
        "source_updated_at": "2024-11-06T18:25:37.047000Z",
        "partial": True,
        "partial_reasons": ["partners_without_documents"],
        "personal_data_redacted": False,
    }
    assert _subset(report, expected) == expected
    assert len(report["secondary_cnaes"]) == 20
    assert report["secondary_cnaes"][0] == "5911102"
    assert report["partners"][0] == {
        "name": "PAULO DAUDT MARINHO",
        "document": None,
        "kind": None,
        "role": "Diretor",
        "role_code": "10",
        "joined_on": None,
        "age_range": None,
        "country": None,
    }
    assert len(report["partners"]) == 5


def test_2019_format_ltda_with_six_partners() -> None:
    report = _dump(fixture("receitaws_06151649000190.json"))
    expected = {
        "cnpj": "06151649000190",
        "legal_name": "D. M. BARROS & CIA LTDA",
        "trade_name": "RESIDENCIAL SOLAR DAS PAINEIRAS",
        "status": "ATIVA",
        "status_date": "2004-10-23",
        "opened_on": "2004-03-16",
        "head_office": True,
        "main_cnae": "6810201",
        "secondary_cnaes": ["4110700", "4120400", "6810202"],
        "legal_nature": {"code": "2062", "description": "Sociedade Empresária Limitada"},
        "size": "DEMAIS",
        "share_capital": "190000.00",
        "contact": {"phones": ["6232416330", "6232141598"], "email": "dmbarrosecia@hotmail.com"},
        "simples": None,
        "mei": None,
        "source_updated_at": "2019-10-16T04:25:32.346000Z",
        "partial_reasons": ["partners_without_documents", "simples_unavailable"],
    }
    assert _subset(report, expected) == expected
    assert report["address"]["zip_code"] == "74180050"
    assert report["address"]["complement"] == "QUADRA260 LOTE 7E SALA 32"
    assert [(p["role_code"], p["role"]) for p in report["partners"]] == [("49", "Sócio-Administrador")] + [
        ("22", "Sócio")
    ] * 5


def test_2015_format_with_asterisk_placeholders() -> None:
    report = _dump(fixture("receitaws_60580263000149.json"))
    expected = {
        "cnpj": "60580263000149",
        "legal_name": "ALBANY INTERNATIONAL TECIDOS TECNICOS LTDA.",
        "trade_name": None,  # "********"
        "status": "ATIVA",
        "opened_on": "1966-08-26",
        "main_cnae": "1354500",
        "legal_nature": {"code": "2062", "description": "SOCIEDADE EMPRESARIA LIMITADA"},
        "size": None,
        "share_capital": None,
        "contact": None,
        "source_updated_at": None,
        "partners": [],
        "partial": True,
        "partial_reasons": ["partners_unavailable", "simples_unavailable", "share_capital_missing"],
    }
    assert _subset(report, expected) == expected
    assert report["address"]["city"] == "INDAIAL" and report["address"]["zip_code"] == "89130000"


def test_baixada_branch_with_masked_fields() -> None:
    report = _dump(fixture("receitaws_03420926004979_baixada_filial.json"))
    expected = {
        "cnpj": "03420926004979",
        "legal_name": "GLOBAL VILLAGE TELECOM S.A.",
        "trade_name": "GLOBAL VILLAGE TELECOM",
        "status": "BAIXADA",
        "status_date": "2008-02-18",
        "status_reason": "EXTINCAO P/ ENC LIQ VOLUNTARIA",
        "opened_on": "2001-09-13",
        "head_office": False,
        "main_cnae": None,  # 00.00-0-00 / ********
        "main_cnae_description": None,
        "secondary_cnaes": [],  # 00.00-0-00 "Não informada"
        "legal_nature": {"code": "2054", "description": "SOCIEDADE ANONIMA FECHADA"},
        "address": None,  # every address field is masked, uf "**" included
        "contact": None,  # "(67) 3215-839" is a fragment
        "partial": True,
    }
    assert _subset(report, expected) == expected
    assert "main_cnae_missing" in report["partial_reasons"]
    assert "address_missing" in report["partial_reasons"]


def test_baixada_sole_proprietor_gets_privacy() -> None:
    report = _dump(fixture("receitaws_12345678000195_baixada_REDACTED.json"))
    expected = {
        "cnpj": "12345678000195",
        "status": "BAIXADA",
        "status_date": "2013-06-17",
        "status_reason": "Extinção Por Encerramento Liquidação Voluntária",
        "opened_on": "2010-08-07",
        "main_cnae": None,
        "secondary_cnaes": [],
        "legal_nature": {"code": "2135", "description": "Empresário (Individual)"},
        "size": "MICRO_EMPRESA",
        "share_capital": "0.00",
        "simples": False,
        "mei": False,
        "tax_option_dates": {
            "simples_opted_on": "2010-08-07",
            "simples_excluded_on": "2013-06-17",
            "mei_opted_on": "2010-08-07",
            "mei_excluded_on": "2013-06-17",
        },
        "contact": None,
        "personal_data_redacted": True,
        "partial_reasons": ["main_cnae_missing"],
    }
    assert _subset(report, expected) == expected
    assert report["address"] == {
        "street_type": None,
        "street": None,
        "number": None,
        "complement": None,
        "district": "[REDACTED]",
        "zip_code": "11330200",  # "11.330-200": the CEP stays for sole proprietors
        "city": "SAO VICENTE",
        "city_ibge_code": None,
        "state": "SP",
        "country": "Brasil",
    }


def test_full_cpf_in_the_name_is_removed() -> None:
    payload = copy.deepcopy(fixture("receitaws_12345678000195_baixada_REDACTED.json"))
    payload["nome"] = "FULANO DE TAL 12345678909"
    assert _dump(payload)["legal_name"] == "FULANO DE TAL"


@pytest.mark.parametrize(
    "name", ["receitaws_error_cnpj-invalido_03420926004980.json", "receitaws_error_rejeitado_23713354000189.json"]
)
def test_status_error_bodies_are_not_company_records(name: str) -> None:
    with pytest.raises(MalformedPayload):
        normalize_receitaws(fixture(name))


def test_unreadable_nature_keeps_the_text() -> None:
    payload = copy.deepcopy(fixture("receitaws_27865757000102.json"))
    payload["natureza_juridica"] = "Sociedade sem código"
    assert _dump(payload)["legal_nature"] == {"code": None, "description": "Sociedade sem código"}
