"""AWS Backup for the tables, beside their point-in-time recovery: a daily rule kept 35 days, a monthly one kept 12
months where the stage says so (prod), in a vault encrypted with its own KMS key.

Backed up: the main table (tenants, keys, targets, checks) and the cache table (public registry data that would take
days to fetch again at the providers' few calls a minute). Not backed up: the idempotency table, whose records
expire within the hour and which only deduplicates requests in flight. docs/runbooks/restore.md has the restores.
"""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_backup as backup
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from infra_cdk.nag import acknowledge
from infra_cdk.naming import pin_logical_id
from infra_cdk.settings import Settings

__all__ = ["TableBackups"]


def _key_policy(stack: Stack) -> iam.PolicyDocument:
    account = iam.AccountRootPrincipal()
    return iam.PolicyDocument(statements=[
        # The account administers the key through IAM (without this statement nobody could, not even to rotate).
        iam.PolicyStatement(sid="AccountAdministersTheKey", principals=[account], actions=["kms:*"], resources=["*"]),
        # Everyone else in the account may use it only through AWS Backup in this region.
        iam.PolicyStatement(
            sid="UseOnlyThroughAwsBackup", principals=[account],
            actions=["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
            resources=["*"],
            conditions={"StringEquals": {"kms:ViaService": f"backup.{stack.region}.amazonaws.com",
                                         "kms:CallerAccount": stack.account}},
        ),
        iam.PolicyStatement(
            sid="GrantsOnlyForAwsResources", principals=[account], actions=["kms:CreateGrant"], resources=["*"],
            conditions={"Bool": {"kms:GrantIsForAWSResource": "true"}},
        ),
    ])


class TableBackups(Construct):
    def __init__(
        self, scope: Construct, construct_id: str, *, tables: list[dynamodb.ITable], settings: Settings
    ) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        # Retained whatever the stage: deleting the key would make every recovery point in the vault unreadable.
        self.key = kms.Key(
            self, "VaultKey", description=f"{stack.stack_name} backup vault key", enable_key_rotation=True,
            policy=_key_policy(stack), removal_policy=RemovalPolicy.RETAIN,
        )
        pin_logical_id(self.key, "BackupVaultKey")
        self.vault = backup.BackupVault(
            self, "Vault", backup_vault_name=f"{stack.stack_name}-tables", encryption_key=self.key,
            # A vault holding recovery points cannot be deleted, so it stays with the stack gone; in retained
            # stages its access policy also refuses to delete recovery points (no one wipes the backups early).
            removal_policy=RemovalPolicy.RETAIN,
            block_recovery_point_deletion=settings.retain_data,
        )
        pin_logical_id(self.vault, "BackupVault")
        rules = [backup.BackupPlanRule(
            rule_name="Daily",
            schedule_expression=events.Schedule.cron(hour="3", minute="0"),
            start_window=Duration.hours(1), completion_window=Duration.hours(8),
            delete_after=Duration.days(settings.backup_daily_retention_days),
        )]
        if settings.backup_monthly_retention_months:
            rules.append(backup.BackupPlanRule(
                rule_name="Monthly",
                schedule_expression=events.Schedule.cron(day="1", hour="4", minute="0"),
                start_window=Duration.hours(1), completion_window=Duration.hours(8),
                # 12 months = 365 days (AWS Backup counts retention in days).
                delete_after=Duration.days(round(settings.backup_monthly_retention_months * 365 / 12)),
            ))
        self.plan = backup.BackupPlan(
            self, "Plan", backup_plan_name=f"{stack.stack_name}-tables", backup_vault=self.vault,
            backup_plan_rules=rules,
        )
        pin_logical_id(self.plan, "BackupPlan")
        self.selection = self.plan.add_selection(
            "Tables", resources=[backup.BackupResource.from_dynamo_db_table(table) for table in tables],
            allow_restores=True, backup_selection_name=f"{stack.stack_name}-tables",
        )
        pin_logical_id(self.selection, "BackupSelection")
        for policy in ("AWSBackupServiceRolePolicyForBackup", "AWSBackupServiceRolePolicyForRestores"):
            acknowledge(self.selection, f"AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/"
                        f"service-role/{policy}]",
                        "the AWS-managed AWS Backup service role policies, scoped by the selection to these tables")
