"""Billing sandbox: Stripe's form encoding decoded into nested params, coercions and metadata semantics."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from scripts.billing_sandbox.errors import StripeApiError
from scripts.billing_sandbox.forms import decode_form, to_bool, to_int, to_str_map


def test_nested_hashes_and_indexed_lists_as_the_sdk_encodes_them() -> None:
    from stripe._encode import _api_encode

    params = {
        "mode": "subscription",
        "line_items": [{"price": "price_a", "quantity": 2}, {"price": "price_b"}],
        "metadata": {"tenant_id": "t-1", "plan": "pro"},
        "subscription_data": {"metadata": {"tenant_id": "t-1"}},
        "expand": ["subscription", "line_items"],
    }
    body = urlencode(list(_api_encode(params))).replace("%5B", "[").replace("%5D", "]")

    assert decode_form(body) == {
        "mode": "subscription",
        "line_items": [{"price": "price_a", "quantity": "2"}, {"price": "price_b"}],
        "metadata": {"tenant_id": "t-1", "plan": "pro"},
        "subscription_data": {"metadata": {"tenant_id": "t-1"}},
        "expand": ["subscription", "line_items"],
    }


def test_list_indices_are_ordered_numerically_and_empty_brackets_append() -> None:
    assert decode_form("items[10][price]=late&items[2][price]=early") == {
        "items": [{"price": "early"}, {"price": "late"}]}
    assert decode_form("expand[]=a&expand[]=b") == {"expand": ["a", "b"]}
    assert decode_form("metadata[k]=&name=") == {"metadata": {"k": ""}, "name": ""}


@pytest.mark.parametrize("body", ["metadata=x&metadata[k]=v", "metadata[k]=v&metadata=x", "a]b=1"])
def test_a_key_used_as_value_and_hash_or_malformed_is_a_400(body: str) -> None:
    with pytest.raises(StripeApiError) as raised:
        decode_form(body)
    assert raised.value.status == 400 and raised.value.param


def test_integer_and_boolean_coercions_name_the_param() -> None:
    assert to_int("unit_amount", "4900") == 4900
    assert to_bool("cancel_at_period_end", "true") is True and to_bool("x", "false") is False
    with pytest.raises(StripeApiError) as bad_int:
        to_int("unit_amount", "49.00")
    assert (bad_int.value.code, bad_int.value.param) == ("parameter_invalid_integer", "unit_amount")
    with pytest.raises(StripeApiError) as too_small:
        to_int("line_items[0][quantity]", "0", minimum=1)
    assert too_small.value.param == "line_items[0][quantity]"
    with pytest.raises(StripeApiError):
        to_bool("cancel_at_period_end", "yes")


def test_metadata_merges_unsets_with_empty_values_and_clears_with_an_empty_string() -> None:
    current = {"tenant_id": "t-1", "plan": "pro"}
    assert to_str_map("metadata", {"plan": "business", "source": "web"}, current) == {
        "tenant_id": "t-1", "plan": "business", "source": "web"}
    assert to_str_map("metadata", {"plan": ""}, current) == {"tenant_id": "t-1"}
    assert to_str_map("metadata", "", current) == {}
    assert current == {"tenant_id": "t-1", "plan": "pro"}  # never mutated


@pytest.mark.parametrize("value", [{"k" * 41: "v"}, {"k": "v" * 501}, {f"k{i}": "v" for i in range(51)}, "text",
                                   {"k": {"nested": "v"}}])
def test_metadata_limits_are_stripes(value: object) -> None:
    with pytest.raises(StripeApiError) as raised:
        to_str_map("metadata", value)
    assert raised.value.status == 400 and raised.value.param.startswith("metadata")

