"""AWS cost model of checks: measured invocation profiles priced with the public list prices in aws_prices.json."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["PRICES_FILE", "InvocationProfile", "Prices", "cost_of_checks", "dynamo_units"]

PRICES_FILE = Path(__file__).with_name("aws_prices.json")


@dataclass(frozen=True)
class Prices:
    as_of: str
    region: str
    usd: dict[str, float]

    @classmethod
    def load(cls, path: Path = PRICES_FILE) -> Prices:
        data: dict[str, Any] = json.loads(path.read_text())
        return cls(
            as_of=str(data["as_of"]),
            region=str(data["region"]),
            usd={name: float(entry["usd"]) for name, entry in data["prices"].items()},
        )


@dataclass(frozen=True)
class InvocationProfile:
    """What one invocation of a function costs in billable units (measured, per invocation)."""

    function: str
    memory_mb: int
    duration_ms: float
    read_units: float = 0.0
    write_units: float = 0.0
    sqs_requests: float = 0.0
    log_bytes: float = 0.0

    @property
    def billed_ms(self) -> int:
        return max(1, math.ceil(self.duration_ms))  # Lambda bills in 1 ms steps


def dynamo_units(operation: str, item_bytes: int, *, consistent: bool = False) -> float:
    """Request units DynamoDB charges for one item operation of `item_bytes` (1 KB writes, 4 KB reads, half when
    eventually consistent)."""
    size_kb = max(item_bytes, 1) / 1024
    if operation in ("PutItem", "UpdateItem", "DeleteItem"):
        return float(math.ceil(size_kb))
    units = float(math.ceil(size_kb / 4))
    return units if consistent else units / 2


def _invocation_usd(prices: Prices, profile: InvocationProfile) -> dict[str, float]:
    gb_seconds = profile.memory_mb / 1024 * profile.billed_ms / 1000
    return {
        "lambda": gb_seconds * prices.usd["lambda_gb_second_x86"] + prices.usd["lambda_request"],
        "dynamodb": profile.read_units * prices.usd["dynamodb_read_request_unit"]
        + profile.write_units * prices.usd["dynamodb_write_request_unit"],
        "sqs": profile.sqs_requests * prices.usd["sqs_standard_request"],
        "logs": profile.log_bytes / 1024**3 * prices.usd["cloudwatch_logs_ingest_gb"],
    }


def cost_of_checks(
    prices: Prices,
    *,
    checks: int,
    cache_hit_rate: float,
    cached: InvocationProfile,
    uncached: InvocationProfile,
    authorizer: InvocationProfile,
    xray_sampled_share: float,
) -> dict[str, float]:
    """USD per component for `checks` sync checks through the gateway: each is one API request, one authorizer
    invocation (the gateway's result cache is off) and one checks invocation, cached or not."""
    if not 0 <= cache_hit_rate <= 1:
        raise ValueError("cache_hit_rate must be between 0 and 1")
    hits = checks * cache_hit_rate
    weighted = (
        (hits, cached),
        (checks - hits, uncached),
        (checks, authorizer),
    )
    totals: dict[str, float] = {"apigateway": checks * prices.usd["apigateway_rest_request"]}
    for count, profile in weighted:
        for component, usd in _invocation_usd(prices, profile).items():
            totals[component] = totals.get(component, 0.0) + count * usd
    totals["xray"] = checks * xray_sampled_share * prices.usd["xray_trace_recorded"]
    totals["total"] = sum(totals.values())
    return totals
