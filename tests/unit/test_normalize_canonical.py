"""Issue 15 point 4: the privacy rule is for natural persons only, it keeps municipality/state/CEP, and every coded
field has one canonical form whatever the provider. Real payloads, edited only where a case has no capture."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from radar.normalize import (
    normalize_brasilapi,
    normalize_cnpja,
    normalize_cnpjws,
    normalize_minhareceita,
    normalize_opencnpj,
    normalize_receitaws,
)
from radar.normalize.common import (
    is_natural_person_nature,
    make_address,
    make_contact,
    make_legal_nature,
    normalize_age_range,
    role_code,
)
from radar.report import LegalNature, Report
from tests.unit.fakes import fixture

EIRELI_TEXT = "Empresa Individual de Responsabilidade Limitada (de Natureza Empresária)"


def _with_nature(provider: str, code: str | None, text: str) -> Report:
    """A real payload of `provider` with its legal nature replaced (no EIRELI or group-4 record was captured)."""
    if provider == "brasilapi":
        payload = copy.deepcopy(fixture("brasilapi_19131243000197.json"))
        payload["codigo_natureza_juridica"], payload["natureza_juridica"] = int(code or 0), text
        return normalize_brasilapi(payload)
    if provider == "cnpjws":
        payload = copy.deepcopy(fixture("cnpjws_27865757000102.json"))
        payload["natureza_juridica"] = {"id": code, "descricao": text}
        return normalize_cnpjws(payload)
    if provider == "receitaws":
        payload = copy.deepcopy(fixture("receitaws_27865757000102.json"))
        payload["natureza_juridica"] = f"{code[:3]}-{code[3]} - {text}" if code else text
        return normalize_receitaws(payload)
    if provider == "opencnpj":
        payload = copy.deepcopy(fixture("opencnpj_19131243000197_BONUS.json"))
        payload["natureza_juridica"] = text  # OpenCNPJ has no code
        return normalize_opencnpj(payload)
    payload = copy.deepcopy(fixture("cnpja_07526557011659.json"))
    payload["company"]["nature"] = {"id": int(code or 0), "text": text}
    return normalize_cnpja(payload)


_PROVIDERS = ("brasilapi", "cnpjws", "receitaws", "opencnpj", "cnpja")


@pytest.mark.parametrize("provider", _PROVIDERS)
def test_an_eireli_is_a_legal_entity_and_keeps_address_and_contacts(provider: str) -> None:
    report = _with_nature(provider, "2305", EIRELI_TEXT)
    assert report.legal_nature is not None and report.legal_nature.code == "2305"
    assert report.personal_data_redacted is False
    assert report.address is not None and report.address.street is not None and report.address.number is not None
    assert report.contact is not None and report.contact.phones


@pytest.mark.parametrize("provider", _PROVIDERS)
def test_an_empresario_individual_gets_privacy_but_keeps_city_state_and_cep(provider: str) -> None:
    before = _with_nature(provider, "3999", "Associação Privada")
    report = _with_nature(provider, "2135", "Empresário (Individual)")
    assert report.legal_nature is not None and report.legal_nature.code == "2135"
    assert report.personal_data_redacted is True
    assert report.contact is None
    assert before.address is not None and report.address is not None
    assert (report.address.street_type, report.address.street) == (None, None)
    assert (report.address.number, report.address.complement) == (None, None)
    kept = ("zip_code", "city", "state", "city_ibge_code", "district", "country")
    assert {k: getattr(report.address, k) for k in kept} == {k: getattr(before.address, k) for k in kept}
    assert report.address.zip_code is not None and report.address.city and report.address.state


def test_a_mei_gets_privacy_whatever_its_nature() -> None:
    payload = copy.deepcopy(fixture("opencnpj_19131243000197_BONUS.json"))
    payload["opcao_mei"] = "S"
    report = normalize_opencnpj(payload)
    assert report.personal_data_redacted is True and report.contact is None
    assert report.address is not None and report.address.zip_code == "01311902"


@pytest.mark.parametrize(
    ("code", "text", "natural"),
    [
        ("2135", "Empresário (Individual)", True),
        ("4120", "Produtor Rural (Pessoa Física)", True),  # RFB group 4: natural persons
        ("2305", EIRELI_TEXT, False),
        ("2313", "Empresa Individual de Responsabilidade Limitada (de Natureza Simples)", False),
        ("2062", "Sociedade Empresária Limitada", False),
        (None, "Empresário (Individual)", True),  # text only (OpenCNPJ), read by its text
        (None, "EMPRESARIO INDIVIDUAL", True),
        (None, "Empresa Individual de Responsabilidade Limitada", False),
        (None, "Contribuinte Individual (Pessoa Física)", True),
    ],
)
def test_natural_person_natures(code: str | None, text: str, natural: bool) -> None:
    assert is_natural_person_nature(LegalNature(code=code, description=text)) is natural


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [(5, "05"), ("5", "05"), ("05", "05"), (49, "49"), ("49", "49"), (0, None), ("", None), (None, None)],
)
def test_partner_qualification_codes_have_one_form(raw: Any, canonical: str | None) -> None:
    assert role_code(raw) == canonical


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("Entre 41 a 50 anos", "41 a 50 anos"),  # BrasilAPI / minha-receita
        ("41 a 50 anos", "41 a 50 anos"),  # CNPJ.ws, OpenCNPJ
        ("41-50", "41 a 50 anos"),  # CNPJá
        ("81+", "Mais de 80 anos"),  # CNPJá
        ("Mais de 80 anos", "Mais de 80 anos"),
        ("Não se aplica", None),
    ],
)
def test_age_ranges_have_one_form(raw: str, canonical: str | None) -> None:
    assert normalize_age_range(raw) == canonical


@pytest.mark.parametrize(
    ("code", "text"), [(2054, "x"), ("2054", "x"), ("205-4", "x"), (None, "Sociedade Anônima Fechada")]
)
def test_legal_nature_codes_have_one_form(code: Any, text: str) -> None:
    nature = make_legal_nature(code, text)
    assert nature is not None and nature.code == "2054"


def test_the_same_partner_code_from_brasilapi_and_cnpjws() -> None:
    # BrasilAPI sends codigo_qualificacao_socio 5 (an int), CNPJ.ws qualificacao_socio.id "05"-style ids.
    brasilapi = normalize_brasilapi(fixture("brasilapi-minhareceita_33683111000280.json"))
    administrators = [p for p in brasilapi.partners if p.role == "Administrador"]
    assert administrators and {p.role_code for p in administrators} == {"05"}
    cnpjws = copy.deepcopy(fixture("cnpjws_27865757000102.json"))
    cnpjws["socios"][0]["qualificacao_socio"] = {"id": 5, "descricao": "Administrador"}
    assert normalize_cnpjws(cnpjws).partners[0].role_code == "05"


def test_minhareceita_reads_like_brasilapi_under_its_own_name() -> None:
    payload = fixture("minhareceita_19131243000197.json")
    mine, proxied = normalize_minhareceita(payload), normalize_brasilapi(payload)
    assert mine.source == "minhareceita" and proxied.source == "brasilapi"
    ignore = {"source", "fetched_at"}
    assert mine.model_dump(exclude=ignore) == proxied.model_dump(exclude=ignore)
    assert mine.trade_name is None  # nome_fantasia "" in this capture
    assert mine.contact is not None and mine.contact.email is None  # privacy mode: email null
    assert mine.partners[0].document == "***159225**"
    assert [d.code for d in mine.secondary_cnae_details] == ["9493600", "9499500", "8599699", "8230001", "6204000"]
    assert mine.secondary_cnae_details[4].description == "Consultoria em tecnologia da informação"


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("(21) 2155-4551", "2121554551"),  # ReceitaWS
        ("2121554551", "2121554551"),  # BrasilAPI ddd_telefone_1
        ("(021) 2155-4551", "2121554551"),  # trunk prefix
        ("+55 21 99155-4551", "21991554551"),  # country code
        ("0800 777 1234", "08007771234"),  # toll-free keeps its zero
        ("2155-4551", None),  # no DDD: a fragment
    ],
)
def test_phones_have_one_form(raw: str, canonical: str | None) -> None:
    contact = make_contact([raw], None)
    assert (contact.phones if contact else [None]) == [canonical]


@pytest.mark.parametrize(
    ("raw", "canonical"), [("22.460-901", "22460901"), ("22460901", "22460901"), (1311902, "01311902")]
)
def test_ceps_have_one_form(raw: Any, canonical: str) -> None:
    address = make_address(zip_code=raw)
    assert address is not None and address.zip_code == canonical
