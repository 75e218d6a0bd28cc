"""docs/openapi.json is exactly what the handlers generate, and it documents every templated route."""

from __future__ import annotations

from infra_cdk.routes import ROUTES
from scripts.openapi import OUTPUT, build, render


def test_committed_spec_matches_the_code() -> None:
    assert OUTPUT.read_text(encoding="utf-8") == render(build()), "run `make openapi` and commit docs/openapi.json"


def test_spec_covers_every_route_with_the_right_security() -> None:
    spec = build()
    for route in ROUTES:
        operation = spec["paths"][route.path][route.method.lower()]
        assert (operation["security"] == []) == (route.access == "public"), route
