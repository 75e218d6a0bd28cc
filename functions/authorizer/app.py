"""REQUEST authorizer: x-api-key or Bearer token -> wildcard Allow policy, tenant context, usage key."""

from __future__ import annotations

import os
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, Field

from radar.errors import Unauthorized
from radar.observability import logger, metrics, tracer

if TYPE_CHECKING:
    from radar.auth.authorizer import Authorizer

__all__ = ["AuthorizerSettings", "authorizer", "lambda_handler", "settings"]


class AuthorizerSettings(BaseModel):
    MAIN_TABLE: str = Field(min_length=1)
    PUBLIC_KEYS_SECRET_ARN: str = Field(min_length=1)
    AUTH_CACHE_TTL_SECONDS: int = Field(default=60, ge=0, le=60)


@lru_cache(maxsize=1)
def settings() -> AuthorizerSettings:
    """Validated at cold start (first invocation)."""
    return AuthorizerSettings.model_validate(dict(os.environ))


@lru_cache(maxsize=1)
def authorizer() -> Authorizer:
    from radar.auth.authorizer import Authorizer, DecisionCache
    from radar.auth.tokens import PublicKeySource
    from radar.tables import bind_main_table

    config = settings()
    bind_main_table(config.MAIN_TABLE)
    return Authorizer(
        PublicKeySource(config.PUBLIC_KEYS_SECRET_ARN),
        cache=DecisionCache(config.AUTH_CACHE_TTL_SECONDS),
    )


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics(capture_cold_start_metric=True)
@tracer.capture_lambda_handler(capture_response=False)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    settings()
    try:
        response = authorizer().authorize(event)
    except Unauthorized as exc:
        # One answer for every failure: API Gateway turns this exact message into a 401 without details.
        metrics.add_metric(name="AuthFailures", unit=MetricUnit.Count, value=1)
        logger.info("authorization failed", extra={"reason": exc.message})
        raise Exception("Unauthorized") from None  # the API Gateway authorizer contract
    logger.append_keys(tenant_id=response["context"]["tenant_id"])
    tracer.put_annotation(key="tenant_id", value=response["context"]["tenant_id"])
    return response
