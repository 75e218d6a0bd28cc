"""Cold-start import-time parsing and the load script's friendly-429 rule."""

from __future__ import annotations

import httpx

from scripts.bench.coldstart import direct_imports, parse_importtime
from scripts.load import friendly_429

IMPORTTIME = """import time: self [us] | cumulative | imported package
import time:       100 |        100 |     pydantic.main
import time:       300 |        400 |   pydantic
import time:        50 |         50 |   radar.errors
import time:        10 |        460 | app
import time:        20 |         20 | other
"""


def test_parse_importtime_reads_depth_and_times() -> None:
    rows = parse_importtime(IMPORTTIME)
    assert [(r.module, r.depth, r.cumulative_us) for r in rows][:4] == [
        ("pydantic.main", 2, 100), ("pydantic", 1, 400), ("radar.errors", 1, 50), ("app", 0, 460),
    ]


def test_direct_imports_are_the_handler_children_heaviest_first() -> None:
    rows = direct_imports(parse_importtime(IMPORTTIME), "app")
    assert [r.module for r in rows] == ["pydantic", "radar.errors"]
    assert direct_imports(parse_importtime(IMPORTTIME), "missing") == []


def _response(status: int, body: object) -> httpx.Response:
    return httpx.Response(status, json=body)


def test_friendly_429_needs_a_code_and_advice() -> None:
    friendly = {"error": {"code": "rate_limited", "message": "Too many requests per second. Slow down, or upgrade."}}
    assert friendly_429(_response(429, friendly))
    assert not friendly_429(_response(429, {"message": "Too Many Requests"}))  # API Gateway's bare default
    assert not friendly_429(_response(429, {"error": {"code": "x", "message": "no"}}))
    assert not friendly_429(_response(200, friendly))
