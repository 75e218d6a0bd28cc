"""Issue 15 point 5: a provider switch alone produces an empty diff. The same company from two providers' payloads
(real captures, and the sandbox's company rendered in all six formats) normalizes to reports whose diff is empty."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from radar.checks.diff import diff_reports
from radar.cnpj import check_digits
from radar.normalize import (
    normalize_brasilapi,
    normalize_cnpja,
    normalize_cnpjws,
    normalize_minhareceita,
    normalize_opencnpj,
    normalize_receitaws,
)
from radar.report import Report
from scripts.sandbox.generator import render
from tests.unit.fakes import fixture

NORMALIZERS: dict[str, Callable[..., Report]] = {
    "cnpjws": normalize_cnpjws,
    "brasilapi": normalize_brasilapi,
    "receitaws": normalize_receitaws,
    "minhareceita": normalize_minhareceita,
    "opencnpj": normalize_opencnpj,
    "cnpja": normalize_cnpja,
}


def _report(provider: str, name: str) -> dict[str, Any]:
    return NORMALIZERS[provider](fixture(name)).model_dump(mode="json")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("brasilapi", "brasilapi_19131243000197.json"), ("opencnpj", "opencnpj_19131243000197_BONUS.json")),
        (
            ("brasilapi", "brasilapi-minhareceita_33683111000280.json"),
            ("minhareceita", "brasilapi-minhareceita_33683111000280.json"),
        ),
    ],
)
def test_real_captures_of_one_company_from_two_providers_diff_empty(
    first: tuple[str, str], second: tuple[str, str]
) -> None:
    a, b = _report(*first), _report(*second)
    assert a["source"] != b["source"]
    for before, after in ((a, b), (b, a)):
        diff = diff_reports(before, after)
        assert diff["changes"] == [] and diff["partners_in"] == [] and diff["partners_out"] == []
        assert diff["changed"] is False


def test_opencnpj_open_knowledge_is_brasilapis_even_with_the_email_only_one_carries() -> None:
    # minha-receita/BrasilAPI drop every e-mail (privacy mode), OpenCNPJ publishes it; OpenCNPJ has no IBGE code.
    brasilapi = _report("brasilapi", "brasilapi_19131243000197.json")
    opencnpj = _report("opencnpj", "opencnpj_19131243000197_BONUS.json")
    assert brasilapi["contact"]["email"] is None and opencnpj["contact"]["email"] == "torres.contab@gmail.com"
    assert brasilapi["address"]["city_ibge_code"] == "3550308" and opencnpj["address"]["city_ibge_code"] is None
    assert diff_reports(brasilapi, opencnpj)["changed"] is False


def test_captures_months_apart_show_only_what_changed_in_between() -> None:
    # CNPJ.ws (atualizado_em 2024-06-26) vs ReceitaWS (ultima_atualizacao 2024-11-06) for Globo: ReceitaWS lists
    # two more secondary CNAEs (6202300, 6203100) and a second phone; "Rua Lopes Quintas" (CNPJ.ws, no street type)
    # and "R LOPES QUINTAS" (ReceitaWS) are the same street, and partners without documents match by name.
    diff = diff_reports(
        _report("cnpjws", "cnpjws_27865757000102.json"), _report("receitaws", "receitaws_27865757000102.json")
    )
    assert [change["field"] for change in diff["changes"]] == ["contact.phones", "secondary_cnaes"]
    assert (diff["partners_in"], diff["partners_out"]) == ([], [])
    cnaes = next(c for c in diff["changes"] if c["field"] == "secondary_cnaes")
    assert set(cnaes["to"]) - set(cnaes["from"]) == {"6202300", "6203100"}


def test_the_same_baixada_association_from_brasilapi_and_opencnpj() -> None:
    diff = diff_reports(
        _report("brasilapi", "brasilapi_08942107000160_baixada.json"),
        _report("opencnpj", "opencnpj_08942107000160.json"),
    )
    assert diff["changes"] == []
    # The OpenCNPJ sample's partner CPFs are fakes (SOURCES-more.md): the same six names with other documents.
    assert sorted(p["name"] for p in diff["partners_in"]) == sorted(p["name"] for p in diff["partners_out"])
    assert len(diff["partners_in"]) == 6


_BODIES = [f"{n:08d}0001" for n in range(11222333, 11222333 + 40 * 7919, 7919)] + ["12ABC34501DE", "556677880002"]


@pytest.mark.parametrize("body", _BODIES)
def test_the_sandbox_company_from_any_two_of_the_six_providers_diffs_empty(body: str) -> None:
    cnpj = body + check_digits(body)
    reports = {p: n(render(p, cnpj), expected_cnpj=cnpj).model_dump(mode="json") for p, n in NORMALIZERS.items()}
    for first, before in reports.items():
        for second, after in reports.items():
            if first != second:
                diff = diff_reports(before, after)
                assert diff["changed"] is False, (first, second, diff["changes"], diff["partners_in"])


# -- the canonical comparison, one rule at a time -------------------------------------------------------------------
def _minimal(**fields: Any) -> dict[str, Any]:
    report: dict[str, Any] = {
        "cnpj": "19131243000197",
        "legal_name": "ACME LTDA",
        "status": "ATIVA",
        "share_capital": "6983568523.86",
        "address": {
            "street_type": "RUA",
            "street": "DAS FLORES",
            "city": "Salvador",
            "state": "BA",
            "country": "Brasil",
        },
        "source": "cnpjws",
        "fetched_at": "2026-11-01T00:00:00Z",
    }
    report.update(fields)
    return report


def test_case_accents_and_absent_country_after_a_switch_are_not_changes() -> None:
    # The example: cnpj.ws busy, ?refresh=true answered by BrasilAPI.
    later = _minimal(
        source="brasilapi",
        address={"street_type": "RUA", "street": "DAS FLORES", "city": "SALVADOR", "state": "BA", "country": None},
    )
    assert diff_reports(_minimal(), later)["changes"] == []
    accented = _minimal(address={**_minimal()["address"], "city": "São Paulo"})
    assert diff_reports(accented, _minimal(address={**_minimal()["address"], "city": "SAO PAULO"}))["changes"] == []


def test_a_field_gone_from_the_same_provider_is_a_change() -> None:
    later = _minimal(address={**_minimal()["address"], "city": None})
    assert diff_reports(_minimal(), later)["changes"] == [{"field": "address.city", "from": "Salvador", "to": None}]
    # Except Brazil itself: reports stored before domestic addresses said "Brasil" have no country.
    assert diff_reports(_minimal(address={**_minimal()["address"], "country": None}), _minimal())["changed"] is False
    abroad = _minimal(address={**_minimal()["address"], "country": "Portugal"})
    assert [c["field"] for c in diff_reports(_minimal(), abroad)["changes"]] == ["address.country"]


def test_pipe_fields_never_count() -> None:
    later = _minimal(
        source="opencnpj", fetched_at="2026-12-01T00:00:00Z", age_seconds=3600, stale=True, source_updated_at="x"
    )
    assert diff_reports(_minimal(age_seconds=0, stale=False), later)["changed"] is False


def test_absent_empty_and_null_read_the_same() -> None:
    assert diff_reports(_minimal(trade_name=None, secondary_cnaes=[]), _minimal(trade_name=""))["changed"] is False


def test_float32_capital_is_not_a_change_across_providers_but_a_real_change_is() -> None:
    # minha-receita stores the capital as a float32: 6983568523.86 arrives as 6983568384.
    rounded = _minimal(source="brasilapi", share_capital="6983568384.00")
    assert diff_reports(_minimal(), rounded)["changed"] is False
    assert diff_reports(_minimal(), _minimal(share_capital="6983568384.00"))["changed"] is True
    doubled = _minimal(source="brasilapi", share_capital="13967137047.72")
    assert [c["field"] for c in diff_reports(_minimal(), doubled)["changes"]] == ["share_capital"]


def test_street_type_abbreviations_and_placement() -> None:
    address = {"street_type": None, "street": "R DAS FLORES", "city": "Salvador", "state": "BA"}
    assert diff_reports(_minimal(), _minimal(source="receitaws", address=address))["changes"] == []
    moved = {**_minimal()["address"], "street_type": "AVENIDA"}
    assert diff_reports(_minimal(), _minimal(address=moved))["changes"] == [
        {"field": "address.street", "from": "RUA DAS FLORES", "to": "AVENIDA DAS FLORES"}
    ]


def test_cnae_descriptions_follow_their_codes() -> None:
    before = _minimal(main_cnae="6201501", main_cnae_description="Desenvolvimento de programas sob encomenda")
    after = _minimal(main_cnae="6201501", main_cnae_description="Desenvolvimento de programas de computador")
    assert diff_reports(before, after)["changed"] is False
