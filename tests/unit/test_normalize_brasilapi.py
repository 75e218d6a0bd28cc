"""BrasilAPI / minha-receita payloads (real captures in the shared fixtures) normalize to the expected reports."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from radar.normalize import MalformedPayload, normalize_brasilapi
from tests.unit.fakes import fixture, fixture_names

FETCHED = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def _dump(payload: Any, **kwargs: Any) -> dict[str, Any]:
    return normalize_brasilapi(payload, fetched_at=FETCHED, **kwargs).model_dump(mode="json")


def _subset(report: dict[str, Any], expected: dict[str, Any]) -> dict[str, Any]:
    return {key: report[key] for key in expected}


def test_every_brasilapi_success_fixture_normalizes_and_serializes() -> None:
    names = [n for n in fixture_names("brasilapi") if "error" not in n]
    assert len(names) >= 5
    for name in names:
        report = _dump(fixture(name))
        assert report["source"] == "brasilapi"
        assert report["source_updated_at"] is None  # no per-record date at BrasilAPI
        assert report["state_registrations"] == []
        assert json.loads(json.dumps(report)) == report


def test_open_knowledge_brasil_doc_example() -> None:
    report = _dump(fixture("brasilapi_19131243000197.json"), expected_cnpj="19131243000197")
    expected = {
        "cnpj": "19131243000197",
        "cnpj_formatted": "19.131.243/0001-97",
        "legal_name": "OPEN KNOWLEDGE BRASIL",
        "trade_name": "REDE PELO CONHECIMENTO LIVRE",
        "status": "ATIVA",
        "status_date": "2013-10-03",
        "status_reason": None,  # "SEM MOTIVO"
        "opened_on": "2013-10-03",
        "head_office": True,
        "main_cnae": "9430800",
        "main_cnae_description": "Atividades de associações de defesa de direitos sociais",
        "secondary_cnaes": ["9493600", "9499500", "8599699", "8230001", "6204000"],
        "legal_nature": {"code": "3999", "description": "Associação Privada"},
        "size": "DEMAIS",
        "share_capital": "0.00",
        "address": {
            "street_type": "AVENIDA",
            "street": "PAULISTA 37",
            "number": "37",
            "complement": "ANDAR 4",
            "district": "BELA VISTA",
            "zip_code": "01311902",
            "city": "SAO PAULO",
            "city_ibge_code": "3550308",
            "state": "SP",
            "country": "Brasil",  # pais is null for domestic establishments in the RF dump: one spelling for Brazil
        },
        "contact": {"phones": ["1123851939"], "email": None},
        "simples": None,
        "mei": None,
        "tax_option_dates": None,
        "partners": [
            {
                "name": "HAYDEE SVAB",
                "document": "***112108**",
                "kind": "PF",
                "role": "Presidente",
                "role_code": "16",
                "joined_on": "2024-02-27",
                "age_range": "41 a 50 anos",  # "Entre 41 a 50 anos" in BrasilAPI's words
                "country": None,
            }
        ],
        "source": "brasilapi",
        "fetched_at": "2026-11-01T12:00:00Z",
        "partial": False,
        "partial_reasons": [],
        "personal_data_redacted": False,
    }
    assert _subset(report, expected) == expected


def test_serpro_branch_from_minha_receita_docs() -> None:
    report = _dump(fixture("brasilapi-minhareceita_33683111000280.json"))
    expected = {
        "cnpj": "33683111000280",
        "trade_name": "REGIONAL BRASILIA-DF",
        "head_office": False,
        "status": "ATIVA",
        "status_date": "2004-05-22",
        "opened_on": "1967-06-30",
        "main_cnae": "6204000",
        "legal_nature": {"code": "2011", "description": "Empresa Pública"},
        "share_capital": "1061004800.00",
        "contact": None,  # all phone fields are ""
        "simples": None,
        "mei": None,
    }
    assert _subset(report, expected) == expected
    assert report["address"]["complement"] == "MODULO G"
    assert report["address"]["city_ibge_code"] == "5300108"
    assert len(report["partners"]) == 6
    assert report["partners"][3]["role"] == "Presidente"
    assert report["partners"][5] == {
        "name": "ANTONINO DOS SANTOS GUERRA NETO",
        "document": "***073447**",
        "kind": "PF",
        "role": "Administrador",
        "role_code": "05",  # codigo_qualificacao_socio 5: the RFB's two-digit form, as CNPJ.ws writes it
        "joined_on": "2019-02-11",
        "age_range": "61 a 70 anos",
        "country": None,
    }


def test_baixada_head_office() -> None:
    report = _dump(fixture("brasilapi_08942107000160_baixada.json"))
    expected = {
        "status": "BAIXADA",
        "status_date": "2012-01-04",
        "status_reason": "EXTINCAO POR ENCERRAMENTO LIQUIDACAO VOLUNTARIA",
        "head_office": True,
        "main_cnae": "9499500",
        "secondary_cnaes": [],
        "share_capital": "0.00",
        "contact": {"phones": ["2124574138"], "email": None},
    }
    assert _subset(report, expected) == expected
    assert len(report["partners"]) == 6


def test_baixada_branch_of_an_active_company() -> None:
    report = _dump(fixture("brasilapi_04955882000523_filial-baixada.json"))
    expected = {
        "cnpj": "04955882000523",
        "status": "BAIXADA",
        "status_date": "2017-01-05",
        "head_office": False,
        "opened_on": "2011-11-29",
        "main_cnae": "9430800",
        "secondary_cnaes": ["9493600", "9499500"],
        "contact": {"phones": ["4133215955", "4133215198"], "email": None},
    }
    assert _subset(report, expected) == expected
    assert report["address"]["complement"] is None  # "" becomes null
    assert report["address"]["city"] == "CASCAVEL"


def test_alphanumeric_branch_of_banco_do_brasil() -> None:
    report = _dump(fixture("brasilapi_00000000E08G12_alfanumerico_QSA-TRUNCATED.json"))
    expected = {
        "cnpj": "00000000E08G12",
        "cnpj_formatted": "00.000.000/E08G-12",
        "legal_name": "BANCO DO BRASIL SA",
        "trade_name": None,
        "status": "ATIVA",
        "opened_on": "2026-07-31",
        "head_office": False,
        "main_cnae": "6422100",
        "secondary_cnaes": ["6499999"],
        "legal_nature": {"code": "2038", "description": "Sociedade de Economia Mista"},
        "share_capital": "120000000000.00",
        "simples": False,
        "mei": False,
        # Inherited from the company, as published (providers.md 2.1 quirks).
        "tax_option_dates": {
            "simples_opted_on": "2007-07-01",
            "simples_excluded_on": "2007-07-01",
            "mei_opted_on": "2009-07-01",
            "mei_excluded_on": "2009-07-01",
        },
        "partial": False,
    }
    assert _subset(report, expected) == expected
    assert report["address"]["number"] == "S/N"
    assert [p["name"] for p in report["partners"]] == [
        "ALAN CARLOS GUEDES DE OLIVEIRA",
        "TARCIANA PAULA GOMES MEDEIROS",
    ]


def test_cnae_lost_leading_zero_is_restored() -> None:
    payload = copy.deepcopy(fixture("brasilapi_19131243000197.json"))
    payload["cnae_fiscal"] = 220903
    payload["cnaes_secundarios"] = [{"codigo": 0, "descricao": ""}, {"codigo": 111301, "descricao": "x"}]
    report = _dump(payload)
    assert report["main_cnae"] == "0220903"
    assert report["secondary_cnaes"] == ["0111301"]


@pytest.mark.parametrize(
    ("code", "text", "expected"),
    [(2, "", "ATIVA"), (8, None, "BAIXADA"), (4, "INAPTA", "INAPTA"), (3, None, "SUSPENSA"), (1, None, "NULA")],
)
def test_status_from_code_when_the_description_is_missing(code: int, text: str | None, expected: str) -> None:
    payload = copy.deepcopy(fixture("brasilapi_19131243000197.json"))
    payload["situacao_cadastral"] = code
    payload["descricao_situacao_cadastral"] = text
    assert _dump(payload)["status"] == expected


def test_float_capital_is_kept_exactly_as_sent() -> None:
    payload = copy.deepcopy(fixture("brasilapi_19131243000197.json"))
    payload["capital_social"] = 6983568384.86
    assert _dump(payload)["share_capital"] == "6983568384.86"
    payload["capital_social"] = 0.1
    assert _dump(payload)["share_capital"] == "0.10"


def test_null_status_date_and_unknown_size() -> None:
    payload = copy.deepcopy(fixture("brasilapi_19131243000197.json"))
    payload["data_situacao_cadastral"] = None
    payload["codigo_porte"] = 0
    payload["porte"] = "NÃO INFORMADO"
    report = _dump(payload)
    assert report["status_date"] is None and report["size"] is None
    assert report["partial_reasons"] == ["status_date_missing"]


def test_mei_gets_privacy_even_with_a_company_nature() -> None:
    payload = copy.deepcopy(fixture("brasilapi_19131243000197.json"))
    payload["opcao_pelo_mei"] = True
    payload["razao_social"] = "MARIA SOUZA 12345678909"
    payload["email"] = "maria@example.com"
    report = _dump(payload)
    assert report["legal_name"] == "MARIA SOUZA"
    assert report["contact"] is None
    assert report["address"]["street"] is None and report["address"]["number"] is None
    assert report["address"]["city"] == "SAO PAULO"
    assert report["personal_data_redacted"] is True


def test_empresario_individual_nature_gets_privacy() -> None:
    payload = copy.deepcopy(fixture("brasilapi_19131243000197.json"))
    payload["codigo_natureza_juridica"] = 2135
    payload["natureza_juridica"] = "Empresário (Individual)"
    report = _dump(payload)
    assert report["contact"] is None
    assert report["address"]["street"] is None


def test_partner_kinds_and_foreign_establishment() -> None:
    payload = copy.deepcopy(fixture("brasilapi_19131243000197.json"))
    payload["qsa"] = [
        {"identificador_de_socio": 1, "nome_socio": "HOLDING SA", "cnpj_cpf_do_socio": "19131243000197"},
        {"identificador_de_socio": 3, "nome_socio": "JOHN DOE", "cnpj_cpf_do_socio": "", "pais": "ESTADOS UNIDOS"},
        {"identificador_de_socio": None, "nome_socio": None, "faixa_etaria": "Não se aplica"},
    ]
    payload["uf"] = "EX"
    payload["nome_cidade_no_exterior"] = "MIAMI"
    payload["pais"] = "ESTADOS UNIDOS"
    report = _dump(payload)
    partners = report["partners"]
    assert [(p["kind"], p["document"]) for p in partners] == [("PJ", "19131243000197"), ("FOREIGN", None), (None, None)]
    assert partners[1]["country"] == "ESTADOS UNIDOS"
    assert partners[2]["age_range"] is None
    assert (report["address"]["state"], report["address"]["city"], report["address"]["country"]) == (
        None,
        "MIAMI",
        "ESTADOS UNIDOS",
    )


def test_source_updated_at_only_when_a_dump_date_is_given() -> None:
    dump_date = datetime(2026, 10, 12, tzinfo=UTC)
    report = normalize_brasilapi(fixture("brasilapi_19131243000197.json"), source_updated_at=dump_date)
    assert report.source_updated_at == dump_date


@pytest.mark.parametrize(
    "name",
    [
        "brasilapi_error_400_19131243000198.json",
        "brasilapi_error_404_12ABC34501DE35.json",
        "brasilapi_error_500_upstream-503_65478551000100.json",
        "minhareceita_error_400_foobar.json",
    ],
)
def test_error_bodies_are_not_company_records(name: str) -> None:
    with pytest.raises(MalformedPayload):
        normalize_brasilapi(fixture(name))
