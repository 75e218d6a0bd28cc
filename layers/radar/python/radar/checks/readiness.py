"""Readiness: can this function reach every table, queue and secret it uses? Names each failed dependency."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from radar.aws import client

__all__ = ["ReadinessReport", "check_readiness", "dependencies_from_env"]

ReadinessReport = dict[str, Any]


def _table_probe(table: str) -> Callable[[], Any]:
    return lambda: client("dynamodb").describe_table(TableName=table)


def _queue_probe(url: str) -> Callable[[], Any]:
    return lambda: client("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])


def _secret_probe(arn: str) -> Callable[[], Any]:
    return lambda: client("secretsmanager").describe_secret(SecretId=arn)


_DEPENDENCIES: tuple[tuple[str, str, Callable[[str], Callable[[], Any]]], ...] = (
    ("main_table", "MAIN_TABLE", _table_probe),
    ("cache_table", "CACHE_TABLE", _table_probe),
    ("idempotency_table", "IDEMPOTENCY_TABLE", _table_probe),
    ("checks_queue", "CHECKS_QUEUE_URL", _queue_probe),
    ("checks_dlq", "CHECKS_DLQ_URL", _queue_probe),
    ("provider_tokens_secret", "PROVIDER_TOKENS_SECRET_ARN", _secret_probe),
    ("cursor_key_secret", "CURSOR_KEY_SECRET_ARN", _secret_probe),
)


def dependencies_from_env(env: Mapping[str, str | None]) -> dict[str, Callable[[], Any]]:
    """One probe per configured dependency; a dependency whose env var is unset is not probed."""
    return {name: probe(value) for name, var, probe in _DEPENDENCIES if (value := env.get(var))}


def check_readiness(probes: Mapping[str, Callable[[], Any]]) -> tuple[bool, ReadinessReport]:
    """Run the probes in parallel; `{"status": "ok"|"unavailable", "checks": {name: "ok"|"unavailable"}}`."""

    def _probe(item: tuple[str, Callable[[], Any]]) -> tuple[str, str]:
        name, probe = item
        try:
            probe()
        except Exception:  # any failure means not ready; the name says which dependency
            return name, "unavailable"
        return name, "ok"

    with ThreadPoolExecutor(max_workers=max(1, len(probes))) as pool:
        results = dict(pool.map(_probe, probes.items()))
    ready = all(v == "ok" for v in results.values())
    return ready, {"status": "ok" if ready else "unavailable", "checks": results}
