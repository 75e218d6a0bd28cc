"""The provider chain: cache, single-flight, fallback order, not-found rules, mock rules, limits, breakers, metrics."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aws_lambda_powertools import Metrics

from radar.cnpj import Cnpj, parse_cnpj
from radar.coordination import CacheEntry
from radar.lookup import CnpjNotFound, LookupSettings, ProvidersUnavailable, default_lookup, reset_lookup
from radar.lookup.chain import ProviderChain
from radar.lookup.registry import DEFAULT_PROVIDER_ORDER, build_providers
from radar.lookup.schemas import LookupResult
from radar.normalize import normalize_brasilapi, normalize_cnpjws, normalize_receitaws
from radar.providers.base import LazyClient
from radar.providers.brasilapi import BrasilApiProvider
from radar.providers.cnpjws import CnpjWsProvider
from radar.providers.errors import (
    ProviderBadResponse,
    ProviderInvalidCnpj,
    ProviderNotFound,
    ProviderRateLimited,
    ProviderTransient,
)
from radar.providers.receitaws import ReceitaWsProvider
from radar.report import Report
from tests.unit.fakes import (
    InlineSingleFlight,
    InMemoryBreaker,
    InMemoryCache,
    InMemoryLimiter,
    ScriptedProvider,
    fixture,
)

GLOBO = parse_cnpj("27865757000102")


def cnpjws_report(cnpj: Cnpj = GLOBO) -> Report:
    return normalize_cnpjws(fixture("cnpjws_27865757000102.json"), expected_cnpj=cnpj.value)


def receitaws_report(cnpj: Cnpj = GLOBO) -> Report:
    return normalize_receitaws(fixture("receitaws_27865757000102.json"), expected_cnpj=cnpj.value)


def not_found(name: str, status: int = 404) -> ProviderNotFound:
    return ProviderNotFound("no record", provider=name, status=status)


def transient(name: str, status: int | None = 503, retry_after: float | None = None) -> ProviderTransient:
    return ProviderTransient("down", provider=name, status=status, retry_after=retry_after)


class Chain:
    """A connector over in-memory ports, with handles on everything a test wants to look at."""

    def __init__(self, *providers: ScriptedProvider, allow_mock: bool = False, metrics: Metrics | None = None) -> None:
        self.providers = providers
        self.cache = InMemoryCache()
        self.single_flight = InlineSingleFlight()
        self.limiter = InMemoryLimiter()
        self.breaker = InMemoryBreaker()
        self.connector = ProviderChain(
            providers=list(providers),
            cache=self.cache,
            single_flight=self.single_flight,
            limiter=self.limiter,
            breaker=self.breaker,
            allow_mock=allow_mock,
            metrics=metrics,
        )

    def lookup(self, cnpj: Cnpj = GLOBO, **kwargs: Any) -> LookupResult:
        return self.connector.lookup(cnpj, **kwargs)


def outcomes(attempts: list[Any]) -> list[tuple[str, str]]:
    return [(a.provider, a.outcome) for a in attempts]


@pytest.fixture
def metrics() -> Iterator[Metrics]:
    shared = Metrics(namespace="CnpjRadarTest")
    shared.clear_metrics()
    yield shared
    shared.clear_metrics()


def emf_lines(output: str) -> list[dict[str, Any]]:
    lines = []
    for line in output.splitlines():
        if line.startswith("{") and '"_aws"' in line:
            lines.append(json.loads(line))
    return lines


class TestCache:
    def test_a_cached_report_is_returned_without_calling_any_provider(self, metrics: Metrics) -> None:
        provider = ScriptedProvider("cnpjws", cnpjws_report())
        chain = Chain(provider, metrics=metrics)
        chain.cache.put_report(GLOBO.value, cnpjws_report().model_dump(mode="json"), "cnpjws")
        result = chain.lookup()
        assert result.cached is True
        assert result.source == "cnpjws"
        assert result.report.legal_name == "GLOBO COMUNICACAO E PARTICIPACOES S/A"
        assert result.attempts == []
        assert provider.calls == []
        assert "CacheHit" in metrics.metric_set and "CacheMiss" not in metrics.metric_set

    def test_a_cached_negative_is_a_final_not_found(self) -> None:
        provider = ScriptedProvider("cnpjws", cnpjws_report())
        chain = Chain(provider)
        chain.cache.put_negative(GLOBO.value)
        with pytest.raises(CnpjNotFound) as caught:
            chain.lookup()
        assert caught.value.status == 404
        assert provider.calls == []

    def test_an_expired_entry_is_a_miss(self) -> None:
        provider = ScriptedProvider("cnpjws", cnpjws_report())
        chain = Chain(provider)
        chain.cache.entries[GLOBO.value] = CacheEntry(GLOBO.value, None, True, None, "2026-01-01T00:00:00Z", 1)
        assert chain.lookup().cached is False
        assert provider.calls == [GLOBO.value]

    def test_a_miss_walks_the_chain_and_caches_the_report(self, metrics: Metrics) -> None:
        provider = ScriptedProvider("cnpjws", cnpjws_report())
        chain = Chain(provider, metrics=metrics)
        result = chain.lookup()
        assert (result.cached, result.source) == (False, "cnpjws")
        assert outcomes(result.attempts) == [("cnpjws", "ok")]
        assert result.attempts[0].status == 200
        stored = chain.cache.get(GLOBO.value)
        assert stored is not None and stored.source == "cnpjws"
        assert Report.model_validate(stored.report) == result.report
        assert "CacheMiss" in metrics.metric_set
        assert chain.single_flight.runs == 1
        # The second lookup is served from the cache.
        assert chain.lookup().cached is True
        assert len(provider.calls) == 1

    def test_force_refresh_skips_the_cache(self) -> None:
        provider = ScriptedProvider("cnpjws", cnpjws_report())
        chain = Chain(provider)
        chain.cache.put_report(GLOBO.value, receitaws_report().model_dump(mode="json"), "receitaws")
        result = chain.lookup(force_refresh=True)
        assert (result.cached, result.source) == (False, "cnpjws")
        assert chain.cache.get(GLOBO.value).source == "cnpjws"  # type: ignore[union-attr]

    def test_a_cached_report_from_an_older_schema_is_refetched(self) -> None:
        provider = ScriptedProvider("cnpjws", cnpjws_report())
        chain = Chain(provider)
        chain.cache.put_report(GLOBO.value, {"cnpj": GLOBO.value, "razao": "old shape"}, "cnpjws")
        result = chain.lookup()
        assert result.cached is False and provider.calls == [GLOBO.value]

    def test_another_callers_result_is_used_while_waiting(self) -> None:
        provider = ScriptedProvider("cnpjws", cnpjws_report())
        chain = Chain(provider)

        def other_caller_wins() -> None:
            chain.cache.entries[GLOBO.value] = chain.cache.put_report(
                GLOBO.value, receitaws_report().model_dump(mode="json"), "receitaws"
            )

        chain.single_flight.winner = other_caller_wins
        result = chain.lookup()
        assert (result.cached, result.source) == (True, "receitaws")
        assert provider.calls == []

    def test_force_refresh_ignores_an_older_result_while_waiting(self) -> None:
        provider = ScriptedProvider("cnpjws", cnpjws_report())
        chain = Chain(provider)
        old = CacheEntry(
            GLOBO.value, receitaws_report().model_dump(mode="json"), False, "receitaws", "2020-01-01T00:00:00Z", 2**40
        )
        chain.single_flight.winner = lambda: chain.cache.entries.__setitem__(GLOBO.value, old)
        result = chain.lookup(force_refresh=True)
        assert (result.cached, result.source) == (False, "cnpjws")


class TestFallback:
    def test_default_order_is_todays_three_then_the_issue_15_providers(self) -> None:
        order = ["cnpjws", "brasilapi", "receitaws", "minhareceita", "opencnpj", "cnpja"]
        assert list(DEFAULT_PROVIDER_ORDER) == order
        assert LookupSettings(cache_table="t").provider_order == order

    def test_a_transient_failure_falls_through_to_the_next_provider(self) -> None:
        first = ScriptedProvider("cnpjws", transient("cnpjws"))
        second = ScriptedProvider("brasilapi", lambda c: normalize_brasilapi(fixture("brasilapi_19131243000197.json")))
        chain = Chain(first, second)
        cnpj = parse_cnpj("19131243000197")
        result = chain.lookup(cnpj)
        assert result.source == "brasilapi"
        assert outcomes(result.attempts) == [("cnpjws", "transient"), ("brasilapi", "ok")]
        assert result.attempts[0].status == 503
        assert chain.breaker.failures["cnpjws"] == 1
        assert chain.breaker.successes == ["minhareceita"]  # BrasilAPI's breaker is its upstream's

    def test_a_new_company_found_by_a_later_provider_after_not_founds(self) -> None:
        chain = Chain(
            ScriptedProvider("cnpjws", not_found("cnpjws")),
            ScriptedProvider("brasilapi", not_found("brasilapi")),
            ScriptedProvider("receitaws", receitaws_report()),
        )
        result = chain.lookup()
        assert result.source == "receitaws"
        assert outcomes(result.attempts) == [("cnpjws", "not_found"), ("brasilapi", "not_found"), ("receitaws", "ok")]
        # A not-found answer is a healthy provider.
        assert chain.breaker.failures == {"cnpjws": 0, "minhareceita": 0, "receitaws": 0}

    def test_an_unexpected_exception_in_a_provider_does_not_stop_the_chain(self) -> None:
        chain = Chain(ScriptedProvider("cnpjws", KeyError("bug")), ScriptedProvider("receitaws", receitaws_report()))
        result = chain.lookup()
        assert outcomes(result.attempts) == [("cnpjws", "error"), ("receitaws", "ok")]
        assert result.attempts[0].message == "unexpected KeyError"

    def test_an_open_circuit_skips_the_provider(self) -> None:
        skipped = ScriptedProvider("cnpjws", cnpjws_report())
        chain = Chain(skipped, ScriptedProvider("receitaws", receitaws_report()))
        chain.breaker.opened.add("cnpjws")
        result = chain.lookup()
        assert outcomes(result.attempts) == [("cnpjws", "circuit_open"), ("receitaws", "ok")]
        assert skipped.calls == []

    def test_repeated_failures_open_the_circuit(self) -> None:
        failing = ScriptedProvider("cnpjws", transient("cnpjws"))
        chain = Chain(failing, ScriptedProvider("receitaws", receitaws_report()))
        chain.breaker.threshold = 2
        for _ in range(3):
            chain.lookup(force_refresh=True)
        assert len(failing.calls) == 2
        assert "cnpjws" in chain.breaker.opened

    def test_an_empty_bucket_skips_the_provider_and_is_counted(self, capsys: pytest.CaptureFixture[str]) -> None:
        skipped = ScriptedProvider("cnpjws", cnpjws_report())
        chain = Chain(skipped, ScriptedProvider("receitaws", receitaws_report()))
        chain.limiter.tokens["cnpjws"] = 0
        result = chain.lookup()
        assert outcomes(result.attempts) == [("cnpjws", "rate_limited"), ("receitaws", "ok")]
        assert skipped.calls == []
        limited = [m for m in emf_lines(capsys.readouterr().out) if "RateLimitedByProvider" in m]
        assert limited and limited[0]["provider"] == "cnpjws"

    def test_each_call_takes_a_token(self) -> None:
        chain = Chain(
            ScriptedProvider("cnpjws", transient("cnpjws")), ScriptedProvider("receitaws", receitaws_report())
        )
        chain.lookup()
        assert chain.limiter.taken == ["cnpjws", "receitaws"]

    def test_little_time_left_skips_providers_instead_of_calling_them(self) -> None:
        provider = ScriptedProvider("cnpjws", cnpjws_report())
        chain = Chain(provider)
        with pytest.raises(ProvidersUnavailable) as caught:
            chain.lookup(remaining_ms=500)
        assert provider.calls == []
        assert outcomes(caught.value.attempts) == [("cnpjws", "transient")]
        assert chain.limiter.taken == []

    def test_remaining_time_may_be_a_number_or_lambdas_callable(self) -> None:
        chain = Chain(ScriptedProvider("cnpjws", cnpjws_report()))
        assert chain.lookup(remaining_ms=25_000).source == "cnpjws"
        assert chain.lookup(remaining_ms=lambda: 25_000, force_refresh=True).source == "cnpjws"


class TestNotFound:
    def test_not_found_everywhere_is_final_and_cached_as_negative(self) -> None:
        chain = Chain(
            ScriptedProvider("cnpjws", not_found("cnpjws")),
            ScriptedProvider("brasilapi", not_found("brasilapi")),
            ScriptedProvider("receitaws", not_found("receitaws", status=200)),
        )
        with pytest.raises(CnpjNotFound) as caught:
            chain.lookup()
        error = caught.value
        assert outcomes(error.attempts) == [
            ("cnpjws", "not_found"),
            ("brasilapi", "not_found"),
            ("receitaws", "not_found"),
        ]
        assert error.details["cnpj"] == GLOBO.value
        entry = chain.cache.get(GLOBO.value)
        assert entry is not None and entry.negative
        with pytest.raises(CnpjNotFound):
            chain.lookup()
        assert len(chain.providers[0].calls) == 1

    def test_brasilapi_404_alone_is_not_final_when_others_were_unreachable(self) -> None:
        chain = Chain(
            ScriptedProvider("cnpjws", ProviderRateLimited("429", provider="cnpjws", status=429, retry_after=40)),
            ScriptedProvider("brasilapi", not_found("brasilapi")),
            ScriptedProvider("receitaws", transient("receitaws", status=504)),
        )
        with pytest.raises(ProvidersUnavailable) as caught:
            chain.lookup()
        assert caught.value.retry_after_seconds == 40
        assert caught.value.status == 503
        assert chain.cache.writes == []

    def test_an_unheard_provider_blocks_a_negative_even_with_an_error_answer(self) -> None:
        chain = Chain(
            ScriptedProvider("cnpjws", ProviderBadResponse("401", provider="cnpjws", status=401)),
            ScriptedProvider("brasilapi", not_found("brasilapi")),
        )
        with pytest.raises(ProvidersUnavailable):
            chain.lookup()
        assert chain.cache.writes == []

    def test_a_provider_calling_a_valid_cnpj_invalid_counts_as_not_found_evidence(self) -> None:
        alnum = parse_cnpj("12ABC34501DE35")
        chain = Chain(
            ScriptedProvider("cnpjws", ProviderInvalidCnpj("400", provider="cnpjws", status=400)),
            ScriptedProvider("brasilapi", not_found("brasilapi")),
            ScriptedProvider("receitaws", ProviderInvalidCnpj("CNPJ inválido", provider="receitaws", status=200)),
        )
        with pytest.raises(CnpjNotFound) as caught:
            chain.lookup(alnum)
        assert [a.outcome for a in caught.value.attempts] == ["invalid", "not_found", "invalid"]
        assert chain.cache.get(alnum.value).negative  # type: ignore[union-attr]

    def test_an_open_circuit_blocks_a_negative(self) -> None:
        chain = Chain(ScriptedProvider("cnpjws", not_found("cnpjws")), ScriptedProvider("brasilapi", not_found("b")))
        chain.breaker.opened.add("minhareceita")  # BrasilAPI's outage group
        with pytest.raises(ProvidersUnavailable) as caught:
            chain.lookup()
        assert outcomes(caught.value.attempts) == [("cnpjws", "not_found"), ("brasilapi", "circuit_open")]
        assert caught.value.retry_after_seconds == 30  # no provider hint: the default


class TestMock:
    def test_without_allow_mock_nothing_answering_is_providers_unavailable(self) -> None:
        chain = Chain(ScriptedProvider("cnpjws", transient("cnpjws")), allow_mock=False)
        with pytest.raises(ProvidersUnavailable) as caught:
            chain.lookup()
        assert outcomes(caught.value.attempts) == [("cnpjws", "transient")]
        assert caught.value.details["retry_after_seconds"] == 30

    def test_with_allow_mock_a_labelled_report_is_returned_and_never_cached(self) -> None:
        provider = ScriptedProvider("cnpjws", transient("cnpjws"))
        chain = Chain(provider, allow_mock=True)
        result = chain.lookup()
        assert (result.source, result.cached, result.report.source) == ("mock", False, "mock")
        assert result.report.cnpj == GLOBO.value and result.report.cnpj_formatted == GLOBO.formatted
        assert result.report.partial and "synthetic_mock_data" in result.report.partial_reasons
        assert outcomes(result.attempts) == [("cnpjws", "transient"), ("mock", "ok")]
        assert chain.cache.writes == []
        assert chain.cache.get(GLOBO.value) is None
        # Not cached: the next lookup asks the real providers again.
        chain.lookup()
        assert len(provider.calls) == 2

    def test_the_mock_is_deterministic_per_cnpj(self) -> None:
        chain = Chain(ScriptedProvider("cnpjws", transient("cnpjws")), allow_mock=True)
        first = chain.lookup().report.model_dump(exclude={"fetched_at"})
        assert chain.lookup().report.model_dump(exclude={"fetched_at"}) == first

    def test_the_mock_never_hides_a_final_not_found(self) -> None:
        chain = Chain(ScriptedProvider("cnpjws", not_found("cnpjws")), allow_mock=True)
        with pytest.raises(CnpjNotFound):
            chain.lookup()

    def test_the_mock_never_replaces_a_real_answer(self) -> None:
        chain = Chain(
            ScriptedProvider("cnpjws", transient("cnpjws")), ScriptedProvider("receitaws", receitaws_report())
        )
        chain.connector.allow_mock = True
        assert chain.lookup().source == "receitaws"


class TestObservability:
    def test_provider_latency_and_errors_carry_provider_and_outcome(
        self, metrics: Metrics, capsys: pytest.CaptureFixture[str]
    ) -> None:
        chain = Chain(
            ScriptedProvider("cnpjws", transient("cnpjws")),
            ScriptedProvider("receitaws", receitaws_report()),
            metrics=metrics,
        )
        chain.lookup()
        lines = emf_lines(capsys.readouterr().out)
        latency = [(m["provider"], m["outcome"]) for m in lines if "ProviderLatency" in m]
        errors = [(m["provider"], m["outcome"]) for m in lines if "ProviderErrors" in m]
        assert latency == [("cnpjws", "transient"), ("receitaws", "ok")]
        assert errors == [("cnpjws", "transient")]
        for line in lines:
            assert line["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "CnpjRadarTest"
            assert "tenant_id" not in line

    def test_logs_never_carry_payloads_or_names(
        self, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
    ) -> None:
        report = normalize_cnpjws(fixture("cnpjws_05525406000101.json"))
        cnpj = parse_cnpj(report.cnpj)
        chain = Chain(ScriptedProvider("brasilapi", not_found("brasilapi")), ScriptedProvider("cnpjws", report))
        with caplog.at_level("DEBUG"):
            chain.lookup(cnpj)
        attempts = [r for r in caplog.records if r.getMessage() == "provider attempt"]
        # The chain does log each attempt, with provider, outcome, status and duration...
        assert [(getattr(r, "provider", None), getattr(r, "outcome", None)) for r in attempts] == [
            ("brasilapi", "not_found"),
            ("cnpjws", "ok"),
        ]
        output = capsys.readouterr()
        text = json.dumps([vars(r) for r in caplog.records], default=str) + output.out + output.err
        for personal in ("WILLIAM MIRANDA BARCELLOS", "***101637**", "DBONE INDUSTRIA", "gmail.com"):
            assert personal not in text  # ...but never names, documents or payload values


class TestSettings:
    def test_from_env_reads_the_documented_variables(self) -> None:
        settings = LookupSettings.from_environ(
            {
                "CACHE_TABLE": "cache",
                "PROVIDER_ORDER": "receitaws, BrasilAPI",
                "ALLOW_MOCK_FALLBACK": "true",
                "CACHE_TTL_SECONDS": "60",
                "NEGATIVE_CACHE_TTL_SECONDS": "30",
                "RATE_LIMIT_CNPJWS_PER_MIN": "10",
            }
        )
        assert settings.provider_order == ["receitaws", "brasilapi"]
        assert settings.allow_mock_fallback is True
        assert (settings.cache_ttl_seconds, settings.negative_cache_ttl_seconds) == (60, 30)
        assert settings.rate_limits_per_minute == {
            "cnpjws": 10.0,
            "brasilapi": 60.0,
            "receitaws": 3.0,
            "minhareceita": 30.0,
            "opencnpj": 60.0,
            "cnpja": 5.0,
        }

    def test_defaults(self) -> None:
        settings = LookupSettings.from_environ({"CACHE_TABLE": "cache"})
        assert settings.provider_order == list(DEFAULT_PROVIDER_ORDER)
        assert settings.allow_mock_fallback is False
        assert (settings.cache_ttl_seconds, settings.negative_cache_ttl_seconds) == (86400, 900)

    @pytest.mark.parametrize(
        "env",
        [
            {"CACHE_TABLE": "c", "PROVIDER_ORDER": "cnpjws,apipj"},
            {"CACHE_TABLE": ""},
            {"CACHE_TABLE": "c", "CACHE_TTL_SECONDS": "0"},
        ],
    )
    def test_bad_environment_fails_at_cold_start(self, env: dict[str, str]) -> None:
        with pytest.raises(ValueError):
            LookupSettings.from_environ(env)

    def test_build_providers_follows_the_order(self) -> None:
        providers = build_providers(["receitaws", "cnpjws"])
        assert [type(p) for p in providers] == [ReceitaWsProvider, CnpjWsProvider]

    def test_default_lookup_is_built_once(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("CACHE_TABLE", "cache-table")
        monkeypatch.setenv("PROVIDER_ORDER", "brasilapi,cnpjws")
        monkeypatch.setenv("ALLOW_MOCK_FALLBACK", "false")
        reset_lookup()
        try:
            connector = default_lookup()
            assert default_lookup() is connector
            assert [p.name for p in connector.providers] == ["brasilapi", "cnpjws"]
            assert connector.allow_mock is False
        finally:
            reset_lookup()


class _FixtureServer:
    """A real HTTP server on loopback answering like the three providers, from the fixture files."""

    def __init__(self, routes: dict[str, Callable[[], tuple[int, str]]]) -> None:
        self.hits: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.hits.append(self.path)
                for prefix, answer in routes.items():
                    if self.path.startswith(prefix):
                        status, body = answer()
                        break
                else:
                    status, body = 404, "{}"
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> _FixtureServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def _fixture_text(name: str) -> str:
    return json.dumps(fixture(name))


def test_real_providers_over_http_fall_back_and_normalize() -> None:
    """End to end with real clients: CNPJ.ws 500s, BrasilAPI 404s (unreliable), ReceitaWS answers."""
    routes: dict[str, Callable[[], tuple[int, str]]] = {
        "/cnpjws/cnpj/27865757000102": lambda: (500, '{"status":500,"titulo":"Erro interno"}'),
        "/brasilapi/27865757000102": lambda: (404, _fixture_text("brasilapi_error_404_12ABC34501DE35.json")),
        "/receitaws/cnpj/27865757000102": lambda: (200, _fixture_text("receitaws_27865757000102.json")),
    }
    with _FixtureServer(routes) as server:
        options: dict[str, Any] = {"client": LazyClient(), "sleep": lambda _s: None, "max_attempts": 2}
        providers = [
            CnpjWsProvider(base_url=f"{server.url}/cnpjws", **options),
            BrasilApiProvider(base_url=f"{server.url}/brasilapi", **options),
            ReceitaWsProvider(base_url=f"{server.url}/receitaws", **options),
        ]
        chain = ProviderChain(
            providers, InMemoryCache(), InlineSingleFlight(), InMemoryLimiter(), InMemoryBreaker(), allow_mock=False
        )
        result = chain.lookup(GLOBO, remaining_ms=lambda: 20_000)
    assert result.source == "receitaws"
    assert result.report.legal_name == "GLOBO COMUNICACAO E PARTICIPACOES S/A"
    assert [(a.provider, a.outcome, a.status) for a in result.attempts] == [
        ("cnpjws", "transient", 500),
        ("brasilapi", "not_found", 404),
        ("receitaws", "ok", 200),
    ]
    assert server.hits.count("/cnpjws/cnpj/27865757000102") == 2  # retried once
    assert server.hits.count("/brasilapi/27865757000102") == 1  # a 404 is an answer: no retry
