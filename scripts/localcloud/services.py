"""Local services that run alongside the local cloud (provider sandbox, ops dashboard, ...): one entry each.

An entry says when it runs, on which port (and the setting that moves it), what it tells the functions (environment
overrides) and what `make up` prints. Adding a service (a Stripe billing sandbox, a web console) is one entry in
SERVICES; the cloud starts each enabled one, checks its port first, shows its URL in the banner and in state.json
(`<key>_url`), and stops them in reverse order.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["SANDBOX_ENV", "SERVICES", "LocalService", "RunningService"]

# Function environment variables that point at a provider, and the sandbox path that stands in for it.
SANDBOX_ENV = {
    "CNPJWS_BASE_URL": "/cnpjws",
    "CNPJWS_COMMERCIAL_BASE_URL": "/cnpjws",
    "BRASILAPI_BASE_URL": "/brasilapi/api/cnpj/v1",
    "RECEITAWS_BASE_URL": "/receitaws/v1",
    "MINHARECEITA_BASE_URL": "/minhareceita",
    "OPENCNPJ_BASE_URL": "/opencnpj",
    "CNPJA_BASE_URL": "/cnpja",
}


@dataclass
class RunningService:
    url: str
    stop: Callable[[], None]
    handle: Any = None  # the server object, for callers that need more than the URL


@dataclass(frozen=True)
class LocalService:
    key: str  # state.json `<key>_url`; CloudConfig.service_ports[key] overrides the port
    title: str  # banner label
    port_setting: str  # the environment variable that chooses the port (0 = any free port)
    default_port: int
    enabled: Callable[[Any], bool]  # (CloudConfig) -> whether to run
    start: Callable[[Any, int], RunningService]  # (LocalCloud, port) -> the running service
    # (service URL, a function's environment) -> overrides for that function. A service started after the gateway
    # has its port chosen before the functions start (a free one when its setting is 0), so its URL is known then.
    function_env: Callable[[str, Mapping[str, str]], dict[str, str]] | None = None
    after_gateway: bool = False  # needs the API (a web console) or observes the gateway (the ops page)
    # (LocalCloud, the running service) -> None, once the gateway listens: a service started before the functions
    # that calls the API (the billing sandbox's webhooks) learns its URL here.
    gateway_ready: Callable[[Any, RunningService], None] | None = None
    off_hint: str = ""  # banner line when not enabled

    def port(self, config: Any) -> int:
        overrides: Mapping[str, int] = getattr(config, "service_ports", {})
        if self.key in overrides:
            return int(overrides[self.key])
        return int(os.environ.get(self.port_setting, str(self.default_port)))


def _start_sandbox(cloud: Any, port: int) -> RunningService:
    from scripts.sandbox import start_sandbox

    server, url = start_sandbox(port=port)
    return RunningService(url=url, stop=server.shutdown, handle=server)


# On one machine a request reaches the sandbox within milliseconds, but a busy machine (tests, several clouds) can
# stall a worker thread between its slot and its send: at load 5-15 half a second was not always enough (the capacity
# e2e saw one request over cnpj.ws's window), so the local cloud leaves the production default, one second.
SANDBOX_SKEW_SECONDS = "1.0"


def _sandbox_env(url: str, function_env: Mapping[str, str]) -> dict[str, str]:
    # Every provider of a function that looks CNPJs up goes to the sandbox, whether the template names its URL or not:
    # a provider left on its default would reach the internet from a local cloud.
    looks_up = "PROVIDER_ORDER" in function_env
    overrides = {
        name: url.rstrip("/") + suffix for name, suffix in SANDBOX_ENV.items() if looks_up or name in function_env
    }
    if "PROVIDER_ORDER" in function_env:
        # The product's buckets keep the sandbox's clock: both read RADAR_SANDBOX_TIME_SCALE, so they always agree.
        overrides["RATE_LIMIT_TIME_SCALE"] = os.environ.get("RADAR_SANDBOX_TIME_SCALE") or "1"
        overrides["RATE_LIMIT_SKEW_SECONDS"] = SANDBOX_SKEW_SECONDS
    return overrides


def _start_ops(cloud: Any, port: int) -> RunningService:
    from scripts.localcloud.ops import start_ops_server

    server, actual = start_ops_server(cloud, port)

    def stop() -> None:
        server.shutdown()
        server.server_close()

    return RunningService(url=f"http://127.0.0.1:{actual}", stop=stop, handle=server)


def _start_console(cloud: Any, port: int) -> RunningService:
    from scripts.console import start_console

    # Builds console/dist first when its sources changed (npm ci when node_modules is missing or stale).
    server, url = start_console(cloud.api_url, port)
    return RunningService(url=url, stop=server.stop, handle=server)


def _console_env(url: str, function_env: Mapping[str, str]) -> dict[str, str]:
    """Checkout and the portal send the customer back to this console's plan page (the template names the CloudFront
    distribution's, which the local cloud does not run)."""
    from radar.billing import RETURN_PATH

    return {"BILLING_RETURN_URL": url.rstrip("/") + RETURN_PATH} if "BILLING_RETURN_URL" in function_env else {}


def _sandbox_keys(raw: str) -> dict[str, str]:
    """The sandbox test key and signing secret in a billing secret's value; {} when it holds none."""
    import json

    try:
        value = json.loads(raw)
    except ValueError:
        return {}
    if not isinstance(value, dict):
        return {}
    key, signing = str(value.get("secret_key") or ""), str(value.get("webhook_secret") or "")
    if key.startswith("sk_test_") and signing.startswith("whsec_"):
        return {"api_key": key, "webhook_secret": signing}
    return {}


def _stage_tiers(template: Any) -> Any:
    """The plans the template's functions sell: the tiers file with the stage's prices (`PLAN_PRICES`, which the CDK
    app writes into every function's environment), resolved by radar.tiers as the functions resolve them."""
    from radar.tiers import PLAN_PRICES_ENV, resolve_tiers

    values = {str(resource.get("Properties", {}).get("Environment", {}).get("Variables", {}).get(PLAN_PRICES_ENV, ""))
              for resource in getattr(template, "resources", {}).values()
              if resource.get("Type") == "AWS::Lambda::Function"}
    values.discard("")
    if len(values) > 1:
        raise ValueError(f"the template's functions disagree on {PLAN_PRICES_ENV}: {sorted(values)}")
    return resolve_tiers(values.pop() if values else "")


def _start_billing_sandbox(cloud: Any, port: int) -> RunningService:
    """Stripe's wire format offline (scripts/billing_sandbox), seeded with the stage's prices; its test key and
    webhook signing secret go into the template's billing secret, where the auth function reads Stripe's. A secret
    that already holds sandbox keys keeps them: a second cloud on the same emulator must not change the key under
    the functions of the first (they cache it for minutes, and would then be refused by their own sandbox)."""
    import json

    from scripts.billing_sandbox import start_billing_sandbox
    from scripts.billing_sandbox.config import generate_api_key, generate_webhook_secret
    from scripts.localcloud.kept_secrets import keep_or_write

    keys: dict[str, str] = {}
    secret_arn = cloud.template.refs.get("BillingSecret")  # a template without billing has no function to tell
    if secret_arn:
        _, value = keep_or_write(secret_arn, valid=lambda raw: bool(_sandbox_keys(raw)), make=lambda: json.dumps(
            {"secret_key": generate_api_key(), "webhook_secret": generate_webhook_secret()}))
        keys = _sandbox_keys(value)
    # Stripe retries a failed delivery for three days; here for about a minute, so a busy laptop loses no event.
    settings: dict[str, Any] = {"prices": _stage_tiers(cloud.template).model_dump(mode="json"),
                                "retry_delays": (0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0), **keys}
    server, url = start_billing_sandbox(port=port, **settings)
    return RunningService(url=url, stop=server.stop, handle=server)


def _billing_env(url: str, function_env: Mapping[str, str]) -> dict[str, str]:
    return {"BILLING_API_BASE_URL": url} if "BILLING_API_BASE_URL" in function_env else {}


def _billing_webhooks_to_gateway(cloud: Any, running: RunningService) -> None:
    running.handle.configure({"webhook_url": f"{cloud.api_url}/billing/webhook"})


SERVICES: tuple[LocalService, ...] = (
    LocalService(
        key="sandbox",
        title="Provider sandbox",
        port_setting="RADAR_SANDBOX_PORT",
        default_port=3002,
        enabled=lambda config: config.providers == "sandbox",
        start=_start_sandbox,
        function_env=_sandbox_env,
        off_hint="Providers          real (set RADAR_PROVIDERS=sandbox for the offline sandbox)",
    ),
    LocalService(
        key="billing",
        title="Billing sandbox",
        port_setting="RADAR_BILLING_SANDBOX_PORT",
        default_port=3004,
        enabled=lambda config: config.billing == "sandbox",
        start=_start_billing_sandbox,
        function_env=_billing_env,
        gateway_ready=_billing_webhooks_to_gateway,
        off_hint="Billing            Stripe's own API (RADAR_BILLING=sandbox for the offline sandbox; the key goes "
                 "in the BillingSecret)",
    ),
    LocalService(
        key="ops",
        title="Ops dashboard",
        port_setting="RADAR_OPS_PORT",
        default_port=3001,
        enabled=lambda config: True,
        start=_start_ops,
        after_gateway=True,
    ),
    LocalService(
        key="console",
        title="Console",
        port_setting="RADAR_CONSOLE_PORT",
        default_port=3003,
        enabled=lambda config: bool(getattr(config, "console", True)),
        start=_start_console,
        function_env=_console_env,
        after_gateway=True,  # forwards /v1/* to the gateway
        off_hint="Console            off (RADAR_CONSOLE=0)",
    ),
)
