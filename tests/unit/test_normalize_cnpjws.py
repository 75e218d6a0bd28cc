"""CNPJ.ws payloads (real captures in the shared fixtures) normalize to the expected reports."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from radar.normalize import MalformedPayload, normalize_cnpjws
from tests.unit.fakes import fixture, fixture_names

FETCHED = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def _dump(payload: Any, **kwargs: Any) -> dict[str, Any]:
    return normalize_cnpjws(payload, fetched_at=FETCHED, **kwargs).model_dump(mode="json")


def _subset(report: dict[str, Any], expected: dict[str, Any]) -> dict[str, Any]:
    return {key: report[key] for key in expected}


def test_every_cnpjws_success_fixture_normalizes_and_serializes() -> None:
    names = [n for n in fixture_names("cnpjws_") if "error" not in n]
    assert len(names) >= 3
    for name in names:
        report = _dump(fixture(name))
        assert report["source"] == "cnpjws"
        assert json.loads(json.dumps(report)) == report


def test_globo_sa_with_partners_and_state_registrations() -> None:
    report = _dump(fixture("cnpjws_27865757000102.json"), expected_cnpj="27865757000102")
    expected: dict[str, Any] = {
        "cnpj": "27865757000102",
        "cnpj_formatted": "27.865.757/0001-02",
        "legal_name": "GLOBO COMUNICACAO E PARTICIPACOES S/A",
        "trade_name": "Tv/rede/canais/g2c+globo Globo.com Globoplay",
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
            "street": "Rua Lopes Quintas",
            "number": "303",
            "complement": None,
            "district": "Jardim Botanico",
            "zip_code": "22460901",
            "city": "Rio de Janeiro",
            "city_ibge_code": "3304557",
            "state": "RJ",
            "country": "Brasil",
        },
        "contact": {"phones": ["2121554552"], "email": None},
        "simples": None,
        "mei": None,
        "tax_option_dates": None,
        "source": "cnpjws",
        "fetched_at": "2026-11-01T12:00:00Z",
        "source_updated_at": "2024-06-26T23:57:40Z",
        "partial": False,
        "partial_reasons": [],
        "personal_data_redacted": False,
    }
    assert _subset(report, expected) == expected
    assert len(report["secondary_cnaes"]) == 18
    assert report["secondary_cnaes"][:2] == ["5911102", "5911199"] and report["secondary_cnaes"][-1] == "9512600"
    assert len(report["partners"]) == 5
    assert report["partners"][0] == {
        "name": "PEDRO BORGES GARCIA",
        "document": "***050187**",
        "kind": "PF",
        "role": "Diretor",  # the provider's trailing space is trimmed
        "role_code": "10",
        "joined_on": "2024-03-21",
        "age_range": "51 a 60 anos",
        "country": "Brasil",
    }
    registrations = report["state_registrations"]
    assert [(r["number"], r["state"], r["active"]) for r in registrations] == [
        ("84295760", "RJ", True),
        ("113717433112", "SP", False),
        ("84347353", "RJ", False),
        ("211426987", "BA", True),
        ("9000073850", "RS", True),
        ("0629985490214", "MG", True),
        ("819017430118", "SP", True),
    ]
    assert registrations[0]["updated_at"] == "2024-03-11T19:23:54.833000Z"


def test_epp_with_simples_object() -> None:
    report = _dump(fixture("cnpjws_05525406000101.json"))
    expected = {
        "cnpj": "05525406000101",
        "legal_name": "DBONE INDUSTRIA E COMERCIO DE BEBIDAS LTDA",
        "trade_name": "TROPICAL SUCOS",
        "status": "ATIVA",
        "status_date": "2005-08-06",
        "opened_on": "2003-02-24",
        "head_office": True,
        "main_cnae": "4639701",
        "legal_nature": {"code": "2062", "description": "Sociedade Empresária Limitada"},
        "size": "EMPRESA_DE_PEQUENO_PORTE",
        "share_capital": "400000.00",
        "simples": True,
        "mei": False,
        "tax_option_dates": {
            "simples_opted_on": "2007-07-01",
            "simples_excluded_on": None,
            "mei_opted_on": None,
            "mei_excluded_on": None,
        },
        "contact": {"phones": ["2732861717"], "email": "[redacted]@gmail.com"},  # e-mails are lowercased
        "source_updated_at": "2026-08-08T03:00:00Z",
        "partial": False,
        "personal_data_redacted": False,
    }
    assert _subset(report, expected) == expected
    assert report["address"]["city_ibge_code"] == "3201308"
    assert report["address"]["zip_code"] == "29145670"
    assert report["secondary_cnaes"] == ["1033301", "1033302", "4635401", "4635403", "4637199", "4723700", "4729699"]
    assert [p["role"] for p in report["partners"]] == ["Sócio-Administrador", "Sócio-Administrador"]
    assert report["state_registrations"] == [
        {"number": "082200904", "state": "ES", "active": True, "updated_at": "2025-11-17T00:00:00Z"}
    ]


def test_sole_proprietor_gets_privacy_by_default_and_blank_status_is_partial() -> None:
    report = _dump(fixture("cnpjws_15603140000121_mei-excluido_REDACTED.json"))
    expected = {
        "cnpj": "15603140000121",
        "legal_nature": {"code": "2135", "description": "Empresário (Individual)"},
        "status": None,  # the fixture's situacao_cadastral is ""
        "status_date": "2018-02-01",
        "opened_on": "2012-05-27",
        "size": "MICRO_EMPRESA",
        "share_capital": "1.00",
        "simples": False,
        "mei": False,
        "tax_option_dates": {
            "simples_opted_on": "2012-05-27",
            "simples_excluded_on": "2018-02-01",
            "mei_opted_on": "2012-05-27",
            "mei_excluded_on": "2018-02-01",
        },
        "contact": None,
        "partners": [],
        "state_registrations": [],
        "partial": True,
        "partial_reasons": ["status_missing"],
        "personal_data_redacted": True,
    }
    assert _subset(report, expected) == expected
    address = report["address"]
    # Street, number and complement go; municipality, state and CEP (29155009 in the payload) stay.
    assert address["street"] is None and address["number"] is None and address["complement"] is None
    assert address["zip_code"] == "29155009"
    assert (address["city"], address["state"], address["city_ibge_code"]) == ("Cariacica", "ES", "3201308")


def test_cpf_in_a_sole_proprietors_name_is_stripped() -> None:
    payload = copy.deepcopy(fixture("cnpjws_15603140000121_mei-excluido_REDACTED.json"))
    payload["razao_social"] = "JOAO DA SILVA 07869074799"
    payload["estabelecimento"]["nome_fantasia"] = "JOAO TRANSPORTES 078.690.747-99"
    payload["estabelecimento"]["email"] = "joao.silva@gmail.com"
    payload["estabelecimento"]["telefone1"] = "99998888"
    report = _dump(payload)
    assert report["legal_name"] == "JOAO DA SILVA"
    assert report["trade_name"] == "JOAO TRANSPORTES"
    assert report["contact"] is None
    assert "07869074799" not in json.dumps(report)


def test_status_title_case_is_uppercased_and_reason_kept() -> None:
    payload = copy.deepcopy(fixture("cnpjws_27865757000102.json"))
    payload["estabelecimento"]["situacao_cadastral"] = "Baixada"
    payload["estabelecimento"]["motivo_situacao_cadastral"] = {"id": 1, "descricao": "Extinção Por Encerramento"}
    payload["estabelecimento"]["tipo"] = "Filial"
    report = _dump(payload)
    assert (report["status"], report["status_reason"], report["head_office"]) == (
        "BAIXADA",
        "Extinção Por Encerramento",
        False,
    )


def test_head_office_comes_from_the_provider_field_not_from_0001() -> None:
    payload = copy.deepcopy(fixture("cnpjws_27865757000102.json"))
    payload["estabelecimento"]["tipo"] = None
    report = _dump(payload)
    assert report["head_office"] is None
    assert "head_office_missing" in report["partial_reasons"]


def test_missing_and_null_blocks_do_not_break_normalization() -> None:
    payload = {
        "razao_social": "EMPRESA X LTDA",
        "capital_social": None,
        "porte": None,
        "natureza_juridica": None,
        "socios": None,
        "simples": None,
        "estabelecimento": {
            "cnpj": "11222333000181",
            "atividade_principal": None,
            "atividades_secundarias": None,
            "cidade": None,
            "estado": None,
            "inscricoes_estaduais": None,
            "tipo": "Matriz",
        },
    }
    report = _dump(payload)
    assert report["cnpj"] == "11222333000181"
    assert report["main_cnae"] is None and report["secondary_cnaes"] == []
    assert report["partners"] == [] and report["state_registrations"] == []
    assert report["partial"] is True


def test_cnpj_built_from_parts_when_the_establishment_cnpj_is_absent() -> None:
    payload = copy.deepcopy(fixture("cnpjws_05525406000101.json"))
    del payload["estabelecimento"]["cnpj"]
    assert _dump(payload)["cnpj"] == "05525406000101"


@pytest.mark.parametrize("payload", [None, [], {"razao_social": "X"}, {"estabelecimento": "x"}])
def test_bodies_that_are_not_a_company_record_raise(payload: Any) -> None:
    with pytest.raises(MalformedPayload):
        normalize_cnpjws(payload)


def test_an_answer_for_another_cnpj_is_rejected() -> None:
    with pytest.raises(MalformedPayload, match="different CNPJ"):
        normalize_cnpjws(fixture("cnpjws_27865757000102.json"), expected_cnpj="05525406000101")


def test_partner_kinds_whatever_the_spelling() -> None:
    payload = copy.deepcopy(fixture("cnpjws_27865757000102.json"))
    base = payload["socios"][0]
    payload["socios"] = [
        base | {"tipo": "Pessoa Jurídica", "cpf_cnpj_socio": "19131243000197", "faixa_etaria": "Não se aplica"},
        base | {"tipo": "ESTRANGEIRO", "cpf_cnpj_socio": ""},
        base | {"tipo": "pessoa fisica"},
        base | {"tipo": None},
    ]
    partners = _dump(payload)["partners"]
    assert [(p["kind"], p["document"]) for p in partners] == [
        ("PJ", "19131243000197"),
        ("FOREIGN", None),
        ("PF", "***050187**"),
        (None, "***050187**"),
    ]
    assert partners[0]["age_range"] is None
