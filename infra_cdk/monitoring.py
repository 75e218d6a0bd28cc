"""Alarms (each with a runbook, docs/runbooks/<alarm name>.md) on an SNS topic; the ops and business dashboards."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from aws_cdk import Duration, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cw_actions
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct

from infra_cdk.api import Api
from infra_cdk.data import DataTables
from infra_cdk.functions import LIVE_ALIAS, Functions, RadarFunction
from infra_cdk.messaging import ChecksQueue, PurgeQueue
from infra_cdk.nag import acknowledge
from infra_cdk.naming import pin_logical_id
from infra_cdk.settings import PROVIDER_NAMES, STACK_ID, Settings
from radar.tiers import load_tiers

# Plain CloudWatch constructs rather than cdk-monitoring-constructs: alarm names must be exact (runbooks are
# named after them), and the local cloud evaluates these alarms and renders these dashboards from the template,
# so expressions stay in a small grammar: plain metrics, arithmetic, FILL(m, 0), and on dashboards
# SEARCH('Namespace="CnpjRadar" MetricName="<name>"', '<stat>', <period>) (optionally inside SUM). One alarm uses a
# Metrics Insights query (SELECT SUM(...) FROM CnpjRadar) because provider metrics carry open-ended dimension values.

__all__ = [
    "GATEWAY_THROTTLES_PATTERN",
    "NAMESPACE",
    "PROVIDER_ERRORS_QUERY",
    "PROVIDER_TOKENS_BROKEN_QUERY",
    "AlarmSpec",
    "Monitoring",
    "provider_widgets",
    "search",
]

NAMESPACE = "CnpjRadar"
# Metrics Insights: every ProviderErrors series whatever its dimensions (provider, outcome, service).
PROVIDER_ERRORS_QUERY = "SELECT SUM(ProviderErrors) FROM CnpjRadar"
# A provider tokens secret that cannot be read or parsed (radar.lookup.tokens), from any function and service.
PROVIDER_TOKENS_BROKEN_QUERY = "SELECT SUM(ProviderTokenSecretBroken) FROM CnpjRadar"
# Requests the gateway itself turned away (usage-plan rate or quota, stage limit): they never reach a function, so
# only the access log (its `errorType` field, infra_cdk/api.py) sees them. Counted into the functions' own
# ThrottledRequests (allowance refusals), so one figure shows every 429.
GATEWAY_THROTTLES_PATTERN = '{ ($.errorType = "THROTTLED") || ($.errorType = "QUOTA_EXCEEDED") }'
ONE_MINUTE = Duration.minutes(1)
FIVE_MINUTES = Duration.minutes(5)
ONE_HOUR = Duration.hours(1)
_GT = cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD
_GTE = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD


def search(metric_name: str, statistic: str, period: Duration, where: Mapping[str, str] | None = None) -> str:
    """Every series of one custom metric, whatever its dimensions (Powertools adds `service`, some add more), or
    only those whose dimensions have the values `where` names (`provider="cnpjws"`).

    No `{Namespace}` schema: a schema matches only metrics with exactly the dimensions it names (none, here).
    """
    terms = "".join(f' {name}=\"{value}\"' for name, value in (where or {}).items())
    return (
        f"SEARCH('Namespace=\"{NAMESPACE}\" MetricName=\"{metric_name}\"{terms}', '{statistic}', "
        f"{int(period.to_seconds())})"
    )


def _alias_metric(fn: RadarFunction, metric_name: str, statistic: str) -> cloudwatch.Metric:
    """A one-minute metric of the function's `live` alias, by the function's fixed name: a reference would close a
    cycle (deployment group -> these alarms -> the auth function -> its usage plans -> the API stage -> its
    authorizer -> the authorizer alias -> its deployment group's hook -> the deployment groups)."""
    return cloudwatch.Metric(
        namespace="AWS/Lambda", metric_name=metric_name, statistic=statistic, period=ONE_MINUTE,
        dimensions_map={"FunctionName": fn.function_name, "Resource": f"{fn.function_name}:{LIVE_ALIAS}"},
    )


def _total(metric_name: str, statistic: str, period: Duration, label: str) -> cloudwatch.MathExpression:
    return cloudwatch.MathExpression(
        expression=f"SUM({search(metric_name, statistic, period)})", using_metrics={}, label=label, period=period
    )


def _provider(
    reducer: str, metric_name: str, statistic: str, provider: str, label: str, **where: str
) -> cloudwatch.MathExpression:
    """One provider's series of a metric, reduced over the functions that emit it (checks and worker each carry their
    own `service`): SUM for counts, MIN or MAX for gauges."""
    query = search(metric_name, statistic, ONE_MINUTE, {"provider": provider, **where})
    return cloudwatch.MathExpression(
        expression=f"{reducer}({query})", using_metrics={}, label=label, period=ONE_MINUTE
    )


def _each(metric_name: str, statistic: str, period: Duration, label: str) -> cloudwatch.MathExpression:
    return cloudwatch.MathExpression(
        expression=search(metric_name, statistic, period), using_metrics={}, label=label, period=period
    )


def provider_widgets(limits: Mapping[str, int]) -> list[list[cloudwatch.IWidget]]:
    """Per provider of the order: its calls a minute against its deployed capacity (`limits`, the stage's
    providerLimits, drawn as a constant annotation) with its 429s and its answers older than their lookup's max_age
    (FreshnessUnmet), and its schedule's slots free and its breaker as
    the chain saw them (ProviderSlotsFree, ProviderBreakerOpen: radar.lookup.chain). Two providers a row."""
    widgets: list[cloudwatch.IWidget] = []
    for name in PROVIDER_NAMES:
        capacity = limits[name]
        widgets.append(cloudwatch.GraphWidget(
            title=f"{name}: calls a minute and 429s", width=6,
            left=[
                _provider("SUM", "ProviderLatency", "SampleCount", name, "calls"),
                _provider("SUM", "ProviderErrors", "Sum", name, "429s", outcome="rate_limited"),
                _provider("SUM", "FreshnessUnmet", "Sum", name, "answers older than max_age"),
            ],
            left_annotations=[cloudwatch.HorizontalAnnotation(
                value=capacity, label=f"capacity {capacity}/min", color=cloudwatch.Color.RED,
            )],
            left_y_axis=cloudwatch.YAxisProps(min=0),
        ))
        widgets.append(cloudwatch.GraphWidget(
            title=f"{name}: slots free and breaker", width=6,
            left=[_provider("MIN", "ProviderSlotsFree", "Minimum", name, "slots free (min)")],
            right=[_provider("MAX", "ProviderBreakerOpen", "Maximum", name, "breaker open (1)")],
            left_y_axis=cloudwatch.YAxisProps(min=0),
            right_y_axis=cloudwatch.YAxisProps(min=0, max=1),
        ))
    return [widgets[start:start + 4] for start in range(0, len(widgets), 4)]


@dataclass(frozen=True)
class AlarmSpec:
    short_name: str  # the alarm is "<stack>-<short_name>"; its runbook is docs/runbooks/CnpjRadar-<short_name>.md
    meaning: str
    metric: cloudwatch.IMetric
    threshold: float
    evaluation_periods: int = 1
    datapoints_to_alarm: int = 1
    comparison: cloudwatch.ComparisonOperator = _GT

    @property
    def runbook_name(self) -> str:
        return f"{STACK_ID}-{self.short_name}"


class Monitoring(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        api: Api,
        functions: Functions,
        tables: DataTables,
        queue: ChecksQueue,
        settings: Settings,
        purge_queue: PurgeQueue | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self._settings = settings
        self._prefix = Stack.of(self).stack_name
        self.topic = sns.Topic(self, "AlarmTopic", display_name="cnpj-radar alarms", enforce_ssl=True)
        pin_logical_id(self.topic, "AlarmTopic")
        acknowledge(self.topic, "AwsSolutions-SNS2",
                    "alarm notifications carry alarm names and states only (no tenant or personal data), and "
                    "CloudWatch cannot publish to a topic encrypted with the AWS-managed SNS key")
        if settings.alarm_email:
            self.topic.add_subscription(subscriptions.EmailSubscription(settings.alarm_email))
        self.gateway_throttles = logs.MetricFilter(
            self, "GatewayThrottles", log_group=api.access_logs,
            filter_pattern=logs.FilterPattern.literal(GATEWAY_THROTTLES_PATTERN),
            metric_namespace=NAMESPACE, metric_name="ThrottledRequests", metric_value="1",
        )
        pin_logical_id(self.gateway_throttles, "GatewayThrottlesMetricFilter")
        self.alarms: list[cloudwatch.Alarm] = [
            self._alarm(spec) for spec in self._alarm_specs(api, functions, tables, queue)
            + self._purge_alarm_specs(purge_queue)
        ]
        # Per function, the alarms that roll its deployment back (infra_cdk/deployments.py): one-minute periods on
        # its `live` alias, so a bad version trips them within a canary's 5 minutes; the API's 5XX rate too for the
        # functions behind the API.
        by_name = {alarm.node.id: alarm for alarm in self.alarms}
        api_5xx = by_name[f"{STACK_ID}-Api-Deploy5xxRate"]
        self.deploy_alarms: dict[str, list[cloudwatch.IAlarm]] = {
            fn.spec.name: [
                by_name[f"{STACK_ID}-{fn.spec.name.capitalize()}-DeployErrors"],
                by_name[f"{STACK_ID}-{fn.spec.name.capitalize()}-DeployLatencyP99"],
                *([api_5xx] if fn.spec.name not in {"worker", "purge"} else []),  # queue consumers serve no API
            ]
            for fn in functions.all
        }
        self.ops_dashboard = cloudwatch.Dashboard(
            self, "OpsDashboard", dashboard_name=f"{self._prefix}-Ops",
            widgets=self._ops_widgets(api, functions, tables, queue),
        )
        pin_logical_id(self.ops_dashboard, "OpsDashboard")
        self.business_dashboard = cloudwatch.Dashboard(
            self, "BusinessDashboard", dashboard_name=f"{self._prefix}-Business", widgets=self._business_widgets(),
        )
        pin_logical_id(self.business_dashboard, "BusinessDashboard")

    # Alarms ---------------------------------------------------------------------------------------------

    @staticmethod
    def _purge_alarm_specs(purge_queue: PurgeQueue | None) -> list[AlarmSpec]:
        if purge_queue is None:
            return []
        return [AlarmSpec(
            "PurgeDlq-Messages",
            "A tenant deletion job stopped after every retry (its checkpoint is kept: redrive it)",
            purge_queue.dlq.metric_approximate_number_of_messages_visible(statistic="Maximum", period=FIVE_MINUTES),
            threshold=0,
        )]

    def _alarm_specs(
        self, api: Api, functions: Functions, tables: DataTables, queue: ChecksQueue
    ) -> list[AlarmSpec]:
        rest_api = api.rest_api
        limits = self._settings.alarms
        five_xx = f"{limits.api_5xx_rate:.0%}"
        specs = [
            AlarmSpec(
                "Api-5xxRate",
                f"More than {five_xx} of API requests ended in a 5XX in 2 of the last 3 five-minute periods",
                rest_api.metric_server_error(statistic="Average", period=FIVE_MINUTES),
                threshold=limits.api_5xx_rate, evaluation_periods=3, datapoints_to_alarm=2,
            ),
            AlarmSpec(
                "Api-LatencyP99",
                f"API p99 latency above {limits.api_latency_p99_ms / 1000:g} s for 15 minutes (sync checks call "
                "providers inline, 28 s timeout)",
                rest_api.metric_latency(statistic="p99", period=FIVE_MINUTES),
                threshold=limits.api_latency_p99_ms, evaluation_periods=3, datapoints_to_alarm=3,
            ),
            AlarmSpec(
                "Api-Deploy5xxRate",
                f"More than {five_xx} of API requests ended in a 5XX in 2 of the last 3 minutes (rolls a deployment "
                "back)",
                rest_api.metric_server_error(statistic="Average", period=ONE_MINUTE),
                threshold=limits.api_5xx_rate, evaluation_periods=3, datapoints_to_alarm=2,
            ),
        ]
        for fn in functions.all:
            title = fn.spec.name.capitalize()
            specs.append(AlarmSpec(
                f"{title}-Errors",
                f"The {fn.spec.name} function failed (unhandled error or timeout) {limits.function_errors}+ times "
                "in 5 minutes",
                fn.function.metric_errors(statistic="Sum", period=FIVE_MINUTES),
                threshold=limits.function_errors, comparison=_GTE,
            ))
            specs.append(AlarmSpec(
                f"{title}-DeployErrors",
                f"The {fn.spec.name} function's live alias failed {limits.deploy_errors}+ times in a minute (rolls "
                "a deployment back)",
                _alias_metric(fn, "Errors", "Sum"),
                threshold=limits.deploy_errors, comparison=_GTE,
            ))
            latency_ms = round(fn.spec.timeout_seconds * 1000 * limits.deploy_latency_fraction_of_timeout)
            specs.append(AlarmSpec(
                f"{title}-DeployLatencyP99",
                f"The {fn.spec.name} function's live alias ran over {latency_ms / 1000:g} s at p99 in 2 of the last "
                f"3 minutes ({limits.deploy_latency_fraction_of_timeout:.0%} of its timeout; rolls a deployment back)",
                _alias_metric(fn, "Duration", "p99"),
                threshold=latency_ms, evaluation_periods=3, datapoints_to_alarm=2,
            ))
            specs.append(AlarmSpec(
                f"{title}-Throttles",
                f"Lambda throttled the {fn.spec.name} function (concurrency limit reached)",
                fn.function.metric_throttles(statistic="Sum", period=FIVE_MINUTES),
                threshold=0,
            ))
        specs += [
            AlarmSpec(
                "ChecksDlq-Messages",
                "Async checks reached the dead-letter queue after every retry",
                queue.dlq.metric_approximate_number_of_messages_visible(statistic="Maximum", period=FIVE_MINUTES),
                threshold=0,
            ),
            AlarmSpec(
                "ChecksQueue-OldestMessageAge",
                f"The oldest queued check has waited more than {limits.queue_oldest_age_seconds // 60} minutes for "
                "10 minutes",
                queue.queue.metric_approximate_age_of_oldest_message(statistic="Maximum", period=FIVE_MINUTES),
                threshold=limits.queue_oldest_age_seconds, evaluation_periods=2, datapoints_to_alarm=2,
            ),
            AlarmSpec(
                "Providers-Errors",
                f"Provider calls failed {limits.provider_errors}+ times in 2 of the last 3 five-minute periods (all "
                "providers, outcomes)",
                cloudwatch.MathExpression(
                    expression=PROVIDER_ERRORS_QUERY,
                    using_metrics={}, label="Provider errors", period=FIVE_MINUTES,
                ),
                threshold=limits.provider_errors, evaluation_periods=3, datapoints_to_alarm=2, comparison=_GTE,
            ),
            AlarmSpec(
                "ProviderTokens-Broken",
                "The provider tokens secret could not be read or is not a JSON object of strings: the paid providers "
                "are not being asked (never a silent fallback to their public tiers)",
                cloudwatch.MathExpression(
                    expression=PROVIDER_TOKENS_BROKEN_QUERY,
                    using_metrics={}, label="Token secret failures", period=FIVE_MINUTES,
                ),
                threshold=0,
            ),
            AlarmSpec(
                "DynamoDB-Throttles",
                "DynamoDB throttled reads or writes on any table (on-demand tables: a hot key or account limit)",
                self._table_throttles(tables),
                threshold=0,
            ),
        ]
        return specs

    @staticmethod
    def _table_throttles(tables: DataTables) -> cloudwatch.MathExpression:
        # DynamoDB publishes throttle events only when there are some: FILL keeps a quiet table from
        # dropping the whole sum.
        using: dict[str, cloudwatch.IMetric] = {}
        for index, table in enumerate(tables.all):
            for kind in ("Read", "Write"):
                using[f"{kind[0].lower()}{index}"] = table.metric(
                    f"{kind}ThrottleEvents", statistic="Sum", period=FIVE_MINUTES
                )
        return cloudwatch.MathExpression(
            expression=" + ".join(f"FILL({key}, 0)" for key in using),
            using_metrics=using, label="Throttle events (all tables)", period=FIVE_MINUTES,
        )

    def _alarm(self, spec: AlarmSpec) -> cloudwatch.Alarm:
        alarm = cloudwatch.Alarm(
            self,
            spec.runbook_name,
            alarm_name=f"{self._prefix}-{spec.short_name}",
            alarm_description=f"{spec.meaning}. Runbook: {self._settings.runbook_url(spec.runbook_name)}",
            metric=spec.metric,
            threshold=spec.threshold,
            comparison_operator=spec.comparison,
            evaluation_periods=spec.evaluation_periods,
            datapoints_to_alarm=spec.datapoints_to_alarm,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        pin_logical_id(alarm, "Alarm" + spec.short_name.replace("-", ""))
        action = cw_actions.SnsAction(self.topic)
        alarm.add_alarm_action(action)
        alarm.add_ok_action(action)
        return alarm

    # Dashboards -----------------------------------------------------------------------------------------

    def _ops_widgets(
        self, api: Api, functions: Functions, tables: DataTables, queue: ChecksQueue
    ) -> list[list[cloudwatch.IWidget]]:
        rest_api = api.rest_api
        fns = functions.all

        def per_function(title: str, metric_name: str, statistic: str) -> cloudwatch.GraphWidget:
            return cloudwatch.GraphWidget(title=title, width=6, left=[
                fn.function.metric(metric_name, statistic=statistic, period=FIVE_MINUTES, label=fn.spec.name)
                for fn in fns
            ])

        def per_table(title: str, metric_names: tuple[str, ...]) -> cloudwatch.GraphWidget:
            return cloudwatch.GraphWidget(title=title, width=12, left=[
                table.metric(name, statistic="Sum", period=FIVE_MINUTES, label=f"{label} {name}")
                for table, label in zip(tables.all, ("main", "cache", "idempotency"), strict=True)
                for name in metric_names
            ])

        return [
            [cloudwatch.TextWidget(markdown="# cnpj-radar: operations\nAPI, functions, queue, tables, "
                                   "providers. Alarms link their runbooks (docs/runbooks).", width=24, height=2)],
            [cloudwatch.AlarmStatusWidget(title="Alarms", alarms=self.alarms, width=24, height=4)],
            [
                cloudwatch.GraphWidget(title="API requests", width=6, left=[
                    rest_api.metric_count(statistic="Sum", period=FIVE_MINUTES, label="requests")]),
                cloudwatch.GraphWidget(title="API errors", width=6, left=[
                    rest_api.metric_client_error(statistic="Sum", period=FIVE_MINUTES, label="4XX"),
                    rest_api.metric_server_error(statistic="Sum", period=FIVE_MINUTES, label="5XX")]),
                cloudwatch.GraphWidget(title="API latency (ms)", width=6, left=[
                    rest_api.metric_latency(statistic="p50", period=FIVE_MINUTES, label="p50"),
                    rest_api.metric_latency(statistic="p99", period=FIVE_MINUTES, label="p99"),
                    rest_api.metric_integration_latency(statistic="p99", period=FIVE_MINUTES,
                                                        label="integration p99")]),
                cloudwatch.GraphWidget(title="Auth failures and throttled requests", width=6, left=[
                    _total("AuthFailures", "Sum", FIVE_MINUTES, "auth failures"),
                    _total("ThrottledRequests", "Sum", FIVE_MINUTES, "throttled")]),
            ],
            [
                per_function("Invocations", "Invocations", "Sum"),
                per_function("Errors", "Errors", "Sum"),
                per_function("Throttles", "Throttles", "Sum"),
                per_function("Duration p99 (ms)", "Duration", "p99"),
            ],
            [
                cloudwatch.GraphWidget(title="Checks queue", width=6, left=[
                    queue.queue.metric_approximate_number_of_messages_visible(period=FIVE_MINUTES, label="visible"),
                    queue.queue.metric_approximate_number_of_messages_not_visible(period=FIVE_MINUTES,
                                                                                  label="in flight")]),
                cloudwatch.GraphWidget(title="Oldest message age (s)", width=6, left=[
                    queue.queue.metric_approximate_age_of_oldest_message(period=FIVE_MINUTES, label="checks")]),
                cloudwatch.GraphWidget(title="Dead-letter queue", width=6, left=[
                    queue.dlq.metric_approximate_number_of_messages_visible(period=FIVE_MINUTES, label="DLQ")]),
                cloudwatch.GraphWidget(title="Queue time and check duration p99 (ms)", width=6, left=[
                    _each("QueueTime", "p99", FIVE_MINUTES, "queue time"),
                    _each("CheckDuration", "p99", FIVE_MINUTES, "check duration")]),
            ],
            [
                per_table("Tables: consumed capacity", ("ConsumedReadCapacityUnits", "ConsumedWriteCapacityUnits")),
                per_table("Tables: throttle events", ("ReadThrottleEvents", "WriteThrottleEvents")),
            ],
            [
                cloudwatch.GraphWidget(title="Provider latency p99 (ms)", width=6, left=[
                    _each("ProviderLatency", "p99", FIVE_MINUTES, "latency")]),
                cloudwatch.GraphWidget(title="Provider errors", width=6, left=[
                    _each("ProviderErrors", "Sum", FIVE_MINUTES, "errors")]),
                cloudwatch.GraphWidget(title="Rate limited by provider", width=6, left=[
                    _each("RateLimitedByProvider", "Sum", FIVE_MINUTES, "rate limited")]),
                cloudwatch.GraphWidget(title="Single-flight waits and cold starts", width=6, left=[
                    _total("SingleFlightWaits", "Sum", FIVE_MINUTES, "single-flight waits"),
                    _total("ColdStart", "Sum", FIVE_MINUTES, "cold starts")]),
            ],
            [cloudwatch.TextWidget(markdown=f"Providers in order: {', '.join(PROVIDER_NAMES)}. Series per "
                                   "provider and outcome come from the functions' EMF metrics.", width=24, height=1)],
            *provider_widgets(self._settings.provider_limits),
        ]

    def _business_widgets(self) -> list[list[cloudwatch.IWidget]]:
        succeeded = _total("ChecksSucceeded", "Sum", ONE_HOUR, "succeeded")
        failed = _total("ChecksFailed", "Sum", ONE_HOUR, "failed")
        hits = _total("CacheHit", "Sum", ONE_HOUR, "hits")
        misses = _total("CacheMiss", "Sum", ONE_HOUR, "misses")
        success_rate = cloudwatch.MathExpression(
            expression="100 * s / (s + FILL(f, 0))", using_metrics={"s": succeeded, "f": failed},
            label="success rate %", period=ONE_HOUR,
        )
        cache_hit_rate = cloudwatch.MathExpression(
            expression="100 * h / (h + FILL(m, 0))", using_metrics={"h": hits, "m": misses},
            label="cache hit rate %", period=ONE_HOUR,
        )
        plans = ", ".join(load_tiers().tiers)
        return [
            [cloudwatch.TextWidget(markdown=f"# cnpj-radar: business\nChecks, success, cache efficiency and "
                                   f"usage by plan ({plans}).", width=24, height=2)],
            [
                cloudwatch.GraphWidget(title="Checks per hour", width=12, stacked=True,
                                       left=[succeeded, failed]),
                cloudwatch.SingleValueWidget(title="Checks (last 24 h)", width=12, set_period_to_time_range=True,
                                             metrics=[_total("ChecksSucceeded", "Sum", ONE_HOUR, "succeeded"),
                                                      _total("ChecksFailed", "Sum", ONE_HOUR, "failed")]),
            ],
            [
                cloudwatch.GraphWidget(title="Cache activity per hour", width=24, left=[
                    _total("CacheHit", "Sum", ONE_HOUR, "hits"), _total("CacheMiss", "Sum", ONE_HOUR, "misses"),
                    _total("CacheWrite", "Sum", ONE_HOUR, "writes")]),
            ],
            [
                cloudwatch.GraphWidget(title="Check success rate (%)", width=8, left=[success_rate],
                                       left_y_axis=cloudwatch.YAxisProps(min=0, max=100)),
                cloudwatch.GraphWidget(title="Cache hit rate (%)", width=8, left=[cache_hit_rate],
                                       left_y_axis=cloudwatch.YAxisProps(min=0, max=100)),
                cloudwatch.GraphWidget(title="Checks by plan (per hour)", width=8, stacked=True, left=[
                    _each("ChecksByPlan", "Sum", ONE_HOUR, "checks")]),
            ],
        ]
