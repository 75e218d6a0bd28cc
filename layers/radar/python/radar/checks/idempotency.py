"""Idempotency-Key support: Powertools idempotency on IDEMPOTENCY_TABLE, keyed by tenant and key."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from radar.checks.errors import IdempotencyConflict

__all__ = ["IDEMPOTENCY_TTL_SECONDS", "run_idempotently"]

IDEMPOTENCY_TTL_SECONDS = 24 * 3600


@lru_cache(maxsize=4)
def _store(table_name: str) -> tuple[Any, Any]:
    # One persistence layer per config: Powertools configures a layer once and keeps that config.
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer, IdempotencyConfig

    config = IdempotencyConfig(
        event_key_jmespath="[tenant_id, idempotency_key]",
        payload_validation_jmespath="request",
        expires_after_seconds=IDEMPOTENCY_TTL_SECONDS,
    )
    return DynamoDBPersistenceLayer(table_name=table_name), config


def run_idempotently(
    *,
    table_name: str,
    tenant_id: str,
    key: str,
    request: dict[str, Any],
    operation: Callable[[], dict[str, Any]],
    lambda_context: Any = None,
    scope: str = "checks.create",
) -> dict[str, Any]:
    """Run `operation` once per (tenant, key); a retry gets the first result back.

    The key is scoped per tenant, so two tenants may use the same key.
    Reusing a key for a different request is a 409.
    """
    from aws_lambda_powertools.utilities.idempotency import idempotent_function
    from aws_lambda_powertools.utilities.idempotency.exceptions import (
        IdempotencyAlreadyInProgressError,
        IdempotencyValidationError,
    )

    store, config = _store(table_name)
    if lambda_context is not None:
        config.register_lambda_context(lambda_context)

    def _once(idempotent_request: dict[str, Any]) -> dict[str, Any]:
        return operation()

    guarded = idempotent_function(
        _once,
        data_keyword_argument="idempotent_request",
        persistence_store=store,
        config=config,
        # The tenant id in the record id lets the tenant purge find the tenant's records (radar.tenants.deletion
        # scans for the prefix `<scope>#<tenant id>#`); Powertools keys them by a hash otherwise.
        key_prefix=f"{scope}#{tenant_id}",
    )
    try:
        result: dict[str, Any] = guarded(
            idempotent_request={"tenant_id": tenant_id, "idempotency_key": key, "request": request}
        )
    except IdempotencyValidationError as exc:
        raise IdempotencyConflict(
            "this Idempotency-Key was already used for a different request", details={"reason": "key_reused"}
        ) from exc
    except IdempotencyAlreadyInProgressError as exc:
        raise IdempotencyConflict(
            "a request with this Idempotency-Key is still in progress; retry shortly",
            details={"reason": "in_progress"},
        ) from exc
    return result
