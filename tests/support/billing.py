"""Billing test helpers over the moto server: a billing secret of its own holding a billing sandbox's keys, and a
fresh free tenant's admin (its usage key on the free usage plan)."""

from __future__ import annotations

import json
import uuid

import boto3

from radar.accounts.models import TenantItem
from radar.context import TenantContext
from radar.gateway_keys import GatewayKeys
from radar.tables import bind_main_table
from radar.tiers import load_tiers
from scripts.billing_sandbox import BillingSandbox
from tests.support.aws import AwsResources

__all__ = ["admin_of_new_tenant", "billing_secret"]


def billing_secret(aws: AwsResources, sandbox: BillingSandbox) -> str:
    """A billing secret of its own (the secret cache is per ARN) holding the sandbox's current keys; its ARN."""
    bind_main_table(aws.main_table)
    return str(boto3.client("secretsmanager").create_secret(
        Name=f"billing-{uuid.uuid4().hex[:8]}", SecretString=json.dumps(
            {"secret_key": sandbox.config.api_key, "webhook_secret": sandbox.config.webhook_secret}))["ARN"])


def admin_of_new_tenant(aws: AwsResources, name: str = "Retorno Ltda") -> TenantContext:
    tid = uuid.uuid4().hex
    key_id, key_value = GatewayKeys(aws.usage_plan_ids).create(tid, "free")
    TenantItem(f"TENANT#{tid}", "TENANT", tenant_id=tid, name=name, plan="free", usage_key_id=key_id,
               usage_key_value=key_value, retention_days=load_tiers().get("free").retention_days,
               created_at="2026-12-01T00:00:00Z").save()
    return TenantContext(tenant_id=tid, principal_id=f"usr_{tid[:8]}", principal_type="user", role="admin",
                         plan="free")
