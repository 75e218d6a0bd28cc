"""CNPJá open payloads (the AMBEV branch sample in the shared fixtures) normalize to the expected report.

Expected values are read off the payload: integer codes (CNAE without its leading zero), Title-case text, the
street type inside `street`, equity as a float64, `reason` only when not ATIVA, age bands as "41-50".
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from radar.normalize import MalformedPayload, normalize_cnpja
from tests.unit.fakes import fixture

FETCHED = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
SAMPLE = "cnpja_07526557011659.json"


def _dump(payload: Any, **kwargs: Any) -> dict[str, Any]:
    return normalize_cnpja(payload, fetched_at=FETCHED, **kwargs).model_dump(mode="json")


def _subset(report: dict[str, Any], expected: dict[str, Any]) -> dict[str, Any]:
    return {key: report[key] for key in expected}


def test_ambev_manaus_branch() -> None:
    report = _dump(fixture(SAMPLE), expected_cnpj="07526557011659")
    expected = {
        "cnpj": "07526557011659",
        "cnpj_formatted": "07.526.557/0116-59",
        "legal_name": "AMBEV S.A.",
        "trade_name": "Filial Manaus",  # alias
        "status": "ATIVA",  # status {id: 2, text: "Ativa"}
        "status_date": "2023-07-31",
        "status_reason": None,  # no `reason` while ATIVA
        "opened_on": "2023-07-31",
        "head_office": False,  # head: false
        "main_cnae": "1113502",
        "main_cnae_description": "Fabricação de cervejas e chopes",
        "secondary_cnaes": ["1122401"],
        "secondary_cnae_details": [{"code": "1122401", "description": "Fabricação de refrigerantes"}],
        "legal_nature": {"code": "2046", "description": "Sociedade Anônima Aberta"},
        "size": "DEMAIS",  # size {id: 5}
        "share_capital": "58226035176.01",  # equity 58226035176.01
        "address": {
            "street_type": "Avenida",  # out of street "Avenida Constantino Nery"
            "street": "Constantino Nery",
            "number": "2575",
            "complement": None,  # details: null
            "district": "Flores",
            "zip_code": "69058795",
            "city": "Manaus",
            "city_ibge_code": "1302603",  # municipality
            "state": "AM",
            "country": "Brasil",
        },
        "contact": {"phones": ["1933135680"], "email": "opobrigaces@ambev.com.br"},
        "simples": False,
        "mei": False,
        "tax_option_dates": None,  # since: null for both
        "source": "cnpja",
        "source_updated_at": "2025-01-03T20:40:19Z",
        "partial": False,
        "personal_data_redacted": False,
    }
    assert _subset(report, expected) == expected
    assert len(report["partners"]) == 13
    assert report["partners"][0] == {
        "name": "Felipe Moreira Haddad Baruque",
        "document": "***788297**",
        "kind": "PF",  # NATURAL
        "role": "Diretor",
        "role_code": "10",
        "joined_on": "2022-12-26",
        "age_range": "41 a 50 anos",  # "41-50"
        "country": None,
    }
    assert [r["state"] for r in report["state_registrations"]] == ["AM", "RR", "PA", "AC"]
    assert report["state_registrations"][3] == {
        "number": "0108826400193",
        "state": "AC",
        "active": True,
        "updated_at": None,
    }


def test_leading_zero_cnae_reason_age_band_and_legal_partner() -> None:
    payload = copy.deepcopy(fixture(SAMPLE))
    payload["mainActivity"] = {"id": 220903, "text": "Coleta de castanha-do-pará em florestas nativas"}
    payload["status"] = {"id": 8, "text": "Baixada"}
    payload["reason"] = {"id": 1, "text": "Extinção Por Encerramento Liquidação Voluntária"}
    payload["company"]["members"] = [
        {
            "since": "2010-05-01",
            "person": {"type": "LEGAL", "name": "Holding Exemplo S.A.", "taxId": "19131243000197", "age": None},
            "role": {"id": 22, "text": "Sócio"},
        },
        {
            "since": "2001-01-01",
            "person": {"type": "NATURAL", "name": "Fulano de Tal", "taxId": "***123456**", "age": "81+"},
            "role": {"id": 5, "text": "Administrador"},
        },
    ]
    report = _dump(payload)
    assert report["main_cnae"] == "0220903"
    assert (report["status"], report["status_reason"]) == ("BAIXADA", "Extinção Por Encerramento Liquidação Voluntária")
    legal, natural = report["partners"]
    assert (legal["kind"], legal["document"], legal["role_code"], legal["age_range"]) == (
        "PJ",
        "19131243000197",
        "22",
        None,
    )
    assert (natural["kind"], natural["role_code"], natural["age_range"]) == ("PF", "05", "Mais de 80 anos")


def test_equity_gets_two_decimal_places_and_emails_prefer_the_corporate_one() -> None:
    payload = copy.deepcopy(fixture(SAMPLE))
    payload["company"]["equity"] = 1500
    payload["emails"] = [
        {"ownership": "PERSONAL", "address": "fulano@example.com", "domain": "example.com"},
        {"ownership": "CORPORATE", "address": "Contato@Empresa.com.br", "domain": "empresa.com.br"},
    ]
    report = _dump(payload)
    assert report["share_capital"] == "1500.00"
    assert report["contact"]["email"] == "contato@empresa.com.br"


def test_a_street_without_a_known_type_keeps_it_whole() -> None:
    payload = copy.deepcopy(fixture(SAMPLE))
    payload["address"]["street"] = "Constantino Nery"
    address = _dump(payload)["address"]
    assert (address["street_type"], address["street"]) == (None, "Constantino Nery")


def test_a_body_that_is_not_an_office_is_malformed() -> None:
    with pytest.raises(MalformedPayload):
        normalize_cnpja({"code": 404, "message": "tax id not registered at revenue service"})
    with pytest.raises(MalformedPayload):
        normalize_cnpja(fixture(SAMPLE), expected_cnpj="19131243000197")
