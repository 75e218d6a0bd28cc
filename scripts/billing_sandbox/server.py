"""The billing sandbox's HTTP server: Stripe's /v1 API, the hosted pay and portal pages, control endpoints under
/_sandbox/, and start_billing_sandbox() to run it in a thread."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from scripts.billing_sandbox import pages
from scripts.billing_sandbox.api import Api, ApiResponse
from scripts.billing_sandbox.config import BillingSandboxConfig
from scripts.billing_sandbox.errors import StripeApiError
from scripts.billing_sandbox.state import BillingState
from scripts.billing_sandbox.webhooks import WebhookDispatcher

__all__ = ["BillingSandbox", "start_billing_sandbox"]

Obj = dict[str, Any]


class BillingSandbox(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], config: BillingSandboxConfig) -> None:
        super().__init__(address, _Handler)
        self.dispatcher = WebhookDispatcher(lambda: self.state.config)
        self.state = BillingState(config, self.dispatcher.publish, self.dispatcher.wants)
        self.state.base_url = self.url
        self.api = Api(self.state)

    @property
    def config(self) -> BillingSandboxConfig:
        return self.state.config

    @property
    def url(self) -> str:
        host, port = self.server_address[0], self.server_address[1]
        return f"http://{host!s}:{port}"

    def configure(self, changes: dict[str, Any]) -> BillingSandboxConfig:
        with self.state.lock:
            self.state.config = self.state.config.updated(changes)
            return self.state.config

    def reset(self) -> None:
        self.dispatcher.reset()
        self.state.reset()
        self.api.reset()

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        self.dispatcher.stop()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = "nginx"  # what api.stripe.com answers with
    sys_version = ""
    server: BillingSandbox

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def _dispatch(self, method: str) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length > 0 else ""
        path = parts.path
        try:
            if path.startswith("/v1/"):
                headers = {k.title(): v for k, v in self.headers.items()}  # Stripe-Version, Idempotency-Key
                self._send_api(self.server.api.handle(method, path, parts.query, body, headers))
            elif path.startswith("/_sandbox/"):
                query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                self._control(method, path, query, body)
            elif path.startswith(("/pay/", "/portal/", "/invoice/")):
                self._hosted(method, path, parts.query, body)
            else:
                self._json(404, {"error": {"type": "invalid_request_error", "message": f"no such route: {path}"}})
        except (BrokenPipeError, ConnectionResetError):
            pass

    # --- responses ------------------------------------------------------------------------------------------------
    def _write(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache, no-store")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _send_api(self, response: ApiResponse) -> None:
        self._write(response.status, json.dumps(response.body, indent=2).encode(), "application/json",
                    response.headers)

    def _json(self, status: int, body: Obj) -> None:
        self._write(status, json.dumps(body).encode(), "application/json")

    def _html(self, status: int, html: str) -> None:
        self._write(status, html.encode(), "text/html; charset=utf-8")

    def _redirect(self, location: str) -> None:
        self._write(303, b"", "text/plain", {"Location": location})

    # --- hosted pages ---------------------------------------------------------------------------------------------
    def _hosted(self, method: str, path: str, query: str, body: str) -> None:
        state = self.server.state
        kind, _, object_id = path.strip("/").partition("/")
        args = {k: v[-1] for k, v in parse_qs(query).items()}
        form = {k: v[-1] for k, v in parse_qs(body).items()}
        try:
            if kind == "pay":
                self._pay_page(method, object_id, args, form)
            elif kind == "portal":
                self._portal_page(method, object_id, args, form)
            else:
                with state.lock:
                    invoice = state.get("invoice", object_id.removesuffix("/pdf"))
                    from scripts.billing_sandbox.objects import money

                    self._html(200, pages.message_page(
                        f"Invoice {invoice['number']}",
                        f"{money(invoice['amount_due'], invoice['currency'])}: {invoice['status']}", invoice["id"]))
        except StripeApiError as exc:
            self._html(exc.status, pages.message_page("Billing sandbox", exc.message))

    def _pay_page(self, method: str, session_id: str, args: dict[str, str], form: dict[str, str]) -> None:
        state = self.server.state
        if method == "GET":
            with state.lock:
                session = state.get("checkout.session", session_id)
                error = "Your card was declined. Try another card." if args.get("error") == "card_declined" else None
                self._html(200, pages.pay_page(session, state.session_line_items(session_id), error))
            return
        action = form.get("action")
        if action in ("pay", "fail"):
            session, paid = state.pay_session(session_id, "succeeded" if action == "pay" else "failed")
            if not paid:
                self._redirect(f"/pay/{session_id}?error=card_declined")
            else:
                self._redirect(state.success_redirect(session) or f"/pay/{session_id}")
        elif action == "cancel":
            session = state.get("checkout.session", session_id)
            self._redirect(session["cancel_url"] or f"/pay/{session_id}")
        else:
            self._html(400, pages.message_page("Checkout", "Unknown action."))

    def _portal_page(self, method: str, portal_id: str, args: dict[str, str], form: dict[str, str]) -> None:
        state = self.server.state
        if method == "GET":
            with state.lock:
                portal = state.get("billing_portal.session", portal_id)
                customer = state.get("customer", portal["customer"])
                subs = state.customer_subscriptions(customer["id"])
                self._html(200, pages.portal_page(portal, customer, subs, state.card(customer["id"]),
                                                  args.get("notice")))
            return
        action = form.get("action")
        subscription = form.get("subscription") or None
        portal = state.get("billing_portal.session", portal_id)
        notices = {"cancel": "Your plan will be canceled at the end of the period.",
                   "cancel_now": "Your plan was canceled.", "renew": "Your plan was renewed.",
                   "fail_card": "Card replaced: the next payments will be declined.",
                   "fix_card": "Card updated: payments will succeed."}
        if action == "cancel":
            state.portal_cancel(portal_id, subscription, at_period_end=True)
        elif action == "cancel_now":
            state.portal_cancel(portal_id, subscription, at_period_end=False)
        elif action == "renew":
            state.portal_renew(portal_id, subscription)
        elif action in ("fail_card", "fix_card"):
            state.set_payment_method(portal["customer"], works=action == "fix_card")
        else:
            self._html(400, pages.message_page("Billing portal", "Unknown action."))
            return
        from urllib.parse import quote

        self._redirect(f"/portal/{portal_id}?notice={quote(notices[action])}")

    # --- control endpoints ----------------------------------------------------------------------------------------
    def _control(self, method: str, path: str, query: dict[str, str], body: str) -> None:
        sandbox = self.server
        state = sandbox.state
        segments = path.strip("/").split("/")[1:]
        try:
            data = json.loads(body) if body.strip() else {}
            if not isinstance(data, dict):
                raise ValueError("the body must be a JSON object")
            args = {**data, **query}
            result = self._control_route(method, segments, args)
        except StripeApiError as exc:
            self._json(exc.status, exc.body())
            return
        except (ValueError, TypeError) as exc:
            self._json(400, {"error": {"type": "invalid_request_error", "message": str(exc)}})
            return
        if result is None:
            self._json(404, {"error": {"type": "invalid_request_error", "message": f"no such route: {method} {path}"}})
            return
        self._json(200, result)
        del state

    def _control_route(self, method: str, segments: list[str], args: dict[str, Any]) -> Obj | None:
        sandbox = self.server
        state = sandbox.state
        route = (method, *segments)

        def events_of(action: Callable[[], Any]) -> tuple[Any, list[Obj]]:
            with state.lock:
                before = len(state.events)
                value = action()
                new = list(state.events.values())[before:]
            return value, [{"id": e["id"], "type": e["type"], "created": e["created"]} for e in new]

        match route:
            case ("GET", "health"):
                return {"status": "ok", "now": state.now(), "webhook_url": state.config.webhook_url}
            case ("GET", "config"):
                return state.config.public_dict()
            case ("POST", "config"):
                return sandbox.configure(args).public_dict()
            case ("POST", "reset"):
                sandbox.reset()
                return {"status": "reset", "now": state.now()}
            case ("GET", "clock"):
                return {"now": state.now(), "offset": state.clock_offset}
            case ("POST", "advance"):
                seconds = float(args.get("seconds", 0)) + float(args.get("days", 0)) * 86400
                if "to" in args:
                    seconds += float(args["to"]) - state.now()
                _, events = events_of(lambda: state.advance(seconds))
                return {"now": state.now(), "offset": state.clock_offset, "events": events}
            case ("POST", "sessions", session_id, "pay"):
                outcome = args.get("outcome", "succeeded")
                if outcome not in ("succeeded", "failed"):
                    raise ValueError("outcome must be succeeded or failed")
                (session, paid), events = events_of(lambda: state.pay_session(session_id, outcome))
                return {"paid": paid, "session": session, "redirect": state.success_redirect(session) if paid
                        else None, "events": events}
            case ("POST", "sessions", session_id, "cancel"):
                session = state.get("checkout.session", session_id)
                return {"session": session, "redirect": session["cancel_url"], "events": []}
            case ("POST", "sessions", session_id, "expire"):
                session, events = events_of(lambda: state.expire_session(session_id))
                return {"session": session, "events": events}
            case ("POST", "portal", portal_id, "cancel"):
                at_period_end = str(args.get("at_period_end", "true")).lower() != "false"
                subs, events = events_of(lambda: state.portal_cancel(portal_id, args.get("subscription"),
                                                                     at_period_end))
                return {"subscriptions": subs, "events": events}
            case ("POST", "portal", portal_id, "renew"):
                subs, events = events_of(lambda: state.portal_renew(portal_id, args.get("subscription")))
                return {"subscriptions": subs, "events": events}
            case ("POST", "customers", customer_id, "payment_method"):
                outcome = args.get("outcome", "succeeding")
                if outcome not in ("succeeding", "failing"):
                    raise ValueError("outcome must be succeeding or failing")
                invoices, events = events_of(lambda: state.set_payment_method(customer_id, outcome == "succeeding"))
                return {"customer": customer_id, "card": outcome, "retried_invoices": [i["id"] for i in invoices],
                        "events": events}
            case ("POST", "events", event_id, "deliver"):
                event = state.get("event", event_id)
                sandbox.dispatcher.redeliver(event, int(args.get("times", 1)))
                return {"event": event_id, "queued": int(args.get("times", 1))}
            case ("GET", "webhooks"):
                attempts = [a.to_dict() for a in list(sandbox.dispatcher.attempts)
                            if not args.get("event") or a.event_id == args["event"]]
                return {**sandbox.dispatcher.status(), "attempts": attempts}
            case ("POST", "webhooks", "hold"):
                sandbox.dispatcher.hold()
                return sandbox.dispatcher.status()
            case ("POST", "webhooks", "release"):
                seed = int(args["seed"]) if args.get("seed") is not None else None
                released = sandbox.dispatcher.release(str(args.get("order", "fifo")), seed)
                return {**sandbox.dispatcher.status(), "released": released}
            case ("POST", "webhooks", "duplicate"):
                sandbox.dispatcher.set_duplicate(str(args.get("on", "true")).lower() != "false")
                return sandbox.dispatcher.status()
            case ("POST", "webhooks", "flush"):
                done = sandbox.dispatcher.flush(float(args.get("timeout", 10)))
                return {**sandbox.dispatcher.status(), "flushed": done}
        return None


def start_billing_sandbox(
    port: int = 0, host: str = "127.0.0.1", config: BillingSandboxConfig | None = None, **settings: Any
) -> tuple[BillingSandbox, str]:
    """Serve in a daemon thread; returns the server (`.stop()`, `.config.api_key`, `.config.webhook_secret`,
    `.configure(webhook_url=...)`) and its base URL, the SDK's API base. `config` or keyword settings as in
    BillingSandboxConfig (api_key, webhook_secret, webhook_url, prices=[PlanPrice] or {plan: {...}}, ...);
    what is not given is generated (key, secret) or defaulted."""
    if config is None:
        config = BillingSandboxConfig.from_env(**settings)
    elif settings:
        raise TypeError("pass either config or keyword settings, not both")
    server = BillingSandbox((host, port), config)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              name="billing-sandbox", daemon=True)
    thread.start()
    return server, server.url
