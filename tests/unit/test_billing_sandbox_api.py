"""Billing sandbox API layer: parameter names from the pinned SDK, Stripe's search query language."""

from __future__ import annotations

import pytest

from scripts.billing_sandbox.api import ROUTES, _known_params, _parse_query
from scripts.billing_sandbox.errors import StripeApiError


def test_every_route_checks_its_params_against_the_pinned_sdk() -> None:
    for route in ROUTES:
        known = _known_params(*route.params)
        assert known is not None and "expand" in known, route.handler
        assert not known & {"api_key", "idempotency_key", "stripe_version"}  # request options are not params


def test_search_queries_in_stripes_language() -> None:
    match = _parse_query("metadata['tenant_id']:'t-1' AND email~'ACME'", {"email", "metadata"}, "customers")
    assert match({"metadata": {"tenant_id": "t-1"}, "email": "ops@acme.example"})
    assert not match({"metadata": {"tenant_id": "t-2"}, "email": "ops@acme.example"})
    for bad in ("email:'a' AND name:'b' OR email:'c'", "email=a", "colour:'red'"):
        with pytest.raises(StripeApiError):
            _parse_query(bad, {"email", "name", "metadata"}, "customers")
