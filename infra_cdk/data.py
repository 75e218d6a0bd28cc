"""DynamoDB tables: the single main table, the shared CNPJ cache and the Powertools idempotency table."""

from __future__ import annotations

from aws_cdk import RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from constructs import Construct

from infra_cdk.naming import pin_logical_id

__all__ = ["DataTables"]

_STRING = dynamodb.AttributeType.STRING


def _table(scope: Construct, logical_id: str, partition_key: str, *, sort_key: str | None = None,
           ttl_attribute: str, retain: bool) -> dynamodb.Table:
    table = dynamodb.Table(
        scope,
        logical_id,
        partition_key=dynamodb.Attribute(name=partition_key, type=_STRING),
        sort_key=dynamodb.Attribute(name=sort_key, type=_STRING) if sort_key else None,
        billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
        point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
            point_in_time_recovery_enabled=True
        ),
        encryption=dynamodb.TableEncryption.AWS_MANAGED,
        time_to_live_attribute=ttl_attribute,
        # Retained stages keep the table (and its PITR and backups) when the stack goes, and refuse a DeleteTable.
        removal_policy=RemovalPolicy.RETAIN if retain else RemovalPolicy.DESTROY,
        deletion_protection=retain,
    )
    pin_logical_id(table, logical_id)
    return table


class DataTables(Construct):
    """Keys and TTL attributes exactly as docs/architecture.md lists them (all keys are strings). `retain` (the prod
    stage) keeps the tables when the stack is deleted and turns on deletion protection."""

    def __init__(self, scope: Construct, construct_id: str, *, retain: bool = False) -> None:
        super().__init__(scope, construct_id)
        self.main = _table(self, "MainTable", "pk", sort_key="sk", ttl_attribute="expires_at", retain=retain)
        for index in ("gsi1", "gsi2"):
            self.main.add_global_secondary_index(
                index_name=index,
                partition_key=dynamodb.Attribute(name=f"{index}pk", type=_STRING),
                sort_key=dynamodb.Attribute(name=f"{index}sk", type=_STRING),
                projection_type=dynamodb.ProjectionType.ALL,
            )
        # Public registry data shared by tenants, plus single-flight leases, token buckets and breakers.
        self.cache = _table(self, "CacheTable", "pk", ttl_attribute="expires_at", retain=retain)
        # Powertools DynamoDBPersistenceLayer defaults: key `id`, TTL `expiration`.
        self.idempotency = _table(self, "IdempotencyTable", "id", ttl_attribute="expiration", retain=retain)

    @property
    def all(self) -> tuple[dynamodb.Table, ...]:
        return (self.main, self.cache, self.idempotency)
