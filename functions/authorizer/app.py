"""REQUEST authorizer: x-api-key or Bearer token -> wildcard Allow policy, tenant context, usage key."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from radar.authorizer.settings import AuthorizerEnv
from radar.errors import Unauthorized
from radar.observability import logger, metrics, tracer
from radar.tables import bind_main_table

if TYPE_CHECKING:
    from radar.authorizer.service import Authorizer

__all__ = ["authorizer", "lambda_handler"]

ENV = AuthorizerEnv.from_environ()  # cold start: a missing variable fails the init, not a request
bind_main_table(ENV.main_table)  # the table of every main-table model this function uses (radar.store)


@lru_cache(maxsize=1)
def authorizer() -> Authorizer:
    from radar.authorizer.wiring import build_authorizer

    return build_authorizer(ENV)


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics(capture_cold_start_metric=True)
@tracer.capture_lambda_handler(capture_response=False)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
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
