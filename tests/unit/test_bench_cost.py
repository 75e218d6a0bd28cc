"""The cost model and the metering of DynamoDB request units from item sizes."""

from __future__ import annotations

import pytest

from scripts.bench.cost import InvocationProfile, Prices, cost_of_checks, dynamo_units
from scripts.bench.metering import item_size


def test_prices_file_has_a_date_and_every_price_the_model_uses() -> None:
    prices = Prices.load()
    assert prices.as_of[:4].isdigit() and prices.region == "us-east-1"
    for name in ("lambda_gb_second_x86", "lambda_request", "apigateway_rest_request", "dynamodb_read_request_unit",
                 "dynamodb_write_request_unit", "sqs_standard_request", "cloudwatch_logs_ingest_gb",
                 "xray_trace_recorded"):
        assert prices.usd[name] > 0


def test_dynamo_units_round_up_by_operation_kind() -> None:
    assert dynamo_units("PutItem", 1500) == 2.0
    assert dynamo_units("GetItem", 5000, consistent=True) == 2.0
    assert dynamo_units("GetItem", 100) == 0.5


def test_item_size_counts_names_and_values() -> None:
    assert item_size({"pk": {"S": "abc"}}) == 5
    assert item_size({"n": {"N": "12345"}}) == 1 + 4  # three digit pairs plus one byte
    assert item_size({"m": {"M": {"a": {"BOOL": True}}}}) == 1 + 3 + (1 + 1 + 1)


def _profile(ms: float, reads: float = 0, writes: float = 0) -> InvocationProfile:
    return InvocationProfile(function="f", memory_mb=1024, duration_ms=ms, read_units=reads, write_units=writes)


def test_cost_of_checks_adds_up_each_component() -> None:
    prices = Prices(as_of="2025-01-01", region="us-east-1", usd={
        "apigateway_rest_request": 1e-6, "lambda_gb_second_x86": 1e-5, "lambda_request": 0.0,
        "dynamodb_read_request_unit": 1e-7, "dynamodb_write_request_unit": 1e-6, "sqs_standard_request": 0.0,
        "cloudwatch_logs_ingest_gb": 0.0, "xray_trace_recorded": 1e-6,
    })
    costs = cost_of_checks(prices, checks=1000, cache_hit_rate=0.8, cached=_profile(100, reads=2, writes=3),
                           uncached=_profile(1000, reads=4, writes=6), authorizer=_profile(1),
                           xray_sampled_share=0.5)
    assert costs["apigateway"] == pytest.approx(1000 * 1e-6)
    # 800 x 0.1 GB-s + 200 x 1 GB-s + 1000 x 0.001 GB-s, all at 1e-5
    assert costs["lambda"] == pytest.approx((80 + 200 + 1) * 1e-5)
    assert costs["dynamodb"] == pytest.approx((800 * 2 + 200 * 4) * 1e-7 + (800 * 3 + 200 * 6) * 1e-6)
    assert costs["xray"] == pytest.approx(500 * 1e-6)
    assert costs["total"] == pytest.approx(sum(v for k, v in costs.items() if k != "total"))
    with pytest.raises(ValueError):
        cost_of_checks(prices, checks=1, cache_hit_rate=1.5, cached=_profile(1), uncached=_profile(1),
                       authorizer=_profile(1), xray_sampled_share=0)
