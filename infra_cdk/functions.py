"""The Lambda functions, the two layers, each function's own least-privilege role and log group, and the purge
function's hourly schedule (billing's sweep of what fell due)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as events_targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as event_sources
from aws_cdk import aws_logs as logs
from constructs import Construct

from infra_cdk.bundling import BUNDLE_DEPS_CONTEXT, compiled_code, deps_layer_code
from infra_cdk.data import DataTables
from infra_cdk.messaging import MAX_RECEIVE_COUNT, ChecksQueue, PurgeQueue
from infra_cdk.nag import acknowledge
from infra_cdk.naming import pin_logical_id
from infra_cdk.secrets import Secrets
from infra_cdk.settings import PROVIDER_NAMES, Settings
from radar.billing import SWEEP_EVENT, SWEEP_SCHEDULE_MINUTES

__all__ = ["FUNCTION_SPECS", "LIVE_ALIAS", "REPO_ROOT", "FunctionSpec", "Functions", "RadarFunction", "log_retention"]

REPO_ROOT = Path(__file__).resolve().parents[1]
# Must match settings.PYTHON_VERSION, the Python the deps layer wheels are picked for (a test checks it).
RUNTIME = lambda_.Runtime.PYTHON_3_12
ARCHITECTURE = lambda_.Architecture.X86_64

# Every caller (API methods, the authorizer, the queue's event source mapping) invokes this alias, never $LATEST:
# a deploy publishes a version and moves the alias to it (CodeDeploy shifts the traffic where the stage says so).
LIVE_ALIAS = "live"

# Defaults from docs/architecture.md; the provider sandbox and tests override them locally. The rate limits come
# from the stage's `providerLimits` (infra_cdk/stages).
PROVIDER_ENV: dict[str, str] = {
    "PROVIDER_ORDER": ",".join(PROVIDER_NAMES),
    "CNPJWS_BASE_URL": "https://publica.cnpj.ws",
    "CNPJWS_COMMERCIAL_BASE_URL": "https://comercial.cnpj.ws",
    "BRASILAPI_BASE_URL": "https://brasilapi.com.br/api/cnpj/v1",
    "RECEITAWS_BASE_URL": "https://www.receitaws.com.br/v1",
    "MINHARECEITA_BASE_URL": "https://minhareceita.org",
    "OPENCNPJ_BASE_URL": "https://api.opencnpj.org",
    "CNPJA_BASE_URL": "https://open.cnpja.com",
    "CACHE_TTL_SECONDS": "86400",
    "NEGATIVE_CACHE_TTL_SECONDS": "900",
    "PROVIDER_CONNECT_TIMEOUT": "2.0",
    "PROVIDER_READ_TIMEOUT": "5.0",
}
# The authorizer's own decision cache; the gateway-level cache is off (see infra_cdk/api.py).
AUTH_CACHE_TTL_SECONDS = 60


@dataclass(frozen=True)
class FunctionSpec:
    name: str  # folder under functions/ and the suffix of the physical name
    description: str
    timeout_seconds: int
    memory_mb: int
    serves_http: bool = True

    @property
    def logical_id(self) -> str:
        return f"{self.name.capitalize()}Function"

    @property
    def timeout(self) -> Duration:
        return Duration.seconds(self.timeout_seconds)


FUNCTION_SPECS: dict[str, FunctionSpec] = {
    spec.name: spec
    for spec in (
        FunctionSpec("authorizer", "REQUEST authorizer: API key or bearer token -> tenant context", 10, 512,
                     serves_http=False),
        FunctionSpec("auth", "Signup, login, tokens, API keys, users, tenant and plan", 15, 1024),
        FunctionSpec("targets", "Targets (companies a tenant watches)", 10, 512),
        # Sync checks call providers inline; 28 s stays under API Gateway's 29 s integration limit.
        FunctionSpec("checks", "Checks, batches, usage, audit and health", 28, 512),
        FunctionSpec("worker", "Async checks from the SQS queue", 60, 512, serves_http=False),
        FunctionSpec("purge", "Tenant deletion jobs from the purge queue, in pages from a checkpoint; the hourly "
                     "billing sweep", 60, 512, serves_http=False),
    )
}


class RadarFunction(Construct):
    """One function with its own role (no managed policies), its own log group, active tracing, and a `live` alias
    on its current version that every caller invokes."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        spec: FunctionSpec,
        layers: list[lambda_.ILayerVersion],
        environment: dict[str, str],
        settings: Settings,
    ) -> None:
        super().__init__(scope, construct_id)
        self.spec = spec
        self.function_name = f"{Stack.of(self).stack_name}-{spec.name}"
        self.log_group = logs.LogGroup(
            self,
            "LogGroup",
            log_group_name=f"/aws/lambda/{self.function_name}",
            retention=log_retention(settings.log_retention_days),
            removal_policy=RemovalPolicy.DESTROY,
        )
        pin_logical_id(self.log_group, f"{spec.logical_id}LogGroup")
        stack_name = Stack.of(self).stack_name
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"cnpj-radar {spec.name} function: only the grants it needs",
        )
        pin_logical_id(self.role, f"{spec.logical_id}Role")
        self.log_group.grant_write(self.role)
        self.function = lambda_.Function(
            self,
            "Function",
            function_name=self.function_name,
            description=f"cnpj-radar {spec.description}",
            runtime=RUNTIME,
            architecture=ARCHITECTURE,
            code=compiled_code(REPO_ROOT / "functions" / spec.name),
            handler="app.lambda_handler",
            timeout=spec.timeout,
            memory_size=spec.memory_mb,
            role=self.role,
            layers=layers,
            log_group=self.log_group,
            tracing=lambda_.Tracing.ACTIVE,
            # Old versions stay: a rollback (CodeDeploy's, or `aws lambda update-alias`) moves the alias back to one.
            current_version_options=lambda_.VersionOptions(removal_policy=RemovalPolicy.RETAIN),
            environment={
                "POWERTOOLS_SERVICE_NAME": f"cnpj-radar-{spec.name}",
                "POWERTOOLS_METRICS_NAMESPACE": "CnpjRadar",
                "LOG_LEVEL": settings.log_level,
                **settings.plan_prices_environment(),
                **({"CORS_ALLOWED_ORIGINS": ",".join(settings.cors_allowed_origins)} if spec.serves_http else {}),
                **environment,
            },
        )
        pin_logical_id(self.function, spec.logical_id)
        self.alias = lambda_.Alias(
            self, "LiveAlias", alias_name=LIVE_ALIAS, version=self.function.current_version,
            description=f"{stack_name} {spec.name}: the version every caller invokes",
        )
        pin_logical_id(self.alias, f"{spec.logical_id}LiveAlias")
        acknowledge(
            self.role,
            "AwsSolutions-IAM5[Resource::*]",
            "X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions (added by "
            "active tracing)",
        )
        acknowledge(
            self.function,
            "AwsSolutions-L1",
            f"pinned to {RUNTIME.name}: the deps layer is built for that exact Python (infra_cdk/settings.py "
            "PYTHON_VERSION); upgrade both together",
        )

    def add_environment(self, name: str, value: str) -> None:
        self.function.add_environment(name, value)


# CloudWatch accepts only these retention periods; a requested value rounds up to the next one.
_RETENTION_BY_DAYS: dict[int, logs.RetentionDays] = {
    1: logs.RetentionDays.ONE_DAY, 3: logs.RetentionDays.THREE_DAYS, 5: logs.RetentionDays.FIVE_DAYS,
    7: logs.RetentionDays.ONE_WEEK, 14: logs.RetentionDays.TWO_WEEKS, 30: logs.RetentionDays.ONE_MONTH,
    60: logs.RetentionDays.TWO_MONTHS, 90: logs.RetentionDays.THREE_MONTHS, 180: logs.RetentionDays.SIX_MONTHS,
    365: logs.RetentionDays.ONE_YEAR, 731: logs.RetentionDays.TWO_YEARS, 1827: logs.RetentionDays.FIVE_YEARS,
}


def log_retention(days: int) -> logs.RetentionDays:
    """The nearest allowed retention at or above `days` (capped at five years)."""
    allowed = sorted(_RETENTION_BY_DAYS)
    return _RETENTION_BY_DAYS[next((d for d in allowed if d >= days), allowed[-1])]


class Functions(Construct):
    """Builds the layers and functions and grants each one exactly what docs/architecture.md says it uses."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        tables: DataTables,
        queue: ChecksQueue,
        purge_queue: PurgeQueue,
        secrets: Secrets,
        settings: Settings,
    ) -> None:
        super().__init__(scope, construct_id)
        self.radar_layer = lambda_.LayerVersion(
            self,
            "RadarLayer",
            code=compiled_code(REPO_ROOT / "layers" / "radar"),
            compatible_runtimes=[RUNTIME],
            compatible_architectures=[ARCHITECTURE],
            description="cnpj-radar domain package (radar), with the tiers file",
        )
        pin_logical_id(self.radar_layer, "RadarLayer")
        self.deps_layer = lambda_.LayerVersion(
            self,
            "DepsLayer",
            code=deps_layer_code(
                REPO_ROOT / "layers" / "deps", bundle=self.node.try_get_context(BUNDLE_DEPS_CONTEXT) is not False
            ),
            compatible_runtimes=[RUNTIME],
            compatible_architectures=[ARCHITECTURE],
            description="cnpj-radar third-party dependencies (layers/deps/requirements.txt)",
        )
        pin_logical_id(self.deps_layer, "DepsLayer")
        layers: list[lambda_.ILayerVersion] = [self.deps_layer, self.radar_layer]
        main, cache, idempotency = tables.main.table_name, tables.cache.table_name, tables.idempotency.table_name

        def make(name: str, environment: dict[str, str]) -> RadarFunction:
            spec = FUNCTION_SPECS[name]
            return RadarFunction(self, spec.logical_id, spec=spec, layers=layers, environment=environment,
                                 settings=settings)

        self.authorizer = make("authorizer", {
            "MAIN_TABLE": main,
            "PUBLIC_KEYS_SECRET_ARN": secrets.public_keys.secret_arn,
            "AUTH_CACHE_TTL_SECONDS": str(AUTH_CACHE_TTL_SECONDS),
        })
        self.auth = make("auth", {
            "MAIN_TABLE": main,
            "SIGNING_KEY_SECRET_ARN": secrets.signing_key.secret_arn,
            "PUBLIC_KEYS_SECRET_ARN": secrets.public_keys.secret_arn,
            "CURSOR_KEY_SECRET_ARN": secrets.cursor_key.secret_arn,
            # Billing (radar.billing): Stripe's keys from the secret; an empty base URL is Stripe's own API.
            "BILLING_SECRET_ARN": secrets.billing.secret_arn,
            "BILLING_API_BASE_URL": "",
            "BILLING_GRACE_DAYS": "7",
            "PURGE_QUEUE_URL": purge_queue.queue.queue_url,
            # USAGE_PLAN_IDS is added by the API construct, which owns the usage plans.
        })
        self.targets = make("targets", {
            "MAIN_TABLE": main,
            "CURSOR_KEY_SECRET_ARN": secrets.cursor_key.secret_arn,
        })
        provider_env = {
            **PROVIDER_ENV,
            **{f"RATE_LIMIT_{name.upper()}_PER_MIN": str(limit) for name, limit in settings.provider_limits.items()},
            "ALLOW_MOCK_FALLBACK": "true" if settings.allow_mock_fallback else "false",
            "PROVIDER_TOKENS_SECRET_ARN": secrets.provider_tokens.secret_arn,
        }
        self.checks = make("checks", {
            "MAIN_TABLE": main,
            "CACHE_TABLE": cache,
            "IDEMPOTENCY_TABLE": idempotency,
            "CHECKS_QUEUE_URL": queue.queue.queue_url,
            "BATCH_QUEUE_URL": queue.batch_queue.queue_url,
            "CHECKS_DLQ_URL": queue.dlq.queue_url,
            "CURSOR_KEY_SECRET_ARN": secrets.cursor_key.secret_arn,
            **provider_env,
        })
        self.worker = make("worker", {
            "MAIN_TABLE": main,
            "CACHE_TABLE": cache,
            "CHECKS_DLQ_URL": queue.dlq.queue_url,
            "MAX_RECEIVE_COUNT": str(MAX_RECEIVE_COUNT),
            **provider_env,
        })
        self.purge = make("purge", {
            "MAIN_TABLE": main,
            "IDEMPOTENCY_TABLE": idempotency,
            "PURGE_QUEUE_URL": purge_queue.queue.queue_url,
            # The purge cancels a deleted tenant's subscription (radar.billing).
            "BILLING_SECRET_ARN": secrets.billing.secret_arn,
            "BILLING_API_BASE_URL": "",
            # USAGE_PLAN_IDS is added by the API construct (the purge removes the tenant's usage key last).
        })
        self._grant(tables, queue, secrets)
        self._grant_purge(tables, purge_queue, secrets)
        self._connect_worker(queue)
        self._connect_purge(purge_queue)
        self._schedule_billing_sweep()

    @property
    def all(self) -> tuple[RadarFunction, ...]:
        return (self.authorizer, self.auth, self.targets, self.checks, self.worker, self.purge)

    @property
    def http(self) -> dict[str, RadarFunction]:
        """Functions that serve routes, by the name infra_cdk/routes.py uses."""
        return {f.spec.name: f for f in (self.auth, self.targets, self.checks)}

    def _grant(self, tables: DataTables, queue: ChecksQueue, secrets: Secrets) -> None:
        tables.main.grant_read_data(self.authorizer.role)
        # The authorizer records an API key's last use (a conditional UpdateItem, at most once a minute per key).
        tables.main.grant(self.authorizer.role, "dynamodb:UpdateItem")
        secrets.public_keys.grant_read(self.authorizer.role)

        tables.main.grant_read_write_data(self.auth.role)
        for secret in (secrets.signing_key, secrets.public_keys, secrets.cursor_key, secrets.billing):
            secret.grant_read(self.auth.role)
        # The auth function swaps the generated placeholders for an Ed25519 keypair on first use.
        self.auth.role.add_to_principal_policy(iam.PolicyStatement(
            actions=["secretsmanager:PutSecretValue"],
            resources=[secrets.signing_key.secret_arn, secrets.public_keys.secret_arn],
        ))

        tables.main.grant_read_write_data(self.targets.role)
        secrets.cursor_key.grant_read(self.targets.role)

        for table in tables.all:
            table.grant_read_write_data(self.checks.role)
        queue.queue.grant_send_messages(self.checks.role)
        queue.batch_queue.grant_send_messages(self.checks.role)
        for secret in (secrets.provider_tokens, secrets.cursor_key):
            secret.grant_read(self.checks.role)
        # Readiness reports the dead-letter depth.
        self.checks.role.add_to_principal_policy(iam.PolicyStatement(
            actions=["sqs:GetQueueAttributes"], resources=[queue.dlq.queue_arn],
        ))

        for table in (tables.main, tables.cache):
            table.grant_read_write_data(self.worker.role)
        secrets.provider_tokens.grant_read(self.worker.role)
        # A check that only waits for provider capacity comes back as a fresh delayed message on its own queue.
        for waiting in (queue.queue, queue.batch_queue):
            waiting.grant_send_messages(self.worker.role)

        index_reason = (
            "covers only this table's own GSIs (gsi1, gsi2), which the single-table access patterns query"
        )
        for function in (self.authorizer, self.auth, self.targets, self.checks, self.worker, self.purge):
            acknowledge(function.role, "AwsSolutions-IAM5[Resource::<MainTable.Arn>/index/*]", index_reason)

    def _connect_worker(self, queue: ChecksQueue) -> None:
        # Providers allow a few calls a minute: small ceilings keep the worker from fanning out. Batch items get
        # fewer pollers than single checks, so a single check always finds a worker free.
        for lane, max_concurrency, logical_id in ((queue.queue, 5, "ChecksQueueEventSource"),
                                                  (queue.batch_queue, 3, "BatchQueueEventSource")):
            self.worker.alias.add_event_source(event_sources.SqsEventSource(
                lane,
                batch_size=10,
                max_batching_window=Duration.seconds(1),
                report_batch_item_failures=True,
                max_concurrency=max_concurrency,
            ))
            mapping = [c for c in self.worker.alias.node.find_all() if isinstance(c, lambda_.CfnEventSourceMapping)][-1]
            mapping.override_logical_id(logical_id)

    def _grant_purge(self, tables: DataTables, purge_queue: PurgeQueue, secrets: Secrets) -> None:
        purge_queue.queue.grant_send_messages(self.auth.role)  # DELETE /tenant queues the job
        # The purge pages through the main table and the idempotency table (a scan: Powertools keys it by hash),
        # and queues its own next message.
        for table in (tables.main, tables.idempotency):
            table.grant_read_write_data(self.purge.role)
        purge_queue.queue.grant_send_messages(self.purge.role)
        secrets.billing.grant_read(self.purge.role)

    def _connect_purge(self, purge_queue: PurgeQueue) -> None:
        self.purge.alias.add_event_source(event_sources.SqsEventSource(
            purge_queue.queue,
            batch_size=1,  # one job run per invocation: its pages are its own bounded batch
            report_batch_item_failures=True,
            max_concurrency=2,
        ))
        mapping = next(c for c in self.purge.alias.node.find_all()
                       if isinstance(c, lambda_.CfnEventSourceMapping))
        mapping.override_logical_id("PurgeQueueEventSource")

    def _schedule_billing_sweep(self) -> None:
        """Every hour the purge function's scheduled entry downgrades the tenants whose grace period ended (and
        ends held plans) without waiting for the next billing event (radar.billing.service.BillingService.sweep).
        It needs nothing the purge does not already have: the main table, the usage plans, the billing secret."""
        self.billing_sweep = events.Rule(
            self,
            "BillingSweepSchedule",
            description="cnpj-radar: settle billing deadlines (a grace period that ended, a held plan) every hour",
            schedule=events.Schedule.rate(Duration.minutes(SWEEP_SCHEDULE_MINUTES)),
            targets=[events_targets.LambdaFunction(
                self.purge.alias,
                event=events.RuleTargetInput.from_object(SWEEP_EVENT),
                retry_attempts=2,
                max_event_age=Duration.hours(1),  # a later run settles the same deadlines: no point in a stale one
            )],
        )
        pin_logical_id(self.billing_sweep, "BillingSweepSchedule")
