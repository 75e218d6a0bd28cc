"""The /v1 API: authentication, Stripe-Version, form parameters checked against the pinned SDK's parameter
names, idempotency keys, routing to the state, `expand`, list pagination, and Stripe's error bodies."""

from __future__ import annotations

import base64
import binascii
import json
import re
import threading
import time
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from scripts.billing_sandbox import objects as o
from scripts.billing_sandbox.errors import StripeApiError, invalid, missing_param, no_such, unknown_param
from scripts.billing_sandbox.forms import decode_form, to_bool, to_int, to_str_map
from scripts.billing_sandbox.state import BillingState

__all__ = ["Api", "ApiResponse"]

Obj = dict[str, Any]
IDEMPOTENCY_TTL = 24 * 3600
_VERSION = re.compile(r"^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Request options the SDK's parameter types carry beside the API parameters: never sent as parameters.
_REQUEST_OPTIONS = {"api_key", "stripe_account", "stripe_context", "stripe_version", "idempotency_key",
                    "max_network_retries", "headers", "content_type"}


@dataclass
class ApiResponse:
    status: int
    body: Obj
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class _Saved:
    fingerprint: tuple[str, str, str]
    response: ApiResponse
    request_id: str
    at: float


def _known_params(module: str, name: str) -> frozenset[str] | None:
    """Top-level parameter names of one SDK params TypedDict (stripe.params...), or None when unavailable."""
    try:
        import importlib

        params = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):  # pragma: no cover - the SDK is a project dependency
        return None
    return frozenset(params.__annotations__) - _REQUEST_OPTIONS


@dataclass(frozen=True)
class _Route:
    method: str
    pattern: re.Pattern[str]
    handler: str
    params: tuple[str, str]  # (module, TypedDict) naming the accepted parameters


def _route(method: str, path: str, handler: str, params: str) -> _Route:
    module, _, name = params.rpartition(".")
    regex = re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", path) + "$")
    return _Route(method, regex, handler, ("stripe.params" + (f".{module}" if module else ""), name))


ROUTES = (
    _route("POST", "/v1/customers", "create_customer", "CustomerCreateParams"),
    _route("GET", "/v1/customers", "list_customers", "CustomerListParams"),
    _route("GET", "/v1/customers/search", "search_customers", "CustomerSearchParams"),
    _route("GET", "/v1/customers/{id}", "retrieve_customer", "CustomerRetrieveParams"),
    _route("POST", "/v1/customers/{id}", "update_customer", "CustomerUpdateParams"),
    _route("POST", "/v1/products", "create_product", "ProductCreateParams"),
    _route("GET", "/v1/products", "list_products", "ProductListParams"),
    _route("GET", "/v1/products/{id}", "retrieve_product", "ProductRetrieveParams"),
    _route("POST", "/v1/prices", "create_price", "PriceCreateParams"),
    _route("GET", "/v1/prices", "list_prices", "PriceListParams"),
    _route("GET", "/v1/prices/{id}", "retrieve_price", "PriceRetrieveParams"),
    _route("POST", "/v1/checkout/sessions", "create_checkout_session", "checkout.SessionCreateParams"),
    _route("GET", "/v1/checkout/sessions", "list_checkout_sessions", "checkout.SessionListParams"),
    _route("GET", "/v1/checkout/sessions/{id}", "retrieve_checkout_session", "checkout.SessionRetrieveParams"),
    _route("GET", "/v1/checkout/sessions/{id}/line_items", "checkout_line_items",
           "checkout.SessionListLineItemsParams"),
    _route("POST", "/v1/checkout/sessions/{id}/expire", "expire_checkout_session", "checkout.SessionExpireParams"),
    _route("POST", "/v1/billing_portal/sessions", "create_portal_session", "billing_portal.SessionCreateParams"),
    _route("GET", "/v1/subscriptions", "list_subscriptions", "SubscriptionListParams"),
    _route("GET", "/v1/subscriptions/{id}", "retrieve_subscription", "SubscriptionRetrieveParams"),
    _route("POST", "/v1/subscriptions/{id}", "update_subscription", "SubscriptionUpdateParams"),
    _route("DELETE", "/v1/subscriptions/{id}", "cancel_subscription", "SubscriptionCancelParams"),
    _route("GET", "/v1/invoices", "list_invoices", "InvoiceListParams"),
    _route("GET", "/v1/invoices/{id}", "retrieve_invoice", "InvoiceRetrieveParams"),
    _route("GET", "/v1/events", "list_events", "EventListParams"),
    _route("GET", "/v1/events/{id}", "retrieve_event", "EventRetrieveParams"),
)


def _mask(key: str) -> str:
    return key[:8] + "*" * max(4, len(key) - 12) + key[-4:] if len(key) > 12 else "****"


def _fingerprint(method: str, path: str, params: Obj) -> tuple[str, str, str]:
    return method, path, json.dumps(params, sort_keys=True)


class Api:
    def __init__(self, state: BillingState) -> None:
        self.state = state
        self._saved: dict[str, _Saved] = {}
        self._in_flight: set[str] = set()
        self._idem_lock = threading.Lock()
        self._known: dict[tuple[str, str], frozenset[str] | None] = {}

    def reset(self) -> None:
        with self._idem_lock:
            self._saved.clear()

    # --- the request pipeline -----------------------------------------------------------------------------------
    def handle(self, method: str, path: str, query: str, body: str, headers: Mapping[str, str]) -> ApiResponse:
        request_id = o.new_id("req_", 14)
        response = self._handle(method, path, query, body, headers, request_id)
        response.headers.setdefault("Request-Id", request_id)
        response.headers.setdefault("Stripe-Version", headers.get("Stripe-Version") or self.state.config.api_version)
        if response.status >= 400 and "error" in response.body:
            response.body["error"].setdefault("request_log_url",
                                              f"https://dashboard.stripe.com/test/logs/{request_id}")
        return response

    def _handle(self, method: str, path: str, query: str, body: str, headers: Mapping[str, str],
                request_id: str) -> ApiResponse:
        try:
            self._authenticate(headers.get("Authorization"))
            version = headers.get("Stripe-Version")
            if version and not _VERSION.match(version):
                raise StripeApiError(400, f"Invalid Stripe API version: {version}", param="stripe_version")
            route, path_args = self._match(method, path)
            params = decode_form(body if method == "POST" else query)
            self._check_params(route, params)
        except StripeApiError as exc:
            return ApiResponse(exc.status, exc.body(), dict(exc.headers))
        key = headers.get("Idempotency-Key") if method == "POST" else None
        if not key:
            return self._execute(route, path_args, params, request_id, None)
        if len(key) > 255:
            err = invalid("Idempotency-Key", "Idempotency keys can be at most 255 characters long.")
            return ApiResponse(err.status, err.body())
        fingerprint = _fingerprint(method, path, params)
        with self._idem_lock:
            self._prune()
            saved = self._saved.get(key)
            if saved is not None:
                if saved.fingerprint != fingerprint:
                    err = StripeApiError(
                        400, "Keys for idempotent requests can only be used with the same parameters they were "
                        f"first used with. Try using a key other than '{key}' if you meant to execute a different "
                        "request.", type="idempotency_error")
                    return ApiResponse(err.status, err.body(), {"Idempotency-Key": key})
                replay = ApiResponse(saved.response.status, json.loads(json.dumps(saved.response.body)),
                                     {"Idempotency-Key": key, "Idempotent-Replayed": "true",
                                      "Original-Request": saved.request_id})
                return replay
            if key in self._in_flight:
                err = StripeApiError(
                    409, "There is currently another in-progress request using this Stripe Idempotency-Key (that "
                    "probably means you submitted it twice). Try again later or use a different key.",
                    type="idempotency_error", headers={"Stripe-Should-Retry": "true"})
                return ApiResponse(err.status, err.body(), dict(err.headers))
            self._in_flight.add(key)
        try:
            response = self._execute(route, path_args, params, request_id, key)
        finally:
            with self._idem_lock:
                self._in_flight.discard(key)
        response.headers["Idempotency-Key"] = key
        response.headers["Original-Request"] = request_id
        # Stripe saves a result once the endpoint began executing: not for a 400 (validation) or a 429/409.
        if response.status < 400 or response.status >= 500 or response.status in (402, 404):
            with self._idem_lock:
                self._saved[key] = _Saved(fingerprint, response, request_id, time.time())
        return response

    def _prune(self) -> None:
        cutoff = time.time() - IDEMPOTENCY_TTL
        for key in [k for k, s in self._saved.items() if s.at < cutoff]:
            del self._saved[key]

    def _authenticate(self, header: str | None) -> None:
        if not header:
            raise StripeApiError(
                401, "You did not provide an API key. You need to provide your API key in the Authorization header, "
                "using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See "
                "https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.")
        scheme, _, credential = header.partition(" ")
        key = credential.strip()
        if scheme.lower() == "basic":
            try:
                key = base64.b64decode(key).decode().partition(":")[0]
            except (binascii.Error, UnicodeDecodeError):
                key = ""
        elif scheme.lower() != "bearer":
            raise StripeApiError(
                401, "Invalid API Key provided: the Authorization header must use Bearer (or Basic) auth.")
        if key != self.state.config.api_key:
            raise StripeApiError(401, f"Invalid API Key provided: {_mask(key)}", code="api_key_invalid")

    def _match(self, method: str, path: str) -> tuple[_Route, dict[str, str]]:
        for route in ROUTES:
            match = route.pattern.match(path)
            if match and route.method == method:
                return route, match.groupdict()
        raise StripeApiError(
            404, f"Unrecognized request URL ({method}: {path}). Please see https://stripe.com/docs or we can help at "
            "https://support.stripe.com/.")

    def _check_params(self, route: _Route, params: Obj) -> None:
        if route.params not in self._known:
            self._known[route.params] = _known_params(*route.params)
        known = self._known[route.params]
        if known is None:
            return
        for name in params:
            if name not in known:
                raise unknown_param(name)

    def _execute(self, route: _Route, path_args: dict[str, str], params: Obj, request_id: str,
                 idempotency_key: str | None) -> ApiResponse:
        handler: Callable[..., Obj] = getattr(self, "_" + route.handler)
        try:
            with self.state.request(request_id, idempotency_key):
                result = handler(params, **path_args)
                body = self._expand(o.snapshot(result), params.get("expand"))
                return ApiResponse(200, json.loads(json.dumps(body)))
        except StripeApiError as exc:
            return ApiResponse(exc.status, exc.body(), dict(exc.headers))
        except Exception:  # a sandbox bug answers as Stripe's 500 would, with the trace for the developer
            err = StripeApiError(500, "An unknown error occurred in the billing sandbox.", type="api_error",
                                 trace=traceback.format_exc(limit=5))
            return ApiResponse(500, err.body(), {"Stripe-Should-Retry": "false"})

    # --- expand and lists ---------------------------------------------------------------------------------------
    def _expand(self, body: Obj, expand: Any) -> Obj:
        if expand is None:
            return body
        paths = expand if isinstance(expand, list) else [expand]
        for index, path in enumerate(paths):
            if not isinstance(path, str):
                raise invalid(f"expand[{index}]", "Invalid array: expand must be a list of strings")
            self._expand_path(body, path.split("."), path, f"expand[{index}]")
        return body

    def _expand_path(self, node: Any, parts: list[str], path: str, param: str) -> None:
        if not parts or not isinstance(node, dict):
            return
        head, rest = parts[0], parts[1:]
        if node.get("object") in ("list", "search_result") and head == "data":
            for item in node["data"]:
                self._expand_path(item, rest, path, param)
            return
        if head == "line_items" and node.get("object") == "checkout.session":
            items = self.state.session_line_items(node["id"])
            node["line_items"] = o.list_object(f"/v1/checkout/sessions/{node['id']}/line_items", o.snapshot(items))
        elif head not in node:
            raise invalid(param, f"This property cannot be expanded ({path}).")
        value = node[head]
        if isinstance(value, str):
            resolved = self.state.resolve(value)
            if resolved is None:
                raise invalid(param, f"This property cannot be expanded ({path}).")
            node[head] = value = o.snapshot(resolved)
        if rest:
            self._expand_path(value, rest, path, param)

    def _page(self, url: str, items: list[Obj], params: Obj) -> Obj:
        limit = to_int("limit", params.get("limit", 10), minimum=1)
        if limit > 100:
            raise invalid("limit", "This value must be less than or equal to 100.")
        # Newest first; same-second objects by creation order (items come oldest first).
        ordered = sorted(reversed(items), key=lambda x: x.get("created", 0), reverse=True)
        ids = [item.get("id") for item in ordered]
        for cursor, step in (("starting_after", 1), ("ending_before", 0)):
            if params.get(cursor):
                if params[cursor] not in ids:
                    raise no_such("object", params[cursor], param=cursor)
                at = ids.index(params[cursor])
                ordered = ordered[at + 1:] if step else ordered[max(0, at - limit):at]
        return o.list_object(url, ordered[:limit], has_more=len(ordered) > limit)

    # --- customers ----------------------------------------------------------------------------------------------
    def _customer_fields(self, params: Obj, current: Obj | None = None) -> Obj:
        values: Obj = {}
        for name in ("email", "name", "description", "phone"):
            if name in params:
                values[name] = _string(params, name, 512) or None
        if values.get("email") and not _EMAIL.match(values["email"]):
            raise invalid("email", f"Invalid email address: {values['email']}", code="email_invalid")
        if "metadata" in params:
            values["metadata"] = to_str_map("metadata", params["metadata"], (current or {}).get("metadata"))
        return values

    def _create_customer(self, params: Obj) -> Obj:
        values = self._customer_fields(params)
        return self.state.create_customer(email=values.get("email"), name=values.get("name"),
                                          description=values.get("description"), phone=values.get("phone"),
                                          metadata=values.get("metadata", {}))

    def _update_customer(self, params: Obj, id: str) -> Obj:
        customer = self.state.get("customer", id)
        return self.state.update_customer(id, self._customer_fields(params, customer))

    def _retrieve_customer(self, params: Obj, id: str) -> Obj:
        return self.state.get("customer", id)

    def _list_customers(self, params: Obj) -> Obj:
        items = list(self.state.customers.values())
        if params.get("email"):
            items = [c for c in items if c["email"] == params["email"]]  # case-sensitive, as Stripe's filter
        return self._page("/v1/customers", items, params)

    def _search_customers(self, params: Obj) -> Obj:
        query = params.get("query")
        if not query or not isinstance(query, str):
            raise missing_param("query")
        match = _parse_query(query, {"email", "name", "phone", "description", "metadata"}, "customers")
        items = [c for c in self.state.customers.values() if self.state.searchable(c["id"]) and match(c)]
        limit = to_int("limit", params.get("limit", 10), minimum=1)
        items.sort(key=lambda c: c["created"], reverse=True)
        result = o.search_result("/v1/customers/search", items[:limit])
        result["has_more"] = len(items) > limit
        return result

    # --- products and prices ------------------------------------------------------------------------------------
    def _create_product(self, params: Obj) -> Obj:
        name = _string(params, "name", 250)
        if not name:
            raise missing_param("name")
        product_id = _string(params, "id", 250)
        product = self.state.create_product(
            product_id=product_id, name=name, description=_string(params, "description", 40000),
            active=to_bool("active", params.get("active", True)),
            metadata=to_str_map("metadata", params.get("metadata", {})))
        data = params.get("default_price_data")
        if data is not None:
            if not isinstance(data, dict):
                raise invalid("default_price_data", "Invalid object")
            price = self._price_from(data, product["id"], "default_price_data")
            product["default_price"] = price["id"]
        return product

    def _retrieve_product(self, params: Obj, id: str) -> Obj:
        return self.state.get("product", id)

    def _list_products(self, params: Obj) -> Obj:
        items = _where(list(self.state.products.values()), params, "active", "type")
        if params.get("ids"):
            ids = params["ids"] if isinstance(params["ids"], list) else [params["ids"]]
            items = [p for p in items if p["id"] in ids]
        return self._page("/v1/products", items, params)

    def _create_price(self, params: Obj) -> Obj:
        product_id = _string(params, "product", 250)
        if product_id is None:
            data = params.get("product_data")
            if not isinstance(data, dict) or not data.get("name"):
                raise missing_param("product_data[name]" if isinstance(data, dict) else "product")
            product = self.state.create_product(product_id=None, name=str(data["name"]), description=None,
                                                active=True, metadata=to_str_map("product_data[metadata]",
                                                                                 data.get("metadata", {})))
            product_id = product["id"]
        elif product_id not in self.state.products:
            raise no_such("product", product_id, param="product")
        return self._price_from(params, product_id, None)

    def _price_from(self, params: Obj, product_id: str, prefix: str | None) -> Obj:
        def name(field_name: str) -> str:
            return f"{prefix}[{field_name}]" if prefix else field_name

        currency = params.get("currency")
        if not currency:
            raise missing_param(name("currency"))
        if not isinstance(currency, str) or not re.fullmatch(r"[a-zA-Z]{3}", currency):
            raise invalid(name("currency"), f"Invalid currency: {currency}")
        if "unit_amount" in params:
            unit_amount = to_int(name("unit_amount"), params["unit_amount"], minimum=0)
        elif "unit_amount_decimal" in params:
            unit_amount = to_int(name("unit_amount_decimal"), params["unit_amount_decimal"], minimum=0)
        else:
            raise missing_param(name("unit_amount"))
        recurring = params.get("recurring")
        if recurring is not None:
            if not isinstance(recurring, dict) or "interval" not in recurring:
                raise missing_param(name("recurring[interval]"))
            if recurring["interval"] not in ("day", "week", "month", "year"):
                raise invalid(name("recurring[interval]"),
                              "Invalid recurring[interval]: must be one of day, week, month, or year")
            recurring = {"interval": recurring["interval"],
                         "interval_count": to_int(name("recurring[interval_count]"),
                                                  recurring.get("interval_count", 1), minimum=1)}
        return self.state.create_price(
            product_id=product_id, currency=currency.lower(), unit_amount=unit_amount, recurring=recurring,
            lookup_key=_string(params, "lookup_key", 200),
            transfer_lookup_key=to_bool("transfer_lookup_key", params.get("transfer_lookup_key", False)),
            nickname=_string(params, "nickname", 250), active=to_bool("active", params.get("active", True)),
            metadata=to_str_map(name("metadata"), params.get("metadata", {})))

    def _retrieve_price(self, params: Obj, id: str) -> Obj:
        return self.state.get("price", id)

    def _list_prices(self, params: Obj) -> Obj:
        items = _where(list(self.state.prices.values()), params, "active", "product", "currency", "type")
        if "lookup_keys" in params:
            keys = params["lookup_keys"] if isinstance(params["lookup_keys"], list) else [params["lookup_keys"]]
            items = [p for p in items if p["lookup_key"] in keys]
        return self._page("/v1/prices", items, params)

    # --- Checkout -----------------------------------------------------------------------------------------------
    def _create_checkout_session(self, params: Obj) -> Obj:
        mode = params.get("mode")
        if not mode:
            raise missing_param("mode")
        if mode not in ("payment", "setup", "subscription"):
            raise invalid("mode", "Invalid mode: must be one of payment, setup, or subscription")
        if mode != "subscription":
            raise invalid("mode", "The billing sandbox supports mode=subscription only.")
        line_items = params.get("line_items")
        if not line_items:
            raise missing_param("line_items")
        if not isinstance(line_items, list):
            raise invalid("line_items", "Invalid array: line_items must be a list")
        items: list[tuple[str, int]] = []
        currency = interval = None
        for index, item in enumerate(line_items):
            param = f"line_items[{index}]"
            if not isinstance(item, dict):
                raise invalid(param, f"Invalid object: {param}")
            if "price_data" in item:
                raise invalid(f"{param}[price_data]", "The billing sandbox does not take price_data: create the "
                              "price first (POST /v1/prices) and pass its id as line_items[][price].")
            price_id = item.get("price")
            if not price_id:
                raise missing_param(f"{param}[price]")
            price = self.state.prices.get(str(price_id))
            if price is None:
                raise no_such("price", str(price_id), param=f"{param}[price]")
            if not price["active"]:
                raise invalid(f"{param}[price]", f"The price specified ({price_id}) is inactive. This field only "
                              "accepts active prices.")
            if price["recurring"] is None:
                raise invalid(f"{param}[price]", "You must provide at least one recurring price in `subscription` "
                              "mode when using prices.")
            if currency is not None and (price["currency"], price["recurring"]["interval"]) != (currency, interval):
                raise invalid(f"{param}[price]", "All prices on a subscription must have the same currency and "
                              "recurring interval.")
            currency, interval = price["currency"], price["recurring"]["interval"]
            items.append((price["id"], to_int(f"{param}[quantity]", item.get("quantity", 1), minimum=1)))
        customer_id = _string(params, "customer", 250)
        customer_email = _string(params, "customer_email", 512)
        if customer_id and customer_email:
            raise invalid("customer_email", "You may only specify one of these parameters: customer, "
                          "customer_email.")
        if customer_id is not None:
            self.state.get("customer", customer_id, param="customer")
        if customer_email and not _EMAIL.match(customer_email):
            raise invalid("customer_email", f"Invalid email address: {customer_email}", code="email_invalid")
        urls = {}
        for name in ("success_url", "cancel_url"):
            url = _string(params, name, 5000)
            if url is not None and not _URL.match(url):
                raise invalid(name, "Not a valid URL", code="url_invalid")
            urls[name] = url
        sub_data = params.get("subscription_data", {})
        if not isinstance(sub_data, dict):
            raise invalid("subscription_data", "Invalid object: subscription_data")
        for unsupported in ("trial_period_days", "trial_end", "billing_cycle_anchor"):
            if unsupported in sub_data:
                raise invalid(f"subscription_data[{unsupported}]",
                              f"subscription_data[{unsupported}] is not supported by the billing sandbox.")
        expires_at = None
        if "expires_at" in params:
            expires_at = to_int("expires_at", params["expires_at"])
            now = self.state.now()
            if not now + 1800 <= expires_at <= now + 86400:
                raise invalid("expires_at", "The `expires_at` timestamp must be between 30 minutes and 24 hours "
                              "from Checkout Session creation.")
        return self.state.create_checkout_session(
            items=items, customer_id=customer_id, customer_email=customer_email,
            client_reference_id=_string(params, "client_reference_id", 200),
            metadata=to_str_map("metadata", params.get("metadata", {})),
            subscription_metadata=to_str_map("subscription_data[metadata]", sub_data.get("metadata", {})),
            subscription_description=_string(sub_data, "description", 500, prefix="subscription_data"),
            success_url=urls["success_url"], cancel_url=urls["cancel_url"], expires_at=expires_at,
            locale=_string(params, "locale", 20))

    def _retrieve_checkout_session(self, params: Obj, id: str) -> Obj:
        return self.state.get("checkout.session", id)

    def _list_checkout_sessions(self, params: Obj) -> Obj:
        items = _where(list(self.state.sessions.values()), params, "customer", "subscription", "status")
        return self._page("/v1/checkout/sessions", items, params)

    def _checkout_line_items(self, params: Obj, id: str) -> Obj:
        return self._page(f"/v1/checkout/sessions/{id}/line_items", self.state.session_line_items(id), params)

    def _expire_checkout_session(self, params: Obj, id: str) -> Obj:
        return self.state.expire_session(id)

    # --- portal -------------------------------------------------------------------------------------------------
    def _create_portal_session(self, params: Obj) -> Obj:
        customer_id = _string(params, "customer", 250)
        if not customer_id:
            raise missing_param("customer")
        self.state.get("customer", customer_id, param="customer")
        return_url = _string(params, "return_url", 5000)
        if return_url is not None and not _URL.match(return_url):
            raise invalid("return_url", "Not a valid URL", code="url_invalid")
        return self.state.create_portal_session(customer_id=customer_id, return_url=return_url,
                                                locale=_string(params, "locale", 20))

    # --- subscriptions ------------------------------------------------------------------------------------------
    def _retrieve_subscription(self, params: Obj, id: str) -> Obj:
        return self.state.get("subscription", id)

    def _list_subscriptions(self, params: Obj) -> Obj:
        items = list(self.state.subscriptions.values())
        status = params.get("status")
        if status and status != "all":
            items = [s for s in items if s["status"] == status]
        elif not status:
            items = [s for s in items if s["status"] not in ("canceled", "incomplete_expired")]
        if params.get("customer"):
            items = [s for s in items if s["customer"] == params["customer"]]
        if params.get("price"):
            items = [s for s in items if any(i["price"]["id"] == params["price"] for i in s["items"]["data"])]
        return self._page("/v1/subscriptions", items, params)

    def _update_subscription(self, params: Obj, id: str) -> Obj:
        sub = self.state.get("subscription", id)
        items = None
        if "items" in params:
            if not isinstance(params["items"], list):
                raise invalid("items", "Invalid array: items must be a list")
            items = []
            for index, item in enumerate(params["items"]):
                param = f"items[{index}]"
                if not isinstance(item, dict):
                    raise invalid(param, f"Invalid object: {param}")
                change: Obj = {}
                if item.get("id"):
                    change["id"] = str(item["id"])
                if item.get("price"):
                    price = self.state.prices.get(str(item["price"]))
                    if price is None:
                        raise no_such("price", str(item["price"]), param=f"{param}[price]")
                    if price["recurring"] is None or price["currency"] != sub["currency"]:
                        raise invalid(f"{param}[price]", "The price must be recurring and in the subscription's "
                                      f"currency ({sub['currency']}).")
                    change["price"] = price["id"]
                if "quantity" in item:
                    change["quantity"] = to_int(f"{param}[quantity]", item["quantity"], minimum=0)
                if "deleted" in item:
                    change["deleted"] = to_bool(f"{param}[deleted]", item["deleted"])
                items.append(change)
        proration = params.get("proration_behavior", "create_prorations")
        if proration not in ("create_prorations", "none", "always_invoice"):
            raise invalid("proration_behavior", "Invalid proration_behavior: must be one of always_invoice, "
                          "create_prorations, or none")
        return self.state.update_subscription(
            id,
            cancel_at_period_end=to_bool("cancel_at_period_end", params["cancel_at_period_end"])
            if "cancel_at_period_end" in params else None,
            metadata=to_str_map("metadata", params["metadata"], sub["metadata"]) if "metadata" in params else None,
            description=_string(params, "description", 500), items=items, proration_behavior=proration,
            cancellation_reason=None)

    def _cancel_subscription(self, params: Obj, id: str) -> Obj:
        for flag in ("invoice_now", "prorate"):
            if flag in params:
                to_bool(flag, params[flag])
        return self.state.cancel_subscription(id)

    # --- invoices and events ------------------------------------------------------------------------------------
    def _retrieve_invoice(self, params: Obj, id: str) -> Obj:
        return self.state.get("invoice", id)

    def _list_invoices(self, params: Obj) -> Obj:
        items = _where(list(self.state.invoices.values()), params, "customer", "status")
        if params.get("subscription"):
            items = [i for i in items if i["parent"]["subscription_details"]["subscription"] == params["subscription"]]
        return self._page("/v1/invoices", items, params)

    def _retrieve_event(self, params: Obj, id: str) -> Obj:
        return self.state.get("event", id)

    def _list_events(self, params: Obj) -> Obj:
        events = list(self.state.events.values())
        if params.get("type"):
            pattern = re.compile("^" + re.escape(str(params["type"])).replace(r"\*", ".*") + "$")
            events = [e for e in events if pattern.match(e["type"])]
        if params.get("types"):
            types = params["types"] if isinstance(params["types"], list) else [params["types"]]
            events = [e for e in events if e["type"] in types]
        return self._page("/v1/events", events, params)


def _where(items: list[Obj], params: Obj, *names: str) -> list[Obj]:
    """List filters: items whose field equals the parameter, for each of `names` given (`active` as a boolean)."""
    for name in names:
        if params.get(name) in (None, ""):
            continue
        wanted = to_bool(name, params[name]) if name == "active" else params[name]
        items = [item for item in items if item.get(name) == wanted]
    return items


def _string(params: Obj, name: str, max_length: int, prefix: str | None = None) -> str | None:
    if name not in params:
        return None
    value = params[name]
    param = f"{prefix}[{name}]" if prefix else name
    if not isinstance(value, str):
        raise invalid(param, f"Invalid string: {param} must be a string, not an object or a list")
    if len(value) > max_length:
        raise invalid(param, f"Invalid string: must be at most {max_length} characters")
    return value


_CLAUSE = re.compile(r"""\s*(?P<field>[a-z_]+)(?:\[(?P<q>['"])(?P<key>[^'"]+)(?P=q)\])?\s*(?P<op>[:~])\s*"""
                     r"""(?P<vq>['"])(?P<value>[^'"]*)(?P=vq)\s*""")


def _parse_query(query: str, fields: set[str], resource: str) -> Callable[[Obj], bool]:
    """Stripe's search language for the subset the product uses: `field:'v'`, `field~'sub'`, `metadata['k']:'v'`,
    clauses joined by AND or by OR (not both, as Stripe)."""
    clauses = []
    rest = query
    joiners = set()
    while True:
        match = _CLAUSE.match(rest)
        if match is None:
            raise invalid("query", f"Invalid query: could not parse {rest!r} (expected field:'value').")
        field_name = match.group("field")
        if field_name not in fields or (field_name == "metadata") != bool(match.group("key")):
            raise invalid("query", f"Field '{field_name}' is an unsupported search field for resource `{resource}`. "
                          f"See http://stripe.com/docs/search#query-fields-for-{resource} for a list of supported "
                          "fields.")
        clauses.append((field_name, match.group("key"), match.group("op"), match.group("value")))
        rest = rest[match.end():]
        if not rest.strip():
            break
        joiner = re.match(r"(AND|OR)\s+", rest)
        if joiner is None:
            raise invalid("query", f"Invalid query: expected AND or OR before {rest!r}.")
        joiners.add(joiner.group(1))
        rest = rest[joiner.end():]
    if len(joiners) > 1:
        raise invalid("query", "Invalid query: a query cannot mix AND and OR.")

    def test(obj: Obj, clause: tuple[str, str | None, str, str]) -> bool:
        name, key, op, value = clause
        actual = (obj.get("metadata") or {}).get(key or "") if name == "metadata" else obj.get(name)
        if actual is None:
            return False
        return str(actual) == value if op == ":" else value.lower() in str(actual).lower()

    if joiners == {"OR"}:
        return lambda obj: any(test(obj, c) for c in clauses)
    return lambda obj: all(test(obj, c) for c in clauses)
