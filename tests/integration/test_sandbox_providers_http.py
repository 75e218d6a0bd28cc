"""Over real HTTP, the providers added for issues 12/15: minha-receita (and BrasilAPI failing with it), OpenCNPJ
(Cloudflare challenge included), CNPJá open, ReceitaWS's "wait a minute", freshness metadata, counters."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from radar.cnpj import check_digits
from tests.support.sandbox import LOOKUP_PATHS, configure, fixture_payload, numbered_cnpj, reset, serve_sandbox

_cnpj, _fixture, _configure = numbered_cnpj, fixture_payload, configure


@pytest.fixture(scope="module")
def sandbox() -> Iterator[httpx.Client]:
    with serve_sandbox(rate_limits=False, seed=5, timeout_seconds=1.0, as_of="2026-10-01") as http:
        yield http


@pytest.fixture
def client(sandbox: httpx.Client) -> httpx.Client:
    return reset(sandbox)


def _stats(client: httpx.Client) -> dict[str, Any]:
    return dict(client.get("/_sandbox/stats").json())


# -- minha-receita --------------------------------------------------------------------------------------------------
def test_minhareceita_serves_its_record_masked_or_not_and_brasilapis_as_its_own(client: httpx.Client) -> None:
    bare = client.get("/minhareceita/19131243000197")
    masked = client.get("/minhareceita/19.131.243/0001-97")
    encoded = client.get("/minhareceita/19.131.243%2F0001-97")
    twin = client.get("/minhareceita/33683111000280")  # only a BrasilAPI file: the same body from its backend

    assert bare.status_code == masked.status_code == encoded.status_code == 200
    assert bare.json() == masked.json() == encoded.json() == _fixture("minhareceita_19131243000197.json")
    assert twin.json() == _fixture("brasilapi-minhareceita_33683111000280.json")
    assert bare.headers["cache-control"] == "max-age=86400" and bare.headers["access-control-allow-origin"] == "*"
    assert bare.headers["content-type"] == "application/json"


def test_minhareceita_generated_body_is_brasilapis_in_jsonb_order_without_email(client: httpx.Client) -> None:
    cnpj = _cnpj(11222333)
    direct = client.get(f"/minhareceita/{cnpj}")
    proxied = client.get(f"/brasilapi/api/cnpj/v1/{cnpj}")

    assert direct.status_code == proxied.status_code == 200
    assert direct.json() == proxied.json()
    assert direct.content.startswith(b'{"uf":') and b'"email":null' in direct.content  # compact, jsonb order
    assert direct.json()["cnpj"] == cnpj and "descricao_porte" not in direct.json()
    assert proxied.headers["cache-control"] == "max-age=0, s-maxage=86400, stale-while-revalidate, public"
    assert proxied.headers["etag"].startswith('W/"')


@pytest.mark.parametrize(
    ("raw", "status", "message"),
    [
        ("foobar", 400, "CNPJ foobar inválido."),  # cannot be masked: echoed as typed
        ("19131243000198", 400, "CNPJ 19.131.243/0001-98 inválido."),
        ("12abc34501de35", 400, "CNPJ 12abc34501de35 inválido."),  # lowercase letters are dropped, not uppercased
        ("00000000000000", 404, "CNPJ 00.000.000/0000-00 não encontrado."),  # passes the checksum
        ("33787094000140", 404, "CNPJ 33.787.094/0001-40 não encontrado."),  # the captured outage 404
        ("12ABC34501DE35", 404, "CNPJ 12.ABC.345/01DE-35 não encontrado."),  # BrasilAPI's 404, from its backend
    ],
)
def test_minhareceita_errors(client: httpx.Client, raw: str, status: int, message: str) -> None:
    response = client.get(f"/minhareceita/{raw}")
    assert (response.status_code, response.json()) == (status, {"message": message})
    assert response.headers["cache-control"] == "max-age=86400"  # 400s and 404s are cacheable for a day too


def test_brasilapi_validates_like_its_backend(client: httpx.Client) -> None:
    lowercase = client.get("/brasilapi/api/cnpj/v1/12abc34501de35")
    zeros = client.get("/brasilapi/api/cnpj/v1/00000000000000")
    assert lowercase.status_code == 400 and lowercase.json() == {
        "message": "CNPJ 12abc34501de35 inválido.",
        "type": "bad_request",
        "name": "BadRequestError",
    }
    assert zeros.status_code == 404 and zeros.json()["name"] == "NotFoundError"


def test_minhareceita_methods_updated_and_healthz(client: httpx.Client) -> None:
    post = client.post("/minhareceita/19131243000197")
    options = client.options("/minhareceita/19131243000197")
    docs = client.get("/minhareceita/")
    updated = client.get("/minhareceita/updated")
    health, head = client.get("/minhareceita/healthz"), client.head("/minhareceita/healthz")

    assert post.status_code == 405 and post.json() == _fixture("minhareceita_error_405_POST.json")
    assert post.headers["content-type"].startswith("text/plain")  # Go sets the type after the status line
    assert options.status_code == 200 and options.headers["access-control-allow-methods"] == "GET, OPTIONS"
    assert docs.status_code == 302 and docs.headers["location"] == "https://docs.minhareceita.org"
    assert updated.status_code == 200 and updated.json() == {"message": "2026-09-06"}  # as_of - 25 days
    assert updated.headers["cache-control"] == "max-age=86400"
    assert (health.status_code, head.status_code) == (200, 200)
    assert client.post("/minhareceita/healthz").json() == {"message": "Essa URL aceita apenas os métodos GET e HEAD."}
    assert _stats(client)["by_route"]["minhareceita"]["updated"] == 1


# -- an outage of minha-receita is one of BrasilAPI ----------------------------------------------------------------
def test_a_minhareceita_outage_is_a_brasilapi_outage_in_brasilapis_format(client: httpx.Client) -> None:
    _configure(client, fault_rate_by_provider={"minhareceita": 1.0}, faults=["5xx"])
    cnpjs = [_cnpj(n) for n in range(300, 305)]
    direct = [client.get(f"/minhareceita/{c}") for c in cnpjs]
    proxied = [client.get(f"/brasilapi/api/cnpj/v1/{c}") for c in cnpjs]
    elsewhere = [client.get(f"/cnpjws/cnpj/{c}").status_code for c in cnpjs]

    assert {(r.status_code, r.text) for r in direct} == {(522, "error code: 522")}
    assert {r.status_code for r in proxied} == {500}
    assert {json.dumps(r.json()) for r in proxied} == {
        json.dumps({"message": "Request failed with status code 522", "type": "internal_error", "name": "AxiosError"})
    }
    assert elsewhere == [200] * 5
    faults = _stats(client)["faults"]
    assert faults == {"minhareceita": {"5xx": 5}, "brasilapi": {"upstream_5xx": 5}}


def test_a_minhareceita_database_outage_is_a_404_for_every_cnpj_on_both(client: httpx.Client) -> None:
    _configure(client, fault_rate_by_provider={"minhareceita": 1.0}, faults=["404"], time_scale=100)
    cnpj = _cnpj(11222333)  # a company both serve when healthy
    direct = client.get(f"/minhareceita/{cnpj}")
    proxied = client.get(f"/brasilapi/api/cnpj/v1/{cnpj}")
    assert direct.status_code == 404 and direct.json() == {"message": "CNPJ 11.222.333/0001-81 não encontrado."}
    assert proxied.status_code == 404 and proxied.json()["name"] == "NotFoundError"
    assert client.get("/minhareceita/updated").status_code == 200  # "not found" is about companies
    assert _stats(client)["faults"] == {"minhareceita": {"404": 1}, "brasilapi": {"upstream_404": 1}}

    _configure(client, fault_rate_by_provider={"minhareceita": 0.0})
    assert client.get(f"/brasilapi/api/cnpj/v1/{cnpj}").status_code == 200  # back when minha-receita is


def test_the_global_fault_rate_fails_brasilapi_once_not_twice(client: httpx.Client) -> None:
    _configure(client, fault_rate=1.0, faults=["5xx"])
    client.get(f"/brasilapi/api/cnpj/v1/{_cnpj(77)}")
    assert _stats(client)["faults"] == {"brasilapi": {"5xx": 1}}  # its own fault, no upstream draw on top


# -- OpenCNPJ -------------------------------------------------------------------------------------------------------
def test_opencnpj_serves_its_records_with_lowercase_and_masks(client: httpx.Client) -> None:
    record = client.get("/opencnpj/04311762000160")
    masked = client.get("/opencnpj/04.311.762/0001-60")
    generated = client.get(f"/opencnpj/{_cnpj(11222333)}")
    body = "12ABC34501DE"
    alnum = body + check_digits(body)
    lowercase_other = client.get(f"/opencnpj/{_cnpj(900).lower()}")

    assert record.status_code == 200 and record.json() == _fixture("opencnpj_04311762000160.json")
    assert masked.json() == record.json()
    assert record.headers["cache-control"] == "public, max-age=86400, s-maxage=86400"
    assert record.headers["content-type"] == "application/json; charset=utf-8"
    assert generated.status_code == 200 and generated.json()["cnpj"] == _cnpj(11222333)
    assert all(isinstance(v, str) for k, v in generated.json().items() if not isinstance(v, list | dict))
    assert lowercase_other.status_code == 200
    assert client.get(f"/opencnpj/{alnum.lower()}").status_code == 404  # the official example: valid, absent


@pytest.mark.parametrize(
    ("raw", "status", "body"),
    [
        ("00000000000002", 404, {"error": "not found"}),  # bad check digits: 404, not 400
        ("19131243000198", 404, {"error": "not found"}),
        ("94580730000152", 404, {"error": "not found"}),  # the captured 404
        ("1913124300019", 400, {"error": "invalid cnpj"}),
        ("19131243/0001/97", 400, {"error": "invalid cnpj"}),  # more than one slash
        ("19 131 243 0001 97", 400, {"error": "invalid cnpj"}),  # only . / - are stripped
        ("1913124300019A", 400, {"error": "invalid cnpj"}),  # check digits must be digits
    ],
)
def test_opencnpj_errors(client: httpx.Client, raw: str, status: int, body: dict[str, str]) -> None:
    response = client.get(f"/opencnpj/{raw}")
    assert (response.status_code, response.json()) == (status, body)
    assert response.headers["cache-control"] == "no-store"


def test_opencnpj_datasets(client: httpx.Client) -> None:
    only_sanctions = client.get("/opencnpj/19131243000197", params={"datasets": "ceis,cepim,cnep"})
    spaced = client.get(f"/opencnpj/{_cnpj(5)}", params={"dataset": "ceis e cnep"})
    with_receita = client.get(f"/opencnpj/{_cnpj(5)}", params={"datasets": "receita,cnep"})
    absent_company = client.get("/opencnpj/00000000000002", params={"datasets": "ceis"})
    unknown = client.get(f"/opencnpj/{_cnpj(5)}", params={"datasets": "receita,foo,bar"})

    assert only_sanctions.json() == _fixture("opencnpj_19131243000197_datasets-ceis-cepim-cnep.json")
    assert spaced.json() == {"ceis": None, "cnep": None}
    assert with_receita.json()["cnpj"] == _cnpj(5) and with_receita.json()["cnep"] is None
    assert "ceis" not in with_receita.json()
    assert absent_company.status_code == 200 and absent_company.json() == {"ceis": None}  # no Receita part asked
    assert unknown.status_code == 400 and unknown.json() == {"error": "invalid dataset: foo,bar"}


def test_opencnpj_info_schema_and_methods(client: httpx.Client) -> None:
    info = client.get("/opencnpj/info")
    schema = client.get("/opencnpj/schema")
    post = client.post("/opencnpj/19131243000197")
    preflight = client.options("/opencnpj/19131243000197")

    assert info.status_code == 200 and info.json()["last_updated"] == "2026-09-15T00:54:12Z"  # as_of - 16 days
    assert set(info.json()["datasets"]) >= {"receita", "ceis", "cepim", "cnep"}
    assert info.headers["cache-control"] == "no-store"
    assert schema.json()["$schema"].endswith("2020-12/schema") and "razao_social" in schema.json()["properties"]
    assert post.status_code == 405 and post.json() == {"error": "method not allowed"}
    assert preflight.status_code == 204 and preflight.headers["access-control-allow-origin"] == "*"


def test_opencnpj_refuses_sustained_volume_then_challenges_whoever_keeps_going(client: httpx.Client) -> None:
    _configure(client, rate_limits=True, limits_per_min={"opencnpj": 4}, opencnpj_challenge_per_hour=8)
    responses = [client.get(f"/opencnpj/{_cnpj(n)}") for n in range(1, 12)]
    statuses = [r.status_code for r in responses]
    challenge = responses[-1]
    limited = responses[5]

    assert statuses == [200] * 4 + [429] * 4 + [403] * 3  # arrivals 9.. are over 8 an hour, refused ones count
    assert challenge.headers["cf-mitigated"] == "challenge" and "Just a moment..." in challenge.text
    assert challenge.headers["content-type"].startswith("text/html")
    assert limited.text == "error code: 1015" and int(limited.headers["Retry-After"]) >= 1
    stats = _stats(client)
    assert stats["violations_by_kind"] == {"opencnpj": {"429": 4, "challenge": 3}}
    assert stats["rate_limited"]["opencnpj"] == 7 and stats["violations"] == 7


def test_opencnpj_challenge_lifts_once_the_scaled_hour_has_passed(client: httpx.Client) -> None:
    # time_scale 3600: the hour lasts 1 s (and the minute 1/60 s, so only the volume rule refuses).
    _configure(client, rate_limits=True, time_scale=3600, opencnpj_challenge_per_hour=3)
    first = [client.get(f"/opencnpj/{_cnpj(n)}").status_code for n in range(1, 5)]
    time.sleep(1.1)
    again = client.get(f"/opencnpj/{_cnpj(9)}").status_code
    assert (first, again) == ([200, 200, 200, 403], 200)


# -- CNPJá open -----------------------------------------------------------------------------------------------------
def test_cnpja_serves_its_record_and_generated_offices(client: httpx.Client) -> None:
    record = client.get("/cnpja/office/07526557011659")
    generated = client.get(f"/cnpja/office/{_cnpj(11222333)}")
    body = "00000000E08G"
    alnum = client.get(f"/cnpja/office/{body}{check_digits(body)}")  # BrasilAPI's alphanumeric record elsewhere

    assert record.status_code == 200 and record.json() == _fixture("cnpja_07526557011659.json")
    office = generated.json()
    assert generated.status_code == 200 and office["taxId"] == _cnpj(11222333)
    assert isinstance(office["mainActivity"]["id"], int) and isinstance(office["company"]["equity"], float)
    assert alnum.status_code == 404  # a fixture under another provider: not found here


@pytest.mark.parametrize("raw", ["11222333000182", "11.222.333/0001-81", "1122233300018", "12abc34501de35"])
def test_cnpja_refuses_what_is_not_a_bare_valid_tax_id(client: httpx.Client, raw: str) -> None:
    response = client.get(f"/cnpja/office/{raw}")
    assert response.status_code == 400 and response.json() == _fixture("cnpja_error_400_invalid-dv.json")


def test_cnpja_not_found_limit_and_server_errors(client: httpx.Client) -> None:
    _configure(client, rate_limits=True)
    missing = client.get("/cnpja/office/12ABC34501DE35")
    assert missing.status_code == 404
    assert missing.json() == {"code": 404, "message": "tax id not registered at revenue service"}
    statuses = [client.get(f"/cnpja/office/{_cnpj(n)}").status_code for n in range(1, 7)]
    limited = client.get(f"/cnpja/office/{_cnpj(8)}")
    assert statuses == [200] * 4 + [429, 429]  # 5 a minute; the 404 above was one of them
    assert limited.json() == _fixture("cnpja_error_429_model.json")

    _configure(client, rate_limits=False, fault_rate=1.0, faults=["5xx"], seed=3)
    errors = [client.get(f"/cnpja/office/{_cnpj(n)}") for n in range(20, 30)]
    assert {r.status_code for r in errors} == {500, 503}
    assert {r.json()["message"] for r in errors} == {"unexpected error", "revenue service is offline"}


# -- ReceitaWS: "wait a minute" -----------------------------------------------------------------------------------
def test_receitaws_full_window_answers_wait_a_minute_in_its_configured_share(client: httpx.Client) -> None:
    _configure(client, rate_limits=True, receitaws_wait_share=1.0)
    statuses = [client.get(f"/receitaws/v1/cnpj/{_cnpj(n)}").status_code for n in range(1, 4)]
    wait = client.get(f"/receitaws/v1/cnpj/{_cnpj(4)}")
    assert statuses == [200, 200, 200]
    assert wait.status_code == 200 and wait.json() == {
        "status": "ERROR",
        "message": "Espere um minuto para tentar fazer uma nova requisição!",
        "errorCode": 101,
    }

    _configure(client, receitaws_wait_share=0.5, seed=9)
    refused = [client.get(f"/receitaws/v1/cnpj/{_cnpj(n)}").status_code for n in range(10, 50)]
    kinds = _stats(client)["violations_by_kind"]["receitaws"]
    assert kinds["wait_a_minute"] == 1 + refused.count(200) and kinds["429"] == refused.count(429)
    assert refused.count(200) >= 8 and refused.count(429) >= 8
    assert _stats(client)["rate_limited"]["receitaws"] == 41


def test_injected_429s_stay_429s_and_their_retry_after_is_scaled(client: httpx.Client) -> None:
    _configure(client, fault_rate=1.0, faults=["429"], receitaws_wait_share=1.0, time_scale=10)
    receitaws = client.get(f"/receitaws/v1/cnpj/{_cnpj(3)}")
    opencnpj = client.get(f"/opencnpj/{_cnpj(3)}")
    assert receitaws.status_code == 429 and receitaws.headers["Retry-After"] == "6"
    assert opencnpj.status_code == 429 and opencnpj.headers["Retry-After"] == "6"
    _configure(client, faults=["5xx"], seed=1)
    cloudflare_504 = next(
        r for n in range(40) if (r := client.get(f"/brasilapi/api/cnpj/v1/{_cnpj(n + 1)}")).status_code == 504
    )
    assert cloudflare_504.headers["retry-after"] == "12"  # the captured 120 s, scaled
    assert _stats(client)["violations"] == 0  # injected faults are not the client's fault


# -- each provider's own limit at the real rate, freshness, counters ----------------------------------------------
@pytest.mark.parametrize(("provider", "limit"), [("minhareceita", 30), ("opencnpj", 60), ("cnpja", 5)])
def test_new_providers_enforce_their_default_limit_at_the_real_rate(
    client: httpx.Client, provider: str, limit: int
) -> None:
    _configure(client, rate_limits=True)
    statuses = [client.get(LOOKUP_PATHS[provider].format(_cnpj(n))).status_code for n in range(1, limit + 3)]
    stats = _stats(client)
    assert statuses == [200] * limit + [429, 429]
    assert stats["rate_limited"][provider] == 2 and stats["violations"] == 2
    assert stats["requests"][provider] == limit + 2


def test_freshness_metadata_each_provider_carries(client: httpx.Client) -> None:
    cnpj = _cnpj(4242)
    cnpjws = client.get(f"/cnpjws/cnpj/{cnpj}").json()
    receitaws = client.get(f"/receitaws/v1/cnpj/{cnpj}").json()
    cnpja = client.get(f"/cnpja/office/{cnpj}").json()
    dump = client.get("/minhareceita/updated").json()["message"]
    info = client.get("/opencnpj/info").json()["last_updated"]
    config = client.get("/_sandbox/config").json()

    as_of = "2026-10-01"
    for stamp in (cnpjws["atualizado_em"], receitaws["ultima_atualizacao"], cnpja["updated"]):
        assert "2026-08-16" <= stamp[:10] <= as_of  # per record, at most 45 days before as_of
    assert (dump, info) == (config["dataset_dates"]["minhareceita"], config["dataset_dates"]["opencnpj"])
    _configure(client, dataset_dates={"minhareceita": "2026-09-29", "opencnpj": "2026-09-30T01:02:03Z"})
    assert client.get("/minhareceita/updated").json() == {"message": "2026-09-29"}
    assert client.get("/opencnpj/info").json()["last_updated"] == "2026-09-30T01:02:03Z"


def test_health_lists_the_six_providers(client: httpx.Client) -> None:
    assert client.get("/_sandbox/health").json()["providers"] == list(LOOKUP_PATHS)
    assert client.get("/cnpja/nowhere").status_code == 404
