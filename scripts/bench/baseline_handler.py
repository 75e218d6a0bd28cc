"""The cold-start yardstick: a minimal Powertools REST handler (Logger, Tracer, Metrics, validated resolver, boto3)."""

from __future__ import annotations

from typing import Any

import boto3
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import APIGatewayRestResolver

__all__ = ["app", "lambda_handler"]

logger = Logger(service="baseline")
tracer = Tracer(service="baseline")
metrics = Metrics(namespace="Baseline", service="baseline")
app = APIGatewayRestResolver(enable_validation=True)
dynamodb = boto3.client("dynamodb")


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return app.resolve(event, context)
