"""Deployment settings: the stage's file (infra_cdk/stages/<stage>.json), then CDK context (`-c radar:<key>=...`)
or the environment on top, with safe defaults.

Stage file keys (every stage has each one; differences between stages are data, never code):
- `stackName`: the stack's name, and so the prefix of every physical name (functions, alarms, log groups);
- `logRetentionDays`, `logLevel`;
- `removalPolicy`: `retain` keeps tables and secrets when the stack is deleted (and protects tables from deletion),
  `destroy` deletes them with the stack;
- `deploymentConfig`: the CodeDeploy traffic shift of every function's `live` alias (`CANARY_10PERCENT_5MINUTES`,
  `LINEAR_10PERCENT_EVERY_1MINUTE`, `ALL_AT_ONCE`), or null for no deployment groups (CloudFormation moves the alias);
- `alarms`: thresholds (API 5XX rate and p99 latency, function errors per 5 minutes, provider errors, oldest queued
  message age, and the deployment alarms' errors per minute and p99 as a fraction of the function timeout);
- `providerLimits`: calls a minute per provider (the providers' published limits; a token may raise them);
- `waf`: requests per IP per 5 minutes before the rate rule blocks (above the largest plan's, so only floods beyond
  any plan stop at the edge), the same on the public /auth routes (credential stuffing), and the WAF log retention;
- `backup`: daily recovery points' retention in days, monthly ones' in months (null: no monthly rule);
- `githubEnvironment`: the GitHub environment whose jobs may assume the deploy role (null: no deploy role);
- `planPrices`: the stage's plan prices on top of the tiers file's (radar/tiers.json): `{"<plan>": {"unitAmount",
  "currency", "interval", "lookupKey"}}`, each key optional (the file's value stays), `{}` for the file's prices;
  every function gets the resolved prices (`PLAN_PRICES`), so GET /billing/plans, the upsells, the gateway's 429s
  and the local billing sandbox's seed follow the stage. An unknown plan or key, the free plan, or an amount that is
  not a positive integer fails the synth naming the field (`planPrices.pro.unitAmount`);
- `console`: the tenant console's CloudFront price class (`PriceClass_100`, `PriceClass_200`, `PriceClass_All`),
  how many days its access logs (CloudFront and S3) are kept, and `domain`: the console's custom host name (e.g.
  `console.cnpj-radar.com.br`, no scheme or path), or null for the distribution's own `*.cloudfront.net` domain; it
  is where Stripe sends the customer back (BILLING_RETURN_URL = `https://<domain>/admin/plan`). The alias and its
  certificate are not managed by this stack yet.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from typing import Any

from constructs import Construct

from infra_cdk.stages import load_stage, requested_stage
from radar.tiers import PLAN_PRICES_ENV, TiersConfig, load_tiers_file, with_prices

__all__ = ["PROVIDER_NAMES", "PYTHON_VERSION", "STACK_ID", "AlarmThresholds", "Settings"]

# The dev stage's stack name and the prefix of every runbook (docs/runbooks/CnpjRadar-<alarm>.md, for all stages).
STACK_ID = "CnpjRadar"
# One Python version for the runtime and for the wheels pip picks for the deps layer; bump both together.
PYTHON_VERSION = "3.12"
# Provider order as data: PROVIDER_ORDER for the functions, and the provider panels of the dashboard.
PROVIDER_NAMES: tuple[str, ...] = ("cnpjws", "brasilapi", "receitaws", "minhareceita", "opencnpj", "cnpja")
# The repository whose workflows may deploy (GitHub OIDC trust); `radar:githubRepository` or GITHUB_REPOSITORY.
DEFAULT_GITHUB_REPOSITORY = "cnpj-radar/cnpj-radar"


_HOST_NAME = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def _console_domain(stage: str, raw: object) -> str | None:
    """The stage's console host name (`console.domain`), checked at synth: a bare DNS name, or None."""
    if raw is None or raw == "":
        return None
    name = str(raw).strip().lower()
    if not _HOST_NAME.match(name):
        raise ValueError(f"stage {stage}: console.domain must be a host name such as console.example.com.br "
                         f"(no scheme, port or path), not {raw!r}")
    return name


def _split_origins(raw: object) -> tuple[str, ...]:
    if isinstance(raw, list | tuple):
        items = [str(item) for item in raw]
    else:
        text = str(raw or "").strip()
        items = json.loads(text) if text.startswith("[") else text.split(",")
    return tuple(origin.strip() for origin in items if str(origin).strip())


@dataclass(frozen=True)
class AlarmThresholds:
    api_5xx_rate: float = 0.05
    api_latency_p99_ms: float = 10_000
    function_errors: int = 5
    provider_errors: int = 20
    queue_oldest_age_seconds: int = 1800
    deploy_errors: int = 3
    deploy_latency_fraction_of_timeout: float = 0.8

    @classmethod
    def from_stage(cls, data: dict[str, Any]) -> AlarmThresholds:
        return cls(
            api_5xx_rate=float(data["api5xxRate"]),
            api_latency_p99_ms=float(data["apiLatencyP99Ms"]),
            function_errors=int(data["functionErrors"]),
            provider_errors=int(data["providerErrors"]),
            queue_oldest_age_seconds=int(data["queueOldestAgeSeconds"]),
            deploy_errors=int(data["deployErrors"]),
            deploy_latency_fraction_of_timeout=float(data["deployLatencyFractionOfTimeout"]),
        )


# The stage file's price keys (camelCase, like the rest of the file) and radar.tiers.Price's fields.
PRICE_KEYS = {"unitAmount": "unit_amount", "currency": "currency", "interval": "interval", "lookupKey": "lookup_key"}


def _plan_prices(stage: str, raw: object) -> dict[str, dict[str, Any]]:
    """The stage file's `planPrices` as radar.tiers overrides, validated against the tiers file (ValueError names
    the field: `stage prod: planPrices.pro.unitAmount: ...`)."""
    field_name = f"stage {stage}: planPrices"
    if not isinstance(raw, dict):
        raise ValueError(f"{field_name}: expected an object of plans, not {raw!r}")
    overrides: dict[str, dict[str, Any]] = {}
    for plan, price in raw.items():
        if not isinstance(price, dict):
            raise ValueError(f"{field_name}.{plan}: expected an object of price fields, not {price!r}")
        unknown = sorted(set(price) - set(PRICE_KEYS))
        if unknown:
            raise ValueError(f"{field_name}.{plan}.{unknown[0]}: unknown key; the keys are {', '.join(PRICE_KEYS)}")
        overrides[plan] = {PRICE_KEYS[key]: value for key, value in price.items()}
    # Resolved once here, so a bad value fails the synth rather than a function's cold start.
    resolved = with_prices(load_tiers_file(), overrides, field=field_name,
                           names={snake: camel for camel, snake in PRICE_KEYS.items()})
    return {plan: resolved.get(plan).price.model_dump() for plan in overrides}  # type: ignore[union-attr]


@dataclass(frozen=True)
class Settings:
    stage: str = "dev"
    stack_name: str = STACK_ID
    cors_allowed_origins: tuple[str, ...] = ()
    log_retention_days: int = 30
    log_level: str = "INFO"
    stage_name: str = "v1"
    stage_rate_limit: float = 500.0
    stage_burst_limit: int = 1000
    alarm_email: str | None = None
    runbook_base_url: str = "docs/runbooks"
    allow_mock_fallback: bool = False
    retain_data: bool = False
    deployment_config: str | None = None
    alarms: AlarmThresholds = field(default_factory=AlarmThresholds)
    provider_limits: dict[str, int] = field(
        default_factory=lambda: {
            "cnpjws": 3, "brasilapi": 60, "receitaws": 3, "minhareceita": 30, "opencnpj": 60, "cnpja": 5,
        }
    )
    waf_rate_per_ip: int = 100_000
    waf_auth_rate_per_ip: int = 300
    waf_log_retention_days: int = 30
    backup_daily_retention_days: int = 35
    backup_monthly_retention_months: int | None = None
    github_environment: str | None = None
    github_repository: str = DEFAULT_GITHUB_REPOSITORY
    console_price_class: str = "PriceClass_100"
    console_log_retention_days: int = 30
    console_domain: str | None = None
    plan_prices: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def for_stage(cls, stage: str) -> Settings:
        """The stage file alone (no context, no environment)."""
        data = load_stage(stage)
        removal = str(data["removalPolicy"]).lower()
        if removal not in ("retain", "destroy"):
            raise ValueError(f"stage {stage}: removalPolicy must be retain or destroy, not {removal!r}")
        backup = data["backup"]
        monthly = backup.get("monthlyRetentionMonths")
        return cls(
            stage=stage,
            stack_name=str(data["stackName"]),
            log_retention_days=int(data["logRetentionDays"]),
            log_level=str(data["logLevel"]),
            retain_data=removal == "retain",
            deployment_config=data.get("deploymentConfig") or None,
            alarms=AlarmThresholds.from_stage(data["alarms"]),
            provider_limits={name: int(data["providerLimits"][name]) for name in PROVIDER_NAMES},
            waf_rate_per_ip=int(data["waf"]["ratePerIpPer5Minutes"]),
            waf_auth_rate_per_ip=int(data["waf"]["authRatePerIpPer5Minutes"]),
            waf_log_retention_days=int(data["waf"]["logRetentionDays"]),
            backup_daily_retention_days=int(backup["dailyRetentionDays"]),
            backup_monthly_retention_months=int(monthly) if monthly is not None else None,
            github_environment=data.get("githubEnvironment") or None,
            console_price_class=str(data["console"]["priceClass"]),
            console_log_retention_days=int(data["console"]["accessLogRetentionDays"]),
            console_domain=_console_domain(stage, data["console"].get("domain")),
            plan_prices=_plan_prices(stage, data["planPrices"]),
        )

    @classmethod
    def from_scope(cls, scope: Construct, stage: str | None = None) -> Settings:
        """The stage file (`stage`, else `radar:stage` context, else RADAR_STAGE, else dev), then context, then the
        environment (`RADAR_<KEY>` or `CORS_ALLOWED_ORIGINS`) for the keys below."""

        def value(key: str, env: str) -> object:
            found = scope.node.try_get_context(f"radar:{key}")
            return found if found is not None else os.environ.get(env)

        base = cls.for_stage(requested_stage(stage or scope.node.try_get_context("radar:stage")))
        retention = value("logRetentionDays", "RADAR_LOG_RETENTION_DAYS")
        rate = value("stageRateLimit", "RADAR_STAGE_RATE_LIMIT")
        burst = value("stageBurstLimit", "RADAR_STAGE_BURST_LIMIT")
        mock = value("allowMockFallback", "RADAR_ALLOW_MOCK_FALLBACK")
        return cls(
            **{
                **base.__dict__,
                "cors_allowed_origins": _split_origins(value("corsAllowedOrigins", "CORS_ALLOWED_ORIGINS")),
                "log_retention_days": int(str(retention)) if retention is not None else base.log_retention_days,
                "log_level": str(value("logLevel", "RADAR_LOG_LEVEL") or base.log_level),
                "stage_rate_limit": float(str(rate)) if rate is not None else base.stage_rate_limit,
                "stage_burst_limit": int(str(burst)) if burst is not None else base.stage_burst_limit,
                "alarm_email": str(value("alarmEmail", "RADAR_ALARM_EMAIL") or "") or None,
                "runbook_base_url": str(value("runbookBaseUrl", "RADAR_RUNBOOK_BASE_URL") or base.runbook_base_url),
                "allow_mock_fallback": str(mock).lower() == "true" if mock is not None else False,
                "github_repository": str(value("githubRepository", "GITHUB_REPOSITORY") or DEFAULT_GITHUB_REPOSITORY),
            }
        )

    def tiers(self) -> TiersConfig:
        """The plans this stage sells: the tiers file with the stage's prices."""
        return with_prices(load_tiers_file(), self.plan_prices)

    def plan_prices_environment(self) -> dict[str, str]:
        """`PLAN_PRICES` for every function when the stage overrides a price (none when it keeps the file's)."""
        return {PLAN_PRICES_ENV: json.dumps(self.plan_prices, sort_keys=True)} if self.plan_prices else {}

    def runbook_url(self, alarm_name: str) -> str:
        return f"{self.runbook_base_url.rstrip('/')}/{alarm_name}.md"
