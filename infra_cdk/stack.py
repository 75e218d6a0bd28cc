"""The CnpjRadar stack of one stage: composes the capability constructs, adds tags and publishes stable outputs."""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnOutput, Duration, Stack, Tags
from constructs import Construct

from infra_cdk.api import Api
from infra_cdk.backup import TableBackups
from infra_cdk.console import ConsoleSite
from infra_cdk.data import DataTables
from infra_cdk.deployments import Deployments
from infra_cdk.edge import EDGE_REGION, edge_web_acl_parameter
from infra_cdk.functions import FUNCTION_SPECS, Functions
from infra_cdk.messaging import ChecksQueue, PurgeQueue
from infra_cdk.monitoring import Monitoring
from infra_cdk.secrets import Secrets
from infra_cdk.settings import Settings
from infra_cdk.waf import WebAcl
from radar.billing import RETURN_PATH

__all__ = ["TAGS", "CnpjRadarStack"]

TAGS = {"project": "cnpj-radar", "managed-by": "cdk", "data-classification": "confidential"}


class CnpjRadarStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, *, settings: Settings | None = None,
                 **kwargs: Any) -> None:
        super().__init__(
            scope, construct_id,
            description="cnpj-radar: multi-tenant due-diligence API for Brazilian companies (CNPJ)", **kwargs,
        )
        settings = settings or Settings.from_scope(self)
        self.settings = settings
        self.tables = DataTables(self, "Data", retain=settings.retain_data)
        self.queue = ChecksQueue(
            self, "Messaging", worker_timeout=Duration.seconds(FUNCTION_SPECS["worker"].timeout_seconds)
        )
        self.purge_queue = PurgeQueue(
            self, "PurgeMessaging", purge_timeout=Duration.seconds(FUNCTION_SPECS["purge"].timeout_seconds)
        )
        self.secrets = Secrets(self, "Secrets", retain=settings.retain_data)
        self.functions = Functions(self, "Functions", tables=self.tables, queue=self.queue,
                                   purge_queue=self.purge_queue, secrets=self.secrets, settings=settings)
        self.api = Api(self, "Api", functions=self.functions, settings=settings)
        self.monitoring = Monitoring(self, "Monitoring", api=self.api, functions=self.functions,
                                     tables=self.tables, queue=self.queue, purge_queue=self.purge_queue,
                                     settings=settings)
        self.deployments = Deployments(self, "Deployments", functions=self.functions,
                                       deploy_alarms=self.monitoring.deploy_alarms, settings=settings)
        self.waf = WebAcl(self, "ApiWaf", name=f"{self.stack_name}-api", acl_scope="REGIONAL",
                          rate_per_ip=settings.waf_rate_per_ip, auth_rate_per_ip=settings.waf_auth_rate_per_ip,
                          log_retention_days=settings.waf_log_retention_days,
                          auth_path_prefix=f"/{settings.stage_name}/auth/")
        self.waf.associate("ApiWafAssociation", self.api.stage.stage_arn)
        self.backups = TableBackups(self, "Backups", tables=[self.tables.main, self.tables.cache], settings=settings)
        # The distribution's CLOUDFRONT web ACL lives in the stage's edge stack (us-east-1), which deploys first.
        self.console = ConsoleSite(self, "Console", api=self.api, settings=settings,
                                   web_acl_parameter=edge_web_acl_parameter(settings), web_acl_region=EDGE_REGION)
        # Where Stripe sends the customer back: the console's plan page (radar.billing.RETURN_PATH). The auth function
        # (the /billing routes) depends on the distribution, which reads only the RestApi's id: no cycle.
        self.functions.auth.add_environment("BILLING_RETURN_URL", self.console.public_url(settings) + RETURN_PATH)
        for key, value in TAGS.items():
            Tags.of(self).add(key, value)
        self._outputs()

    def _outputs(self) -> None:
        outputs = {
            "ApiUrl": (self.api.url, "Base URL of API v1 (stage included)"),
            "RestApiId": (self.api.rest_api.rest_api_id, "REST API id"),
            "MainTableName": (self.tables.main.table_name, "Main single table"),
            "CacheTableName": (self.tables.cache.table_name, "CNPJ cache and coordination table"),
            "IdempotencyTableName": (self.tables.idempotency.table_name, "Powertools idempotency table"),
            "ChecksQueueUrl": (self.queue.queue.queue_url, "Async checks queue"),
            "ChecksDlqUrl": (self.queue.dlq.queue_url, "Checks dead-letter queue"),
            "PurgeQueueUrl": (self.purge_queue.queue.queue_url, "Tenant purge queue (deletion jobs)"),
            "PurgeDlqUrl": (self.purge_queue.dlq.queue_url, "Tenant purge dead-letter queue"),
            "AlarmTopicArn": (self.monitoring.topic.topic_arn, "SNS topic every alarm notifies"),
            "OpsDashboardName": (self.monitoring.ops_dashboard.dashboard_name, "Operations dashboard"),
            "BusinessDashboardName": (self.monitoring.business_dashboard.dashboard_name, "Business dashboard"),
            "WebAclArn": (self.waf.arn, "WAF web ACL on the API stage"),
            "BackupVaultName": (self.backups.vault.backup_vault_name, "AWS Backup vault of the tables"),
            "ConsoleUrl": (self.console.url, "The tenant console (CloudFront; /v1/* is the API on the same host)"),
            "ConsoleBucketName": (self.console.bucket.bucket_name, "The console's built files (private, OAC)"),
            "UsagePlanIds": (
                self.to_json_string({n: p.usage_plan_id for n, p in self.api.usage_plans.items()}),
                "Usage plan id per tier (JSON)",
            ),
        }
        for output_id, (value, description) in outputs.items():
            CfnOutput(self, output_id, value=value, description=description)
