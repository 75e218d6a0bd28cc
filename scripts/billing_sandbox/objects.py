"""Stripe's JSON objects as the pinned API version renders them: ids with Stripe's prefixes, `object`, `created`
(epoch seconds), `livemode: false`, the nulls and empty lists Stripe sends, list and search-result envelopes.

Fields the sandbox does not model are present with Stripe's default value, so code written against the real shapes
(e.g. the period on `items.data[].current_period_end`, the subscription on `invoice.parent.subscription_details`)
reads the same here."""

from __future__ import annotations

import calendar
import copy
import datetime as dt
import secrets
import string
from typing import Any, TypeVar

__all__ = ["add_interval", "list_object", "new_id", "snapshot"]

_ALPHABET = string.ascii_letters + string.digits

Obj = dict[str, Any]
T = TypeVar("T")


def new_id(prefix: str, length: int = 24) -> str:
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(length))


def snapshot(obj: T) -> T:
    return copy.deepcopy(obj)


def list_object(url: str, data: list[Obj], has_more: bool = False) -> Obj:
    return {"object": "list", "data": data, "has_more": has_more, "url": url}


def search_result(url: str, data: list[Obj]) -> Obj:
    return {"object": "search_result", "data": data, "has_more": False, "next_page": None, "url": url}


def add_interval(start: int, interval: str, count: int = 1) -> int:
    """`start` plus `count` intervals, months as calendar months with the day clamped (Jan 31 + 1 month = Feb 28)."""
    if interval == "day":
        return start + 86400 * count
    if interval == "week":
        return start + 7 * 86400 * count
    moment = dt.datetime.fromtimestamp(start, tz=dt.UTC)
    months = count * (12 if interval == "year" else 1)
    year, month = divmod(moment.month - 1 + months, 12)
    year += moment.year
    month += 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return int(moment.replace(year=year, month=month, day=day).timestamp())


def customer(created: int, *, email: str | None, name: str | None, description: str | None, phone: str | None,
             metadata: dict[str, str]) -> Obj:
    return {
        "id": new_id("cus_", 14), "object": "customer", "address": None, "balance": 0, "created": created,
        "currency": None, "default_source": None, "delinquent": False, "description": description,
        "discount": None, "email": email, "invoice_prefix": secrets.token_hex(4).upper(),
        "invoice_settings": {"custom_fields": None, "default_payment_method": None, "footer": None,
                             "rendering_options": None},
        "livemode": False, "metadata": metadata, "name": name, "next_invoice_sequence": 1, "phone": phone,
        "preferred_locales": [], "shipping": None, "tax_exempt": "none", "test_clock": None,
    }


def product(created: int, *, product_id: str | None, name: str, description: str | None, active: bool,
            metadata: dict[str, str]) -> Obj:
    return {
        "id": product_id or new_id("prod_", 14), "object": "product", "active": active, "created": created,
        "default_price": None, "description": description, "images": [], "livemode": False,
        "marketing_features": [], "metadata": metadata, "name": name, "package_dimensions": None,
        "shippable": None, "statement_descriptor": None, "tax_code": None, "type": "service", "unit_label": None,
        "updated": created, "url": None,
    }


def price(created: int, *, price_id: str | None, product_id: str, currency: str, unit_amount: int,
          recurring: dict[str, Any] | None, lookup_key: str | None, nickname: str | None, active: bool,
          metadata: dict[str, str]) -> Obj:
    return {
        "id": price_id or new_id("price_"), "object": "price", "active": active, "billing_scheme": "per_unit",
        "created": created, "currency": currency, "custom_unit_amount": None, "livemode": False,
        "lookup_key": lookup_key, "metadata": metadata, "nickname": nickname, "product": product_id,
        "recurring": None if recurring is None else {
            "interval": recurring["interval"], "interval_count": recurring.get("interval_count", 1), "meter": None,
            "trial_period_days": None, "usage_type": "licensed"},
        "tax_behavior": "unspecified", "tiers_mode": None, "transform_quantity": None,
        "type": "one_time" if recurring is None else "recurring", "unit_amount": unit_amount,
        "unit_amount_decimal": str(unit_amount),
    }


def plan_of(price_obj: Obj) -> Obj:
    """The legacy `plan` that subscription items still carry beside `price`."""
    recurring = price_obj["recurring"] or {"interval": "month", "interval_count": 1}
    return {
        "id": price_obj["id"], "object": "plan", "active": price_obj["active"], "amount": price_obj["unit_amount"],
        "amount_decimal": price_obj["unit_amount_decimal"], "billing_scheme": "per_unit",
        "created": price_obj["created"], "currency": price_obj["currency"], "interval": recurring["interval"],
        "interval_count": recurring["interval_count"], "livemode": False, "metadata": price_obj["metadata"],
        "meter": None, "nickname": price_obj["nickname"], "product": price_obj["product"], "tiers_mode": None,
        "transform_usage": None, "trial_period_days": None, "usage_type": "licensed",
    }


def checkout_session(created: int, *, session_id: str, url: str, customer_id: str | None,
                     customer_email: str | None, amount: int, currency: str, client_reference_id: str | None,
                     metadata: dict[str, str], success_url: str | None, cancel_url: str | None,
                     expires_at: int, locale: str | None) -> Obj:
    return {
        "id": session_id, "object": "checkout.session", "adaptive_pricing": None, "after_expiration": None,
        "allow_promotion_codes": None, "amount_subtotal": amount, "amount_total": amount,
        "automatic_tax": {"enabled": False, "liability": None, "provider": None, "status": None},
        "billing_address_collection": None, "cancel_url": cancel_url, "client_reference_id": client_reference_id,
        "client_secret": None, "collected_information": None, "consent": None, "consent_collection": None,
        "created": created, "currency": currency, "currency_conversion": None, "custom_fields": [],
        "custom_text": {"after_submit": None, "shipping_address": None, "submit": None,
                        "terms_of_service_acceptance": None},
        "customer": customer_id, "customer_creation": None if customer_id else "always",
        "customer_details": None, "customer_email": customer_email, "discounts": [], "expires_at": expires_at,
        "invoice": None, "invoice_creation": None, "livemode": False, "locale": locale, "metadata": metadata,
        "mode": "subscription", "origin_context": None, "payment_intent": None, "payment_link": None,
        "payment_method_collection": "always", "payment_method_configuration_details": None,
        "payment_method_options": {"card": {"request_three_d_secure": "automatic"}},
        "payment_method_types": ["card"], "payment_status": "unpaid", "permissions": None,
        "phone_number_collection": {"enabled": False}, "recovered_from": None,
        "saved_payment_method_options": None, "setup_intent": None, "shipping_address_collection": None,
        "shipping_cost": None, "shipping_options": [], "status": "open", "submit_type": None, "subscription": None,
        "success_url": success_url, "total_details": {"amount_discount": 0, "amount_shipping": 0, "amount_tax": 0},
        "ui_mode": "hosted", "url": url, "wallet_options": None,
    }


def checkout_line_item(price_obj: Obj, quantity: int, description: str) -> Obj:
    amount = price_obj["unit_amount"] * quantity
    return {
        "id": new_id("li_"), "object": "item", "amount_discount": 0, "amount_subtotal": amount, "amount_tax": 0,
        "amount_total": amount, "currency": price_obj["currency"], "description": description,
        "price": snapshot(price_obj), "quantity": quantity,
    }


def portal_session(created: int, *, session_id: str, url: str, customer_id: str, return_url: str | None,
                   locale: str | None, configuration: str) -> Obj:
    return {
        "id": session_id, "object": "billing_portal.session", "configuration": configuration, "created": created,
        "customer": customer_id, "flow": None, "livemode": False, "locale": locale, "on_behalf_of": None,
        "return_url": return_url, "url": url,
    }


def subscription_item(created: int, *, subscription_id: str, price_obj: Obj, quantity: int, period_start: int,
                      period_end: int) -> Obj:
    return {
        "id": new_id("si_", 14), "object": "subscription_item", "billing_thresholds": None, "created": created,
        "current_period_end": period_end, "current_period_start": period_start, "discounts": [], "metadata": {},
        "plan": plan_of(price_obj), "price": snapshot(price_obj), "quantity": quantity,
        "subscription": subscription_id, "tax_rates": [],
    }


def subscription(created: int, *, subscription_id: str, customer_id: str, currency: str,
                 metadata: dict[str, str], description: str | None) -> Obj:
    return {
        "id": subscription_id, "object": "subscription", "application": None, "application_fee_percent": None,
        "automatic_tax": {"disabled_reason": None, "enabled": False, "liability": None},
        "billing_cycle_anchor": created, "billing_cycle_anchor_config": None,
        "billing_mode": {"flexible": {"proration_discounts": "included"}, "type": "flexible", "updated_at": created},
        "billing_thresholds": None, "cancel_at": None, "cancel_at_period_end": False, "canceled_at": None,
        "cancellation_details": {"comment": None, "feedback": None, "reason": None},
        "collection_method": "charge_automatically", "created": created, "currency": currency,
        "customer": customer_id, "customer_account": None, "days_until_due": None,
        "default_payment_method": new_id("pm_"), "default_source": None, "default_tax_rates": [],
        "description": description, "discounts": [], "ended_at": None,
        "invoice_settings": {"account_tax_ids": None, "issuer": {"type": "self"}},
        "items": {"object": "list", "data": [], "has_more": False, "total_count": 0,
                  "url": f"/v1/subscription_items?subscription={subscription_id}"},
        "latest_invoice": None, "livemode": False, "metadata": metadata, "next_pending_invoice_item_invoice": None,
        "on_behalf_of": None, "pause_collection": None,
        "payment_settings": {"payment_method_options": None, "payment_method_types": None,
                             "save_default_payment_method": "off"},
        "pending_invoice_item_interval": None, "pending_setup_intent": None, "pending_update": None,
        "schedule": None, "start_date": created, "status": "incomplete", "test_clock": None, "transfer_data": None,
        "trial_end": None, "trial_settings": {"end_behavior": {"missing_payment_method": "create_invoice"}},
        "trial_start": None,
    }


def invoice_line(*, invoice_id: str, subscription_obj: Obj, item: Obj, amount: int, description: str,
                 period_start: int, period_end: int, proration: bool = False) -> Obj:
    return {
        "id": new_id("il_"), "object": "line_item", "amount": amount, "currency": subscription_obj["currency"],
        "description": description, "discount_amounts": [], "discountable": True, "discounts": [],
        "invoice": invoice_id, "livemode": False, "metadata": dict(subscription_obj["metadata"]),
        "parent": {
            "invoice_item_details": None,
            "subscription_item_details": {"invoice_item": None, "proration": proration,
                                          "proration_details": {"credited_items": None},
                                          "subscription": subscription_obj["id"], "subscription_item": item["id"]},
            "type": "subscription_item_details",
        },
        "period": {"end": period_end, "start": period_start}, "pretax_credit_amounts": [],
        "pricing": {"price_details": {"price": item["price"]["id"], "product": item["price"]["product"]},
                    "type": "price_details", "unit_amount_decimal": item["price"]["unit_amount_decimal"]},
        "quantity": item["quantity"], "subscription": subscription_obj["id"], "taxes": [],
    }


def invoice(created: int, *, invoice_id: str, customer_obj: Obj, subscription_obj: Obj, billing_reason: str,
            number: str, account_name: str, hosted_url: str, lines: list[Obj], period_start: int,
            period_end: int) -> Obj:
    total = sum(line["amount"] for line in lines)
    return {
        "id": invoice_id, "object": "invoice", "account_country": "BR", "account_name": account_name,
        "account_tax_ids": None, "amount_due": total, "amount_overpaid": 0, "amount_paid": 0,
        "amount_remaining": total, "amount_shipping": 0, "application": None, "attempt_count": 0,
        "attempted": False, "auto_advance": True,
        "automatic_tax": {"disabled_reason": None, "enabled": False, "liability": None, "provider": None,
                          "status": None},
        "automatically_finalizes_at": None, "billing_reason": billing_reason,
        "collection_method": "charge_automatically", "created": created, "currency": subscription_obj["currency"],
        "custom_fields": None, "customer": customer_obj["id"], "customer_address": None,
        "customer_email": customer_obj["email"], "customer_name": customer_obj["name"], "customer_phone": None,
        "customer_shipping": None, "customer_tax_exempt": "none", "customer_tax_ids": [],
        "default_payment_method": None, "default_source": None, "default_tax_rates": [], "description": None,
        "discounts": [], "due_date": None, "effective_at": None, "ending_balance": None, "footer": None,
        "from_invoice": None, "hosted_invoice_url": hosted_url, "invoice_pdf": hosted_url + "/pdf",
        "issuer": {"type": "self"}, "last_finalization_error": None, "latest_revision": None,
        "lines": {"object": "list", "data": lines, "has_more": False, "total_count": len(lines),
                  "url": f"/v1/invoices/{invoice_id}/lines"},
        "livemode": False, "metadata": {}, "next_payment_attempt": None, "number": number, "on_behalf_of": None,
        "parent": {"quote_details": None,
                   "subscription_details": {"metadata": dict(subscription_obj["metadata"]),
                                            "subscription": subscription_obj["id"]},
                   "type": "subscription_details"},
        "payment_settings": {"default_mandate": None, "payment_method_options": None, "payment_method_types": None},
        "period_end": period_end, "period_start": period_start, "post_payment_credit_notes_amount": 0,
        "pre_payment_credit_notes_amount": 0, "receipt_number": None, "rendering": None, "shipping_cost": None,
        "shipping_details": None, "starting_balance": 0, "statement_descriptor": None, "status": "draft",
        "status_transitions": {"finalized_at": None, "marked_uncollectible_at": None, "paid_at": None,
                               "voided_at": None},
        "subtotal": total, "subtotal_excluding_tax": total, "test_clock": None, "total": total,
        "total_discount_amounts": [], "total_excluding_tax": total, "total_pretax_credit_amounts": [],
        "total_taxes": [], "webhooks_delivered_at": None,
    }


def event(created: int, *, event_type: str, obj: Obj, previous: Obj | None, api_version: str,
          pending_webhooks: int, request_id: str | None, idempotency_key: str | None) -> Obj:
    data: Obj = {"object": snapshot(obj)}
    if previous is not None:
        data["previous_attributes"] = snapshot(previous)
    return {
        "id": new_id("evt_"), "object": "event", "api_version": api_version, "created": created, "data": data,
        "livemode": False, "pending_webhooks": pending_webhooks,
        "request": {"id": request_id, "idempotency_key": idempotency_key}, "type": event_type,
    }


def money(amount: int, currency: str) -> str:
    """4900 brl -> 'R$ 49,00'; other currencies '49.00 USD'."""
    if currency == "brl":
        whole, cents = divmod(amount, 100)
        return f"R$ {whole:,}".replace(",", ".") + f",{cents:02d}"
    return f"{amount / 100:.2f} {currency.upper()}"
