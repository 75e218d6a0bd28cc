"""Generated provider payloads: deterministic per CNPJ, mostly ATIVA, in each provider's real shape (keys, order,
types, case), dated relative to `as_of`, and the same company behind all six formats."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

from radar.cnpj import check_digits, format_cnpj
from scripts.sandbox.generator import float32_number, generate_company, jsonb_order, render
from tests.support.sandbox import fixture_payload, numbered_cnpj

PROVIDERS = ("cnpjws", "brasilapi", "receitaws", "minhareceita", "opencnpj", "cnpja")
AS_OF = date(2026, 12, 1)
# The real payloads closest to today's formats: the generated ones must carry exactly their keys.
_REFERENCE = {
    "cnpjws": "cnpjws_27865757000102.json",
    "brasilapi": "brasilapi_08942107000160_baixada.json",  # a 2026 capture: no descricao_porte any more
    "minhareceita": "brasilapi_08942107000160_baixada.json",  # BrasilAPI passes minha-receita's body through
    "receitaws": "receitaws_27865757000102.json",
    "opencnpj": "opencnpj_04311762000160.json",
    "cnpja": "cnpja_07526557011659.json",
}


_cnpj, _fixture = numbered_cnpj, fixture_payload


def _company_where(predicate: Any, start: int = 1) -> str:
    return next(c for n in range(start, start + 2000) if predicate(generate_company(c := _cnpj(n), AS_OF)))


@pytest.mark.parametrize("provider", PROVIDERS)
def test_generated_payload_has_the_real_top_level_keys(provider: str) -> None:
    # An ATIVA company with a trade name: CNPJá omits `alias` without one and sends `reason` only when not ATIVA.
    cnpj = _company_where(lambda c: c.status.code == 2 and c.trade_name and c.partners)
    assert set(render(provider, cnpj, AS_OF)) == set(_fixture(_REFERENCE[provider])) - {"_note"}


def test_key_order_is_the_real_one_where_it_is_stable() -> None:
    cnpj = _company_where(lambda c: c.status.code == 2 and c.trade_name and c.partners)
    assert list(render("opencnpj", cnpj, AS_OF)) == list(_fixture(_REFERENCE["opencnpj"]))
    assert list(render("cnpja", cnpj, AS_OF)) == list(_fixture(_REFERENCE["cnpja"]))
    for provider in ("brasilapi", "minhareceita"):  # Postgres jsonb order, nested objects included
        body = render(provider, cnpj, AS_OF)
        assert body == jsonb_order(body) and list(body) == list(jsonb_order(body))
        assert list(body)[:4] == ["uf", "cep", "qsa", "cnpj"]
        assert list(body["qsa"][0]) == list(_fixture("minhareceita_19131243000197.json")["qsa"][0])


def test_nested_shapes_match_the_real_ones() -> None:
    cnpj = _company_where(lambda c: c.status.code == 2 and c.trade_name and c.partners and c.registrations)
    cnpjws, cnpja, opencnpj = (render(p, cnpj, AS_OF) for p in ("cnpjws", "cnpja", "opencnpj"))
    real_cnpjws, real_cnpja, real_opencnpj = (_fixture(_REFERENCE[p]) for p in ("cnpjws", "cnpja", "opencnpj"))
    establishment, real_establishment = cnpjws["estabelecimento"], real_cnpjws["estabelecimento"]
    assert set(establishment) == set(real_establishment)
    assert set(establishment["atividade_principal"]) == set(real_establishment["atividade_principal"])
    assert set(establishment["cidade"]) == set(real_establishment["cidade"])
    assert set(establishment["inscricoes_estaduais"][0]) == set(real_establishment["inscricoes_estaduais"][0])
    assert set(cnpjws["socios"][0]) == set(real_cnpjws["socios"][0])
    assert list(cnpja["company"]) == list(real_cnpja["company"])
    assert list(cnpja["company"]["members"][0]) == list(real_cnpja["company"]["members"][0])
    assert list(cnpja["company"]["members"][0]["person"]) == list(real_cnpja["company"]["members"][0]["person"])
    assert list(cnpja["address"]) == list(real_cnpja["address"])
    assert list(cnpja["registrations"][0]) == list(real_cnpja["registrations"][0])
    assert list(cnpja["phones"][0]) == list(real_cnpja["phones"][0])
    assert list(cnpja["emails"][0]) == list(real_cnpja["emails"][0])
    assert list(opencnpj["QSA"][0]) == list(real_opencnpj["QSA"][0])
    assert list(opencnpj["telefones"][0]) == list(real_opencnpj["telefones"][0])
    assert list(opencnpj["cnaes"][0]) == list(real_opencnpj["cnaes"][0])


def _types(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _types(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_types(value[0])] if value else []
    return type(value).__name__


@pytest.mark.parametrize("n", range(1, 30))
def test_opencnpj_values_are_strings_like_the_real_ones(n: int) -> None:
    """All strings ("" when empty) but the two booleans the real projection has (is_principal, is_fax)."""
    real = _types(_fixture(_REFERENCE["opencnpj"]))
    generated = _types(render("opencnpj", _cnpj(n), AS_OF))
    for key, kind in generated.items():
        if real[key] and kind:  # an empty list in either has no element type to compare
            assert kind == real[key], key


def test_cnpja_reason_and_alias_are_there_only_when_the_company_has_them() -> None:
    closed = render("cnpja", _company_where(lambda c: c.status.code != 2), AS_OF)
    nameless = render("cnpja", _company_where(lambda c: not c.trade_name), AS_OF)
    assert set(closed["reason"]) == {"id", "text"} and closed["status"]["id"] in (3, 4, 8)
    assert "alias" not in nameless
    assert "reason" not in render("cnpja", _company_where(lambda c: c.status.code == 2), AS_OF)


# -- the same company in six formats --------------------------------------------------------------------------
def _digits(value: Any) -> str:
    return re.sub(r"\D", "", str(value))


def _canon(provider: str, b: dict[str, Any]) -> dict[str, Any]:
    """What the six formats agree on, read the way each provider writes it (a test-side normalizer)."""
    if provider == "cnpjws":
        e = b["estabelecimento"]
        return {
            "cnpj": e["cnpj"],
            "name": b["razao_social"],
            "trade": (e["nome_fantasia"] or "").upper(),
            "status": e["situacao_cadastral"].upper(),
            "status_date": e["data_situacao_cadastral"],
            "opened": e["data_inicio_atividade"],
            "head": e["tipo"] == "Matriz",
            "cnae": e["atividade_principal"]["id"],
            "cnaes": [a["id"] for a in e["atividades_secundarias"]],
            "nature": b["natureza_juridica"]["descricao"],
            "size": int(b["porte"]["id"]),
            "capital": Decimal(b["capital_social"]),
            "city": e["cidade"]["nome"],
            "uf": e["estado"]["sigla"],
            "zip": e["cep"],
            "partners": [(s["nome"], s["qualificacao_socio"]["id"]) for s in b["socios"]],
            "email": e["email"],
            "phone": e["ddd1"] + e["telefone1"],
        }
    if provider in ("brasilapi", "minhareceita"):
        return {
            "cnpj": b["cnpj"],
            "name": b["razao_social"],
            "trade": b["nome_fantasia"],
            "status": b["descricao_situacao_cadastral"],
            "status_date": b["data_situacao_cadastral"],
            "opened": b["data_inicio_atividade"],
            "head": b["identificador_matriz_filial"] == 1,
            "cnae": f"{b['cnae_fiscal']:07d}",
            "cnaes": [f"{a['codigo']:07d}" for a in b["cnaes_secundarios"]],
            "nature": b["natureza_juridica"],
            "size": b["codigo_porte"],
            "capital": b["capital_social"],  # float32: compared apart
            "city": b["municipio"],
            "uf": b["uf"],
            "zip": b["cep"],
            "partners": [(s["nome_socio"], s["codigo_qualificacao_socio"]) for s in b["qsa"]],
            "email": b["email"],
            "phone": b["ddd_telefone_1"],
        }
    if provider == "receitaws":
        day, month, year = b["abertura"].split("/")
        sday, smonth, syear = b["data_situacao"].split("/")
        return {
            "cnpj": re.sub(r"[^0-9A-Z]", "", b["cnpj"]),
            "name": b["nome"],
            "trade": b["fantasia"],
            "status": b["situacao"],
            "status_date": f"{syear}-{smonth}-{sday}",
            "opened": f"{year}-{month}-{day}",
            "head": b["tipo"] == "MATRIZ",
            "cnae": _digits(b["atividade_principal"][0]["code"]),
            "cnaes": [_digits(a["code"]) for a in b["atividades_secundarias"]],
            "nature": b["natureza_juridica"].split(" - ", 1)[1],
            "size": {"MICRO EMPRESA": 1, "EMPRESA DE PEQUENO PORTE": 3, "DEMAIS": 5}[b["porte"]],
            "capital": Decimal(b["capital_social"]),
            "city": b["municipio"],
            "uf": b["uf"],
            "zip": _digits(b["cep"]),
            "partners": [(q["nome"], int(q["qual"].split("-", 1)[0])) for q in b["qsa"]],
            "email": b["email"] or None,
            "phone": _digits(b["telefone"]),
        }
    if provider == "opencnpj":
        return {
            "cnpj": b["cnpj"],
            "name": b["razao_social"],
            "trade": b["nome_fantasia"],
            "status": b["situacao_cadastral"].upper(),
            "status_date": b["data_situacao_cadastral"],
            "opened": b["data_inicio_atividade"],
            "head": b["matriz_filial"] == "Matriz",
            "cnae": b["cnae_principal"],
            "cnaes": b["cnaes_secundarios"],
            "nature": b["natureza_juridica"],
            "size": {"Microempresa (ME)": 1, "Empresa de Pequeno Porte (EPP)": 3, "Demais": 5}[b["porte_empresa"]],
            "capital": Decimal(b["capital_social"].replace(",", ".")),
            "city": b["municipio"],
            "uf": b["uf"],
            "zip": b["cep"],
            "partners": [(s["nome_socio"], s["qualificacao_socio"]) for s in b["QSA"]],  # text only, no code
            "email": b["email"].lower() or None,
            "phone": b["telefones"][0]["ddd"] + b["telefones"][0]["numero"],
        }
    assert provider == "cnpja"
    return {
        "cnpj": b["taxId"],
        "name": b["company"]["name"],
        "trade": b.get("alias", "").upper(),
        "status": b["status"]["text"].upper(),
        "status_date": b["statusDate"],
        "opened": b["founded"],
        "head": b["head"],
        "cnae": f"{b['mainActivity']['id']:07d}",
        "cnaes": [f"{a['id']:07d}" for a in b["sideActivities"]],
        "nature": b["company"]["nature"]["text"],
        "size": b["company"]["size"]["id"],
        "capital": Decimal(str(b["company"]["equity"])),
        "city": b["address"]["city"],
        "uf": b["address"]["state"],
        "zip": b["address"]["zip"],
        "partners": [(m["person"]["name"].upper(), m["role"]["id"]) for m in b["company"]["members"]],
        "email": b["emails"][0]["address"] if b["emails"] else None,
        "phone": b["phones"][0]["area"] + b["phones"][0]["number"],
    }


_BODIES = [f"{n:08d}0001" for n in range(11222333, 11222333 + 60 * 7919, 7919)] + ["12ABC34501DE", "556677880002"]


@pytest.mark.parametrize("body", _BODIES)
def test_one_company_behind_the_six_formats(body: str) -> None:
    cnpj = body + check_digits(body)
    canon = {p: _canon(p, render(p, cnpj, AS_OF)) for p in PROVIDERS}
    company = generate_company(cnpj, AS_OF)
    same_everywhere = ("cnpj", "name", "status", "status_date", "opened", "head", "cnae", "cnaes", "nature", "size")
    for field in (*same_everywhere, "uf", "zip", "phone"):
        assert len({repr(c[field]) for c in canon.values()}) == 1, (field, {p: c[field] for p, c in canon.items()})
    assert canon["cnpjws"]["cnpj"] == cnpj
    assert len({c["trade"] for c in canon.values()}) == 1
    # City: RF's UPPER without accents, or the accented name (cnpj.ws, CNPJá).
    assert {canon[p]["city"] for p in ("brasilapi", "minhareceita", "receitaws", "opencnpj")} == {company.city.name}
    assert {canon[p]["city"] for p in ("cnpjws", "cnpja")} == {company.city.display}
    # Capital: exact in four formats; minha-receita/BrasilAPI hold a float32.
    assert {canon[p]["capital"] for p in ("cnpjws", "receitaws", "opencnpj", "cnpja")} == {company.capital}
    assert canon["brasilapi"]["capital"] == canon["minhareceita"]["capital"] == float32_number(company.capital)
    # Partners: same people; the role code wherever the provider has one (OpenCNPJ gives only the text).
    coded = {p: canon[p]["partners"] for p in ("cnpjws", "brasilapi", "minhareceita", "receitaws", "cnpja")}
    assert len({repr(v) for v in coded.values()}) == 1
    assert [name for name, _ in canon["opencnpj"]["partners"]] == [name for name, _ in coded["cnpjws"]]
    # E-mail: minha-receita's privacy mode drops it for everyone, so BrasilAPI's is null too.
    assert canon["brasilapi"]["email"] is None and canon["minhareceita"]["email"] is None
    assert len({canon[p]["email"] for p in ("cnpjws", "receitaws", "opencnpj", "cnpja")}) == 1


def test_minhareceita_and_brasilapi_200_bodies_are_identical() -> None:
    for n in range(1, 20):
        assert render("minhareceita", _cnpj(n), AS_OF) == render("brasilapi", _cnpj(n), AS_OF)


def test_each_providers_format_quirks() -> None:
    cnpj = _company_where(lambda c: c.main_cnae.code.startswith("0"))
    brasilapi, cnpja, opencnpj, cnpjws, receitaws = (
        render(p, cnpj, AS_OF) for p in ("brasilapi", "cnpja", "opencnpj", "cnpjws", "receitaws")
    )
    code = generate_company(cnpj, AS_OF).main_cnae.code
    assert isinstance(cnpja["mainActivity"]["id"], int) and str(cnpja["mainActivity"]["id"]) == code.lstrip("0")
    assert brasilapi["cnae_fiscal"] == int(code) and len(str(brasilapi["cnae_fiscal"])) == 6
    assert opencnpj["cnae_principal"] == code and cnpjws["estabelecimento"]["atividade_principal"]["id"] == code
    assert receitaws["atividade_principal"][0]["code"] == f"{code[:2]}.{code[2:4]}-{code[4]}-{code[5:]}"
    assert re.fullmatch(r"\d+,\d{2}", opencnpj["capital_social"])
    assert all(re.fullmatch(r"\d+\.\d{2}", b["capital_social"]) for b in (cnpjws, receitaws))
    assert isinstance(cnpja["company"]["equity"], float)
    assert opencnpj["situacao_cadastral"] == brasilapi["descricao_situacao_cadastral"].title()
    assert cnpjws["estabelecimento"]["situacao_cadastral"] == brasilapi["descricao_situacao_cadastral"].title()
    assert receitaws["cnpj"] == format_cnpj(cnpj) and receitaws["abertura"].count("/") == 2
    assert opencnpj["codigo_municipio"] == f"{brasilapi['codigo_municipio']:04d}"  # SIAFI, as a string
    assert cnpja["address"]["municipality"] == brasilapi["codigo_municipio_ibge"]  # IBGE, no SIAFI
    assert "codigo_municipio_ibge" not in opencnpj
    assert cnpja["address"]["street"].split()[0] in ("Rua", "Avenida")  # the street type inside the street
    if brasilapi["qsa"]:
        person = cnpja["company"]["members"][0]["person"]["name"]
        assert person == person.title().replace(" De ", " de ").replace(" Da ", " da ")
        assert brasilapi["qsa"][0]["nome_socio"].isupper()


def test_float32_capital_loses_precision_when_large() -> None:
    assert float32_number(Decimal("6983568523.86")) == 6983568384  # providers.md's example
    assert float32_number(Decimal("1234.56")) == 1234.56
    assert float32_number(Decimal("0")) == 0 and isinstance(float32_number(Decimal("0")), int)


def test_record_dates_are_recent_relative_to_as_of_and_move_with_it() -> None:
    cnpj = _cnpj(4242)
    for provider, read in (
        ("cnpjws", lambda b: b["atualizado_em"]),
        ("receitaws", lambda b: b["ultima_atualizacao"]),
        ("cnpja", lambda b: b["updated"]),
    ):
        stamp = read(render(provider, cnpj, AS_OF))
        assert stamp.endswith("Z") and datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        age = (AS_OF - date.fromisoformat(stamp[:10])).days
        assert 0 <= age <= 45, (provider, stamp)
        later = read(render(provider, cnpj, date(2027, 3, 1)))
        assert (date.fromisoformat(later[:10]) - date.fromisoformat(stamp[:10])).days == (date(2027, 3, 1) - AS_OF).days
    cnpjws = render("cnpjws", cnpj, AS_OF)
    assert cnpjws["estabelecimento"]["atualizado_em"] == cnpjws["atualizado_em"]


def test_no_generated_date_is_in_the_future() -> None:
    for n in range(1, 300):
        company = generate_company(_cnpj(n), AS_OF)
        assert company.opened <= AS_OF and company.status_date <= AS_OF
        assert all(p.since <= AS_OF for p in company.partners)


def test_same_cnpj_same_payload_other_cnpj_other_company() -> None:
    for provider in PROVIDERS:
        assert render(provider, _cnpj(42), AS_OF) == render(provider, _cnpj(42), AS_OF)
    assert generate_company(_cnpj(42), AS_OF) != generate_company(_cnpj(43), AS_OF)


def test_status_is_mostly_ativa_and_formats_vary() -> None:
    companies = [generate_company(_cnpj(n), AS_OF) for n in range(1, 401)]
    statuses = Counter(c.status.name for c in companies)
    assert statuses["ATIVA"] / 400 > 0.75
    assert set(statuses) == {"ATIVA", "BAIXADA", "INAPTA", "SUSPENSA"}
    assert {c.nature.code for c in companies} == {"2062", "2054", "2135", "3999"}
    assert any(c.main_cnae.code.startswith("0") for c in companies)
    assert any(c.registrations for c in companies) and any(not c.registrations for c in companies)


def test_sole_proprietors_have_no_partners_and_no_company_email() -> None:
    cnpj = _company_where(lambda c: c.nature.code == "2135")
    cnpja, opencnpj, brasilapi = (render(p, cnpj, AS_OF) for p in ("cnpja", "opencnpj", "brasilapi"))
    assert cnpja["company"]["members"] == [] and cnpja["emails"] == []
    assert opencnpj["QSA"] == [] and opencnpj["email"] == ""
    assert brasilapi["qsa"] == [] and brasilapi["qualificacao_do_responsavel"] == 50
    assert opencnpj["qualificacao_responsavel"] == {"codigo": "50", "descricao": "Empresário"}


def test_alphanumeric_cnpjs_are_generated_too() -> None:
    body = "12ABC34501DE"
    cnpj = body + check_digits(body)
    assert render("brasilapi", cnpj, AS_OF)["cnpj"] == cnpj
    assert render("cnpjws", cnpj, AS_OF)["estabelecimento"]["cnpj_raiz"] == "12ABC345"
    assert render("opencnpj", cnpj, AS_OF)["cnpj"] == cnpj
    assert render("cnpja", cnpj, AS_OF)["company"]["id"] == "12ABC345"  # [unverified]: no int for a letter root
    assert render("cnpja", _cnpj(7526557), AS_OF)["company"]["id"] == 7526557
