"""The provider sandbox over real HTTP: fixtures, cross-provider not-found, invalid CNPJs, limits, faults, stats."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.aws import free_port
from tests.support.sandbox import LOOKUP_PATHS, configure, fixture_payload, lookup, numbered_cnpj, reset, serve_sandbox

ROOT = Path(__file__).resolve().parents[2]
_cnpj, _fixture, _configure, _lookup = numbered_cnpj, fixture_payload, configure, lookup


@pytest.fixture(scope="module")
def sandbox() -> Iterator[httpx.Client]:
    with serve_sandbox(rate_limits=False, seed=7, timeout_seconds=1.0) as http:
        yield http


@pytest.fixture
def client(sandbox: httpx.Client) -> httpx.Client:
    return reset(sandbox)


def test_fixture_records_are_served_verbatim_by_their_provider(client: httpx.Client) -> None:
    cnpjws = _lookup(client, "cnpjws", "27865757000102")
    receitaws = _lookup(client, "receitaws", "27865757000102")
    brasilapi = _lookup(client, "brasilapi", "33683111000280")

    assert cnpjws.status_code == 200 and cnpjws.json() == _fixture("cnpjws_27865757000102.json")
    assert receitaws.status_code == 200 and receitaws.json() == _fixture("receitaws_27865757000102.json")
    assert brasilapi.json() == _fixture("brasilapi-minhareceita_33683111000280.json")
    assert cnpjws.headers["content-type"].startswith("application/json")


def test_other_providers_answer_not_found_in_their_real_format(client: httpx.Client) -> None:
    brasilapi = _lookup(client, "brasilapi", "27865757000102")  # fixtures under cnpjws and receitaws only
    cnpjws = _lookup(client, "cnpjws", "19131243000197")  # fixture under brasilapi only
    receitaws = _lookup(client, "receitaws", "19131243000197")

    assert brasilapi.status_code == 404
    assert brasilapi.json() == {
        "message": "CNPJ 27.865.757/0001-02 não encontrado.",
        "type": "not_found",
        "name": "NotFoundError",
    }
    assert cnpjws.status_code == 404 and cnpjws.json()["status"] == 404 and "titulo" in cnpjws.json()
    assert receitaws.status_code == 200
    assert receitaws.json() == {"message": "CNPJ rejeitado pela Receita Federal", "status": "ERROR"}


def test_error_samples_answer_for_their_own_cnpj(client: httpx.Client) -> None:
    upstream_down = _lookup(client, "brasilapi", "65478551000100")
    official_example = _lookup(client, "brasilapi", "12ABC34501DE35")

    assert upstream_down.status_code == 500 and upstream_down.json()["name"] == "AxiosError"
    assert official_example.status_code == 404
    assert official_example.json()["message"] == "CNPJ 12.ABC.345/01DE-35 não encontrado."
    assert _lookup(client, "cnpjws", "12ABC34501DE35").status_code == 404


def test_valid_cnpj_without_fixture_gets_a_generated_record_everywhere(client: httpx.Client) -> None:
    cnpj = _cnpj(11222333)
    cnpjws, brasilapi, receitaws = (_lookup(client, p, cnpj) for p in ("cnpjws", "brasilapi", "receitaws"))

    assert [r.status_code for r in (cnpjws, brasilapi, receitaws)] == [200, 200, 200]
    assert cnpjws.json()["estabelecimento"]["cnpj"] == brasilapi.json()["cnpj"] == cnpj
    assert receitaws.json()["status"] == "OK"
    assert _lookup(client, "cnpjws", cnpj).json() == cnpjws.json()  # deterministic


def test_invalid_cnpjs_are_answered_as_each_provider_does(client: httpx.Client) -> None:
    cnpjws = _lookup(client, "cnpjws", "19131243000198")
    brasilapi = _lookup(client, "brasilapi", "19131243000198")
    receitaws = _lookup(client, "receitaws", "19131243000198")
    garbage = _lookup(client, "brasilapi", "foobar")

    assert cnpjws.status_code == 400
    assert cnpjws.json() == {
        "status": 400,
        "titulo": "Requisição inválida",
        "detalhes": "CNPJ inválido",
        "validacao": [],
    }
    assert brasilapi.status_code == 400
    assert brasilapi.json() == {
        "message": "CNPJ 19.131.243/0001-98 inválido.",
        "type": "bad_request",
        "name": "BadRequestError",
    }
    assert receitaws.status_code == 200 and receitaws.json() == {"status": "ERROR", "message": "CNPJ inválido"}
    assert garbage.status_code == 400 and garbage.json()["message"] == "CNPJ foobar inválido."


def test_brasilapi_accepts_a_masked_cnpj_and_the_others_do_not(client: httpx.Client) -> None:
    assert _lookup(client, "brasilapi", "19.131.243/0001-97").json()["cnpj"] == "19131243000197"
    assert _lookup(client, "cnpjws", "19.131.243%2F0001-97").status_code == 400


def test_each_provider_enforces_its_real_limit_with_its_real_429(client: httpx.Client) -> None:
    _configure(client, rate_limits=True, limits_per_min={"brasilapi": 2}, receitaws_wait_share=0.0)
    cnpjws = [_lookup(client, "cnpjws", _cnpj(n)).status_code for n in range(1, 5)]
    receitaws = [_lookup(client, "receitaws", _cnpj(n)).status_code for n in range(1, 5)]
    brasilapi = [_lookup(client, "brasilapi", _cnpj(n)) for n in range(1, 4)]
    limited_cnpjws = _lookup(client, "cnpjws", _cnpj(9))

    assert cnpjws == [200, 200, 200, 429] and receitaws == [200, 200, 200, 429]
    assert [r.status_code for r in brasilapi] == [200, 200, 429]
    vercel = brasilapi[2]
    assert vercel.headers["x-vercel-mitigated"] == "deny" and vercel.text.startswith("Too Many Requests")
    assert limited_cnpjws.json()["status"] == 429
    stats = client.get("/_sandbox/stats").json()
    assert stats["rate_limited"] == {p: {"cnpjws": 2, "brasilapi": 1, "receitaws": 1}.get(p, 0) for p in LOOKUP_PATHS}
    assert stats["violations"] == 4
    assert stats["violations_by_kind"] == {"cnpjws": {"429": 2}, "brasilapi": {"429": 1}, "receitaws": {"429": 1}}


def test_at_time_scale_10_every_provider_refuses_the_n_plus_first_then_admits_again() -> None:
    """At scale 10 a provider's N per minute are N per 6 s: for each of the six, at its default limit, the (N+1)th
    request inside the scaled window is refused with a scaled Retry-After, and once the window has passed the same
    client is admitted again. Counts are asserted, not timings."""
    with serve_sandbox(time_scale=10, receitaws_wait_share=0.0) as http:
        config = http.get("/_sandbox/config").json()
        limits = {p: int(n) for p, n in config["limits_per_min"].items()}
        first = {p: [_lookup(http, p, _cnpj(k)).status_code for k in range(1, n + 2)] for p, n in limits.items()}
        filled = time.monotonic()  # every admitted request was before this instant
        refused = {p: _lookup(http, p, _cnpj(99)) for p in ("receitaws", "minhareceita", "opencnpj")}
        stats = http.get("/_sandbox/stats").json()
        time.sleep(max(0.0, config["window_seconds"] - (time.monotonic() - filled)) + 0.1)
        again = {p: _lookup(http, p, _cnpj(500)).status_code for p in limits}

    assert (config["time_scale"], config["window_seconds"]) == (10.0, 6.0)
    assert limits == {"cnpjws": 3, "brasilapi": 60, "receitaws": 3, "minhareceita": 30, "opencnpj": 60, "cnpja": 5}
    assert first == {p: [200] * n + [429] for p, n in limits.items()}
    assert all(1 <= int(r.headers["Retry-After"]) <= 6 for r in refused.values())  # the real 60 s, scaled
    assert stats["time_scale"] == 10.0 and stats["window_seconds"] == 6.0
    assert stats["rate_limited"] == {p: 2 if p in refused else 1 for p in limits}
    assert stats["violations"] == 9
    assert again == {p: 200 for p in limits}


def test_paid_tiers_are_not_held_to_the_public_limit(client: httpx.Client) -> None:
    _configure(client, rate_limits=True)
    cnpj = _cnpj(5)
    statuses = [_lookup(client, "cnpjws", cnpj, params={"token": "paid"}).status_code for _ in range(5)]
    days = [
        client.get(f"/receitaws/v1/cnpj/{cnpj}/days/30", headers={"Authorization": "Bearer t"}).status_code
        for _ in range(5)
    ]
    assert statuses == [200] * 5 and days == [200] * 5


@pytest.mark.parametrize(
    ("fault", "check"),
    [
        ("5xx", lambda r: r.status_code >= 500),
        ("html", lambda r: r.status_code == 403 and "Just a moment" in r.text and "html" in r.headers["content-type"]),
        ("429", lambda r: r.status_code == 429),
    ],
)
def test_injected_faults(client: httpx.Client, fault: str, check: Any) -> None:
    _configure(client, fault_rate=1.0, faults=[fault])
    responses = [_lookup(client, p, _cnpj(77)) for p in ("cnpjws", "brasilapi", "receitaws")]
    assert all(check(r) for r in responses), [(r.status_code, r.text[:80]) for r in responses]
    assert client.get("/_sandbox/stats").json()["faults"] == {
        p: {fault: 1} for p in ("cnpjws", "brasilapi", "receitaws")
    }


def test_truncated_json_fault(client: httpx.Client) -> None:
    _configure(client, fault_rate=1.0, faults=["truncated"])
    response = _lookup(client, "cnpjws", _cnpj(78))
    assert response.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)


def test_timeout_fault_outlasts_the_client_read_timeout(client: httpx.Client) -> None:
    _configure(client, fault_rate=1.0, faults=["timeout"], timeout_seconds=1.0)
    with pytest.raises(httpx.ReadTimeout):
        _lookup(client, "receitaws", _cnpj(79), timeout=httpx.Timeout(5.0, read=0.2))


def test_fault_rate_applies_to_a_share_of_requests_and_per_provider(client: httpx.Client) -> None:
    _configure(client, fault_rate=0.3, faults=["5xx"], seed=11, fault_rate_by_provider={"cnpjws": 0.0})
    brasilapi = [_lookup(client, "brasilapi", _cnpj(n)).status_code for n in range(100, 200)]
    cnpjws = [_lookup(client, "cnpjws", _cnpj(n)).status_code for n in range(100, 120)]

    failed = sum(1 for status in brasilapi if status >= 500)
    assert 15 <= failed <= 45
    assert cnpjws == [200] * 20


def test_stats_count_per_provider_status_and_cnpj_and_reset_clears_them(client: httpx.Client) -> None:
    cnpj = _cnpj(31)
    _lookup(client, "cnpjws", cnpj)
    _lookup(client, "cnpjws", cnpj)
    _lookup(client, "brasilapi", "19131243000198")
    stats = client.get("/_sandbox/stats").json()

    assert stats["requests"] == {p: {"cnpjws": 2, "brasilapi": 1}.get(p, 0) for p in LOOKUP_PATHS}
    assert stats["by_status"] == {"cnpjws": {"200": 2}, "brasilapi": {"400": 1}}
    assert stats["by_route"] == {"cnpjws": {"lookup": 2}, "brasilapi": {"lookup": 1}}
    assert stats["by_cnpj"] == {cnpj: 2}
    assert stats["violations"] == 0

    client.post("/_sandbox/reset").raise_for_status()
    assert set(client.get("/_sandbox/stats").json()["requests"].values()) == {0}


def test_control_endpoints(client: httpx.Client) -> None:
    assert client.get("/_sandbox/health").json()["status"] == "ok"
    assert client.post("/_sandbox/config", json={"fault_rate": 2}).status_code == 400
    assert client.post("/_sandbox/config", json={"latency_ms": 5}).json()["latency_ms"] == 5
    assert client.get("/_sandbox/config").json()["latency_ms"] == 5
    client.post("/_sandbox/reset")
    assert client.get("/_sandbox/config").json()["latency_ms"] == 0  # reset restores the startup config
    assert client.get("/nowhere").status_code == 404
    assert client.post("/cnpjws/cnpj/27865757000102").status_code == 405


def test_a_fixture_edited_between_two_checks_is_served_fresh(tmp_path: Path) -> None:
    cnpj = _cnpj(4242)
    record = _fixture("receitaws_27865757000102.json") | {"cnpj": cnpj, "situacao": "ATIVA"}
    path = tmp_path / f"receitaws_{cnpj}.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    with serve_sandbox(fixtures_dir=tmp_path, rate_limits=False) as http:
        first = _lookup(http, "receitaws", cnpj).json()["situacao"]
        path.write_text(json.dumps(record | {"situacao": "BAIXADA"}), encoding="utf-8")
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        second = _lookup(http, "receitaws", cnpj).json()["situacao"]
        other = _lookup(http, "cnpjws", cnpj)
    assert (first, second) == ("ATIVA", "BAIXADA")
    assert other.status_code == 404  # a fixture under one provider: not found under the others


def test_runs_as_a_module_with_flags_and_environment(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "RADAR_SANDBOX_FIXTURES": str(tmp_path),
        "RADAR_SANDBOX_FAULT_RATE": "0",
        "RADAR_SANDBOX_LIMIT_CNPJA_PER_MIN": "7",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "scripts.sandbox", "--port", str(port), "--rate-limits", "off", "--time-scale", "10"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 15
        while True:
            try:
                health = httpx.get(f"{url}/_sandbox/health")
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.05)
        config = httpx.get(f"{url}/_sandbox/config").json()
        generated = httpx.get(f"{url}/cnpjws/cnpj/27865757000102")  # the empty fixture dir: generated
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert health.status_code == 200
    assert config["rate_limits"] is False
    assert (config["time_scale"], config["window_seconds"], config["limits_per_min"]["cnpja"]) == (10.0, 6.0, 7.0)
    assert generated.status_code == 200 and generated.json()["estabelecimento"]["cnpj"] == "27865757000102"
