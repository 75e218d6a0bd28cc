"""Contract fuzzing: Schemathesis runs the committed OpenAPI spec, every check on, against a local cloud as one tenant.

`python -m scripts.fuzz` (`make fuzz`) starts a private local cloud (or uses `--api-url`), signs up a tenant on the
enterprise plan, fuzzes with its admin API key and then with its admin's bearer token, and prints the totals as
`name: value` lines. It exits 1 on any server error or contract violation. tests/e2e/test_fuzz_contract.py runs the
same `run_fuzz` with a small budget.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from tests.support.cloud import signup, start_cloud, stop_cloud

if TYPE_CHECKING:
    from schemathesis import BaseSchema
    from schemathesis.config import SchemathesisConfig

__all__ = [
    "ACCEPTED_REJECTIONS",
    "DISABLED_CHECKS",
    "EXCLUDED_OPERATIONS",
    "SPEC",
    "UNEXPECTED_METHODS",
    "FuzzCredentials",
    "FuzzTenant",
    "FuzzTotals",
    "fuzz_config",
    "prepare_tenant",
    "run_fuzz",
    "undeclared_method_answers",
]

REPO = Path(__file__).resolve().parents[1]
SPEC = REPO / "docs" / "openapi.json"
FUZZ_PLAN = "enterprise"  # the free plan's 2 req/s would throttle the fuzzer into testing only the 429 answer

# Operations never fuzzed, with the reason.
EXCLUDED_OPERATIONS: dict[tuple[str, str], str] = {
    ("DELETE", "/tenant"): "purges the fuzzing tenant itself; tests/e2e/test_tenant_deletion.py covers it",
}

# Built-in checks switched off, with the reason. Everything else is on. (object_level_authorization is on but
# needs several identities of one API to compare; the two-tenant matrix in tests/e2e/test_isolation_matrix.py is
# that check, done by hand for every route.)
DISABLED_CHECKS: dict[str, str] = {
    "max_response_time": "a latency limit, not a contract property; latency belongs to make bench-localcloud",
    "unsupported_method": (
        "API Gateway REST answers a method a resource does not declare with its MISSING_AUTHENTICATION_TOKEN "
        "gateway response, which the CDK app turns into 404 route_not_found, never 405; `undeclared_method_answers` "
        "asserts exactly that for every path and method instead"
    ),
}

# Methods the coverage phase tries on paths that do not declare them. Not TRACE or QUERY: the local gateway is
# Python's http.server, which answers methods it has no handler for with 501 before any routing (a local-only gap).
UNEXPECTED_METHODS = ("GET", "PUT", "POST", "DELETE", "OPTIONS", "PATCH")

# Answers `positive_data_acceptance` must accept for schema-valid input that the domain still refuses, per operation,
# with the reason. The check's own defaults (2xx, 3xx, 401, 403, 404, 409, 429, 5xx-as-its-own-failure) stay.
_CURSOR = "cursors are signed, opaque next_cursor values: a string the schema allows is not one the API issued (400)"
_CNPJ = "a CNPJ is valid only with its check digits; the schema can bound its characters, not its arithmetic (422)"
ACCEPTED_REJECTIONS: dict[tuple[str, str], tuple[tuple[int, ...], str]] = {
    ("GET", "/targets"): ((400,), _CURSOR),
    ("GET", "/targets/{target_id}/checks"): ((400,), _CURSOR),
    ("GET", "/audit"): ((400,), _CURSOR),
    ("POST", "/targets"): ((422,), _CNPJ),
    ("POST", "/checks/batch"): ((422,), _CNPJ + "; a batch with no valid CNPJ at all is refused"),
    ("POST", "/auth/signup"): ((422,), "password strength and e-mail syntax are checked beyond the schema (422)"),
    ("POST", "/users"): ((422,), "password strength and e-mail syntax are checked beyond the schema (422)"),
    ("POST", "/auth/login"): ((422,), "e-mail syntax is checked beyond the schema (422)"),
    ("PUT", "/tenant/plan"): (
        (402, 422),
        "the plan names come from tiers.json at runtime, not from the schema (422); an upgrade is paid for through "
        "POST /billing/checkout (402 upgrade_requires_payment)",
    ),
    ("POST", "/billing/checkout"): (
        (422,),
        "the plan must be a paid plan above the tenant's own; plan names come from tiers.json at runtime (422)",
    ),
    ("POST", "/auth/refresh"): (
        (422,),
        "the refresh token is an opaque value the API issued, in the body or (cookie mode only) in the session "
        "cookie: a schema-valid string or an empty body is not one (422)",
    ),
    ("POST", "/auth/logout"): (
        (422,),
        "the refresh token is an opaque value the API issued, in the body or (cookie mode only) in the session "
        "cookie: a schema-valid string or an empty body is not one (422)",
    ),
    ("POST", "/billing/webhook"): (
        (400,),
        "only a body signed with the webhook secret is accepted, and a fuzzer cannot sign one (400)",
    ),
}
_DEFAULT_ACCEPTED = ("2xx", "3xx", 401, 403, 404, 409, 429)


@dataclass(frozen=True)
class FuzzCredentials:
    """How the fuzzer authenticates: one of the tenant's credentials, as Schemathesis auth for the spec's schemes."""

    label: str
    api_key: str | None = None
    bearer: str | None = None

    def openapi_auth(self) -> dict[str, dict[str, str]]:
        if self.api_key:
            return {"ApiKeyAuth": {"api_key": self.api_key}}
        assert self.bearer, "credentials need an API key or a bearer token"
        return {"BearerAuth": {"bearer": self.bearer}}

    def headers(self) -> dict[str, str]:
        return {"x-api-key": self.api_key} if self.api_key else {"Authorization": f"Bearer {self.bearer}"}


@dataclass
class FuzzTotals:
    """What one or more fuzz runs saw: requests answered, server errors, contract violations and their details."""

    requests: int = 0
    server_errors: int = 0
    violations: int = 0
    engine_errors: int = 0
    operations: set[str] = field(default_factory=set)
    failures: list[str] = field(default_factory=list)

    def add(self, other: FuzzTotals) -> FuzzTotals:
        return FuzzTotals(
            requests=self.requests + other.requests,
            server_errors=self.server_errors + other.server_errors,
            violations=self.violations + other.violations,
            engine_errors=self.engine_errors + other.engine_errors,
            operations=self.operations | other.operations,
            failures=self.failures + other.failures,
        )

    def lines(self) -> list[str]:
        return [
            f"requests: {self.requests}",
            f"operations: {len(self.operations)}",
            f"server_errors: {self.server_errors}",
            f"violations: {self.violations}",
            f"engine_errors: {self.engine_errors}",
        ]

    @property
    def clean(self) -> bool:
        """No 5xx and no contract violation; engine errors are Schemathesis' own crashes and only reported."""
        return self.server_errors == 0 and self.violations == 0


def _operation_overrides() -> list[dict[str, Any]]:
    overrides = []
    for (method, path), (statuses, _reason) in ACCEPTED_REJECTIONS.items():
        overrides.append(
            {
                # one filter naming both: separate include-method and include-path filters are OR-ed
                "include-name": f"{method} {path}",
                "checks": {"positive_data_acceptance": {"expected-statuses": [*_DEFAULT_ACCEPTED, *statuses]}},
            }
        )
    return overrides


def fuzz_config(
    *,
    base_url: str,
    credentials: FuzzCredentials,
    max_examples: int,
    seed: int | None = None,
    workers: int = 4,
    stateful_steps: int = 6,
) -> SchemathesisConfig:
    """Every built-in check on (minus DISABLED_CHECKS), all four phases, the tenant's credential, no auto sign-up."""
    from schemathesis.config import SchemathesisConfig

    checks: dict[str, Any] = {"enabled": True}
    # max_response_time is off unless given a number of seconds: it takes no `enabled` switch.
    checks.update({name: {"enabled": False} for name in DISABLED_CHECKS if name != "max_response_time"})
    data: dict[str, Any] = {
        "base-url": base_url,
        "workers": workers,
        "request-timeout": 30,
        "auth": {"auto-signup": False, "openapi": credentials.openapi_auth()},
        "checks": checks,
        "generation": {"max-examples": max_examples, "mode": "all", "database": "none"},
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": True, "unexpected-methods": list(UNEXPECTED_METHODS)},
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": True, "max-steps": stateful_steps},
        },
        "operations": _operation_overrides(),
        "warnings": False,
    }
    if seed is not None:
        data["seed"] = seed
    return SchemathesisConfig.from_dict(data)


def _describe(method_path: str, check: str, message: str, status: int | None) -> str:
    return f"{method_path} [{check}] -> {status}: {message.strip().splitlines()[0] if message.strip() else ''}"


def run_fuzz(
    *,
    base_url: str,
    credentials: FuzzCredentials,
    max_examples: int,
    seed: int | None = None,
    spec: Path = SPEC,
    workers: int = 4,
) -> FuzzTotals:
    """Fuzz every operation of `spec` (but EXCLUDED_OPERATIONS) once with `credentials`; count what came back."""
    import schemathesis
    from schemathesis.engine import Status, events

    config = fuzz_config(
        base_url=base_url, credentials=credentials, max_examples=max_examples, seed=seed, workers=workers
    )
    schema: BaseSchema = schemathesis.openapi.from_path(spec, config=config)
    for method, path in EXCLUDED_OPERATIONS:
        schema = schema.exclude(method=method, path=path)
    totals = FuzzTotals()
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, (events.ScenarioFinished, events.FuzzScenarioFinished)):
            recorder = event.recorder
            for case_id, interaction in recorder.interactions.items():
                if interaction.response is None:
                    continue
                totals.requests += 1
                node = recorder.cases.get(case_id)
                if node is not None:
                    totals.operations.add(f"{node.value.operation.method.upper()} {node.value.operation.path}")
                if interaction.response.status_code >= 500:
                    totals.server_errors += 1
            for case_id, checks in recorder.checks.items():
                response = recorder.interactions.get(case_id)
                status = response.response.status_code if response and response.response else None
                for check in checks:
                    if check.status != Status.FAILURE or check.failure_info is None:
                        continue
                    if check.name != "not_a_server_error":
                        totals.violations += 1
                    failure = check.failure_info.failure
                    label = recorder.label
                    node = recorder.cases.get(case_id)
                    if node is not None:
                        label = f"{node.value.method.upper()} {node.value.formatted_path}"
                    reproduce = check.failure_info.code_sample.strip().replace("\n", " ")[:400]
                    totals.failures.append(
                        _describe(label, check.name, f"{failure.title}: {failure.message}", status)
                        + f"\n    reproduce: {reproduce}"
                    )
        elif isinstance(event, events.NonFatalError):
            totals.engine_errors += 1
            totals.failures.append(f"{event.label} [engine error] {event.info.title}: {event.info.message}")
        elif isinstance(event, events.FatalError):
            totals.engine_errors += 1
            totals.failures.append(f"[fatal] {event.exception!r}")
    totals.failures = sorted(set(totals.failures))
    return totals


def undeclared_method_answers(base_url: str, credentials: FuzzCredentials, spec: Path = SPEC) -> list[str]:
    """Methods a path does not declare get the gateway's 404 route_not_found body; returns what did not."""
    import json

    problems = []
    paths: dict[str, Any] = json.loads(spec.read_text(encoding="utf-8"))["paths"]
    with httpx.Client(base_url=base_url, headers=credentials.headers(), timeout=30) as http:
        for path, item in paths.items():
            concrete = path.replace("{", "x").replace("}", "")
            for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
                if method.lower() in item:
                    continue
                response = http.request(method, concrete)
                code = response.json().get("error", {}).get("code") if response.content else None
                if response.status_code != 404 or code != "route_not_found":
                    problems.append(f"{method} {concrete} -> {response.status_code} {response.text[:200]}")
    return problems


@dataclass(frozen=True)
class FuzzTenant:
    tenant_id: str
    api_key: str
    access_token: str


def prepare_tenant(api_url: str, *, plan: str = FUZZ_PLAN, settle_s: float = 1.2) -> FuzzTenant:
    """Sign up a tenant with an admin API key, move it to `plan`, and give the fuzzer a target and a check to find."""
    tenant = signup(api_url, plan_roles=("admin",))
    tenant.upgrade(plan, settle_s=settle_s)
    with httpx.Client(base_url=api_url, headers=tenant.bearer(), timeout=30) as http:
        target = http.post("/targets", json={"cnpj": "11.222.333/0001-81", "label": "fuzz"})
        if target.status_code == 201:
            http.post(f"/targets/{target.json()['id']}/checks", params={"async": "true"})
    return FuzzTenant(tenant_id=tenant.tenant_id, api_key=tenant.api_key, access_token=tenant.access_token)


def _api_url(given: str | None) -> Iterator[str]:
    """The API to fuzz: the one given, or a private local cloud's for the length of the run."""
    if given:
        yield given
        return
    with tempfile.TemporaryDirectory(prefix="radar-fuzz-") as directory:
        running = start_cloud(Path(directory))
        try:
            yield running.api_url
        finally:
            stop_cloud(running)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--api-url", help="fuzz this running API instead of starting a private local cloud")
    parser.add_argument("--max-examples", type=int, default=30, help="examples per operation and phase")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--min-requests", type=int, default=1000, help="fail when fewer requests were made")
    args = parser.parse_args(argv)

    for api_url in _api_url(args.api_url):
        tenant = prepare_tenant(api_url)
        totals = FuzzTotals()
        for credentials in (
            FuzzCredentials("api_key", api_key=tenant.api_key),
            FuzzCredentials("bearer", bearer=tenant.access_token),
        ):
            run = run_fuzz(
                base_url=api_url, credentials=credentials, max_examples=args.max_examples, seed=args.seed
            )
            print(f"# {credentials.label}: {run.requests} requests", flush=True)
            totals = totals.add(run)
        methods = undeclared_method_answers(api_url, FuzzCredentials("api_key", api_key=tenant.api_key))
        totals.violations += len(methods)
        totals.failures.extend(methods)
    for failure in totals.failures:
        print(f"failure: {failure}")
    for line in totals.lines():
        print(line)
    return 0 if totals.clean and totals.requests >= args.min_requests else 1


if __name__ == "__main__":
    sys.exit(main())
