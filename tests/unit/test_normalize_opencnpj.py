"""OpenCNPJ payloads (real captures in the shared fixtures) normalize to the expected reports.

Expected values are read off the payloads: every value a string, "" for empty, nature as text only, the SIAFI
municipality code (no IBGE code), a capital with a decimal comma.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from radar.normalize import MalformedPayload, normalize_opencnpj
from tests.unit.fakes import fixture, fixture_names

FETCHED = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def _dump(payload: Any, **kwargs: Any) -> dict[str, Any]:
    return normalize_opencnpj(payload, fetched_at=FETCHED, **kwargs).model_dump(mode="json")


def _subset(report: dict[str, Any], expected: dict[str, Any]) -> dict[str, Any]:
    return {key: report[key] for key in expected}


def test_every_opencnpj_record_fixture_normalizes() -> None:
    names = [n for n in fixture_names("opencnpj_") if "error" not in n and "datasets" not in n]
    assert len(names) >= 7
    for name in names:
        report = _dump(fixture(name))
        assert report["source"] == "opencnpj"
        assert report["cnpj"] == name.removesuffix(".json").split("_")[1]
        assert report["legal_name"] and report["status"] in ("ATIVA", "BAIXADA", "INAPTA", "SUSPENSA", "NULA")


def test_open_knowledge_brasil() -> None:
    report = _dump(fixture("opencnpj_19131243000197_BONUS.json"), expected_cnpj="19131243000197")
    expected = {
        "cnpj": "19131243000197",
        "cnpj_formatted": "19.131.243/0001-97",
        "legal_name": "OPEN KNOWLEDGE BRASIL",
        "trade_name": "REDE PELO CONHECIMENTO LIVRE",
        "status": "ATIVA",  # "Ativa"
        "status_date": "2013-10-03",
        "status_reason": None,  # {"codigo": "00", "descricao": "SEM MOTIVO"}
        "opened_on": "2013-10-03",
        "head_office": True,  # "Matriz"
        "main_cnae": "9430800",
        "main_cnae_description": "Atividades de associações de defesa de direitos sociais",
        "secondary_cnaes": ["9493600", "9499500", "8599699", "8230001", "6204000"],
        "legal_nature": {"code": "3999", "description": "Associação Privada"},  # code from the RFB table
        "size": "DEMAIS",
        "share_capital": "0.00",  # "0,00"
        "address": {
            "street_type": "AVENIDA",
            "street": "PAULISTA 37",
            "number": "37",
            "complement": "ANDAR 4",
            "district": "BELA VISTA",
            "zip_code": "01311902",
            "city": "SAO PAULO",
            "city_ibge_code": None,  # codigo_municipio "7107" is the SIAFI code
            "state": "SP",
            "country": "Brasil",  # pais {"codigo": "", "descricao": ""}
        },
        "contact": {"phones": ["1123851939"], "email": "torres.contab@gmail.com"},
        "simples": None,  # opcao_simples ""
        "mei": None,
        "tax_option_dates": None,
        "state_registrations": [],
        "source_updated_at": None,
        "partial": False,
        "personal_data_redacted": False,
    }
    assert _subset(report, expected) == expected
    assert report["secondary_cnae_details"][4] == {
        "code": "6204000",
        "description": "Consultoria em tecnologia da informação",
    }
    assert report["partners"] == [
        {
            "name": "HAYDEE SVAB",
            "document": "***112108**",
            "kind": "PF",
            "role": "Presidente",
            "role_code": None,  # OpenCNPJ sends the qualification as text only
            "joined_on": "2024-02-27",
            "age_range": "41 a 50 anos",
            "country": None,
        }
    ]


def test_cnae_with_leading_zero_capital_with_comma_and_no_number() -> None:
    report = _dump(fixture("opencnpj_04311762000160.json"))
    assert report["main_cnae"] == "0220903"
    assert report["main_cnae_description"] == "Coleta de castanha-do-pará em florestas nativas"
    assert report["secondary_cnaes"] == ["0161099", "0220906", "0230600", "1629301", "3299099", "7990200"]
    assert report["secondary_cnae_details"][0] == {
        "code": "0161099",
        "description": "Atividades de apoio à agricultura não especificadas anteriormente",
    }
    assert report["share_capital"] == "292000.00"
    assert report["legal_nature"] == {"code": "2143", "description": "Cooperativa"}
    assert report["address"]["number"] == "S/N"
    assert (report["address"]["street_type"], report["address"]["street"]) == ("COMUNIDADE", "SANTA CLARA")
    assert report["contact"] == {"phones": ["9691095652"], "email": "cooperalca.ap2022@gmail.com"}
    assert len(report["partners"]) == 4


def test_zero_status_date_is_null_and_the_fax_is_not_a_phone() -> None:
    report = _dump(fixture("opencnpj_04955882000108.json"))
    assert report["status_date"] is None  # "0"
    assert "status_date_missing" in report["partial_reasons"]
    assert report["contact"]["phones"] == ["4133215100"]  # 41 33215545 is is_fax: true
    assert report["address"]["complement"] == "CASA 01"  # "CASA  01", single-spaced


@pytest.mark.parametrize(
    ("name", "status", "reason"),
    [
        ("opencnpj_08942107000160.json", "BAIXADA", "EXTINCAO POR ENCERRAMENTO LIQUIDACAO VOLUNTARIA"),
        ("opencnpj_03126200000183.json", "INAPTA", "OMISSAO DE DECLARACOES"),
        ("opencnpj_03728829000101.json", "SUSPENSA", "PEDIDO DE BAIXA INDEFERIDA"),
    ],
)
def test_status_and_reason(name: str, status: str, reason: str) -> None:
    report = _dump(fixture(name))
    assert (report["status"], report["status_reason"]) == (status, reason)


def test_branch_without_phones() -> None:
    report = _dump(fixture("opencnpj_62779145000270.json"))
    assert report["head_office"] is False  # "Filial"
    assert report["contact"] is None  # telefones [] and email ""
    assert [p["age_range"] for p in report["partners"]] == ["Mais de 80 anos", "71 a 80 anos"]


def test_empty_street_type_is_null() -> None:
    report = _dump(fixture("opencnpj_03728829000101.json"))
    assert report["address"]["street_type"] is None  # tipo_logradouro ""


def test_simples_and_mei_flags_and_dates() -> None:
    payload = copy.deepcopy(fixture("opencnpj_19131243000197_BONUS.json"))
    payload |= {"opcao_simples": "S", "data_opcao_simples": "2019-01-01", "opcao_mei": "N"}
    report = _dump(payload)
    assert (report["simples"], report["mei"]) == (True, False)
    assert report["tax_option_dates"]["simples_opted_on"] == "2019-01-01"


def test_a_nature_missing_from_the_table_keeps_its_text_and_a_null_code() -> None:
    payload = copy.deepcopy(fixture("opencnpj_19131243000197_BONUS.json"))
    payload["natureza_juridica"] = "Natureza Inventada"
    assert _dump(payload)["legal_nature"] == {"code": None, "description": "Natureza Inventada"}


def test_a_body_that_is_not_a_record_is_malformed() -> None:
    with pytest.raises(MalformedPayload):
        normalize_opencnpj({"error": "not found"})
    with pytest.raises(MalformedPayload):
        normalize_opencnpj(fixture("opencnpj_19131243000197_BONUS.json"), expected_cnpj="08942107000160")


def test_coded_variants_of_text_fields_and_lowercase_qsa_are_read() -> None:
    # Other OpenCNPJ versions (or projections) may send {codigo, descricao} where today's sends text.
    payload = copy.deepcopy(fixture("opencnpj_19131243000197_BONUS.json"))
    payload["natureza_juridica"] = {"codigo": "3999", "descricao": "Associação Privada"}
    payload["qsa"] = payload.pop("QSA")
    payload["qsa"][0]["qualificacao_socio"] = {"codigo": "16", "descricao": "Presidente"}
    payload["cnaes_secundarios"] = [{"codigo": "9493600", "descricao": "Atividades de organizações associativas"}]
    payload["porte_empresa"] = "05"
    payload["data_inicio_atividade"] = "20131003"  # the RF dump's own form
    report = _dump(payload)
    assert report["legal_nature"] == {"code": "3999", "description": "Associação Privada"}
    assert (report["partners"][0]["role"], report["partners"][0]["role_code"]) == ("Presidente", "16")
    assert report["secondary_cnae_details"] == [
        {"code": "9493600", "description": "Atividades de organizações associativas"}
    ]
    assert (report["size"], report["opened_on"]) == ("DEMAIS", "2013-10-03")


@pytest.mark.parametrize(
    ("raw", "head"), [("Matriz", True), ("MATRIZ", True), ("1", True), ("Filial", False), ("2", False)]
)
def test_head_office_in_words_or_the_rf_code(raw: str, head: bool) -> None:
    payload = copy.deepcopy(fixture("opencnpj_19131243000197_BONUS.json"))
    payload["matriz_filial"] = raw
    assert _dump(payload)["head_office"] is head
