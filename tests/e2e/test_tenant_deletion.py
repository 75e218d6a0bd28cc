"""Tenant deletion end to end over the local gateway: a tenant with data of every kind (and a paid subscription) is
deleted; its credentials are refused at once, a second DELETE answers the same job, the purge function is killed
while it runs and resumes, and afterwards no table holds anything of the tenant (its neighbour keeps everything)."""

from __future__ import annotations

import json
import os
import signal
import time
import uuid
from typing import Any

import boto3
import httpx
import stripe

from tests.e2e.test_billing_flow import control, subscribe
from tests.support.cloud import RunningCloud, Tenant
from tests.support.cnpjs import random_cnpjs


def _ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


def fill_every_kind(cloud: RunningCloud, tenant: Tenant, seed: int) -> dict[str, str]:
    """Users (and their sessions and refresh tokens), API keys, targets and their CNPJ locks, sync checks with an
    Idempotency-Key (idempotency records, usage), an async check, a batch, the audit trail; returns the invitee."""
    api = cloud.api_url
    email, password = f"member-{uuid.uuid4().hex[:10]}@example.com", f"Correct-Horse-{uuid.uuid4().hex[:6]}!"
    _ok(httpx.post(f"{api}/users", json={"email": email, "role": "analyst", "password": password},
                   headers=tenant.bearer(), timeout=30), 201)
    member = _ok(httpx.post(f"{api}/auth/login", json={"email": email, "password": password}, timeout=30))
    cnpjs = random_cnpjs(6, seed=seed)
    targets = [_ok(httpx.post(f"{api}/targets", json={"cnpj": c}, headers=tenant.key("analyst"), timeout=30), 201)
               for c in cnpjs[:3]]
    for target in targets[:2]:
        _ok(httpx.post(f"{api}/targets/{target['id']}/checks", headers=tenant.key("analyst") | {
            "Idempotency-Key": uuid.uuid4().hex}, timeout=60), 201)
    _ok(httpx.post(f"{api}/targets/{targets[2]['id']}/checks", params={"async": "true"},
                   headers=tenant.key("analyst"), timeout=60), 202)
    _ok(httpx.post(f"{api}/checks/batch", json={"cnpjs": cnpjs[3:]}, headers=tenant.key("analyst"), timeout=60), 202)
    return {"email": email, "access_token": member["access_token"]}


def items_of(cloud: RunningCloud, needles: list[str]) -> list[dict[str, Any]]:
    """Every item of every table of the local cloud that mentions one of `needles` (ids, e-mails), in keys or
    attributes; the tenant's deletion record (kept outside its data, by design) is left out."""
    ddb = boto3.client("dynamodb")
    found = []
    for name in ddb.list_tables()["TableNames"]:
        for page in ddb.get_paginator("scan").paginate(TableName=name, ConsistentRead=True):
            for item in page["Items"]:
                text = json.dumps(item)
                if any(n in text for n in needles) and not text.startswith('{"pk": {"S": "DELETED_TENANT#') \
                        and '"DELETED_TENANT#' not in text:
                    found.append(item)
    return found


def _key(item: dict[str, Any]) -> str:
    return json.dumps({name: item[name] for name in ("pk", "sk", "id") if name in item}, sort_keys=True)


def test_a_deleted_tenant_is_refused_at_once_and_purged_to_nothing_despite_killed_purges(
    cloud: RunningCloud, other_tenant: Tenant
) -> None:
    tenant = cloud.signup()
    tenant.upgrade("business")
    other_tenant.upgrade("business")  # its fill makes more calls a second than the free plan's 2
    member = fill_every_kind(cloud, tenant, seed=1313)
    fill_every_kind(cloud, other_tenant, seed=1414)
    subscribe(cloud, tenant, "enterprise")  # a paid subscription the deletion must cancel
    control(cloud, "webhooks/flush", timeout="30")
    ddb = boto3.client("dynamodb")
    main = cloud.resource("MainTable")["ref"]
    billing = ddb.get_item(TableName=main, Key={"pk": {"S": f"TENANT#{tenant.tenant_id}"}, "sk": {"S": "BILLING"}},
                           ConsistentRead=True)["Item"]
    subscription_id = billing["subscription_id"]["S"]
    usage_key_id = ddb.get_item(TableName=main, Key={"pk": {"S": f"TENANT#{tenant.tenant_id}"},
                                                     "sk": {"S": "TENANT"}})["Item"]["usage_key_id"]["S"]
    needles = [tenant.tenant_id, tenant.email, member["email"]]
    before = items_of(cloud, needles)
    kinds = {item["sk"]["S"].split("#")[0] for item in before if item.get("pk", {}).get("S", "").startswith("TENANT#")}
    assert {"TENANT", "USER", "APIKEY", "SESSION", "REFRESH", "TARGET", "TARGETCNPJ", "CHECK", "BATCH", "USAGE",
            "BILLING"} <= kinds, kinds
    assert any("id" in item for item in before)  # the idempotency records
    neighbour = items_of(cloud, [other_tenant.tenant_id])

    sqs = boto3.client("sqs")
    queue_url = cloud.state["resources"]["PurgeQueue"]["ref"]
    template_visibility = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["VisibilityTimeout"])
    # A killed run's message comes back after the visibility timeout (360 s in the template, as in AWS): shorten it.
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"VisibilityTimeout": "4"})
    time.sleep(6)  # receives already long-polling keep the old timeout
    try:
        deleted = httpx.delete(f"{cloud.api_url}/tenant", headers=tenant.bearer(), timeout=30)
        job = _ok(deleted, 202)
        assert deleted.headers["Location"] == "/tenant/deletion" and job["status"] in {"queued", "running"}

        # Refused at once: every API key, the member's token, and the admin's token on anything but the job.
        member_bearer = {"Authorization": f"Bearer {member['access_token']}"}
        for headers in (tenant.key("viewer"), tenant.key("admin"), member_bearer, tenant.bearer()):
            refused = httpx.get(f"{cloud.api_url}/targets", headers=headers, timeout=30)
            assert refused.status_code == 403 and refused.json()["error"]["code"] == "tenant_deleted", refused.text
        assert httpx.get(f"{cloud.api_url}/tenant/deletion", headers=tenant.key("admin"),
                         timeout=30).status_code == 403  # not the deleting principal
        again = _ok(httpx.delete(f"{cloud.api_url}/tenant", headers=tenant.bearer(), timeout=30), 202)
        assert again["job_id"] == job["job_id"]  # idempotent

        killed, seen, deadline = 0, [], time.time() + 240
        while time.time() < deadline:
            progress = _ok(httpx.get(f"{cloud.api_url}/tenant/deletion", headers=tenant.bearer(), timeout=30))
            assert progress["job_id"] == job["job_id"]
            seen.append(progress)
            if progress["status"] == "succeeded":
                break
            if progress["status"] == "running" and killed < 3:
                for pid in cloud.function_pids().get("PurgeFunction", []):
                    try:
                        os.kill(pid, signal.SIGKILL)
                        killed += 1
                    except ProcessLookupError:
                        pass
            time.sleep(0.5)
        assert killed > 0
        assert progress["status"] == "succeeded", progress
        totals = [p["items_removed_total"] for p in seen]
        assert totals == sorted(totals) and len(set(totals)) > 2  # progress was visible while it ran
        assert progress["started_at"] and progress["finished_at"]
        assert {"users", "api_keys", "sessions", "refresh_tokens", "targets", "cnpj_locks", "checks", "batches",
                "usage", "billing", "audit", "idempotency", "tenant"} <= set(progress["items_removed"])
    finally:
        sqs.set_queue_attributes(QueueUrl=queue_url, Attributes=template_visibility["Attributes"])

    assert items_of(cloud, needles) == []
    # The neighbour keeps every item (its async checks may still be changing state, so compare keys).
    assert {_key(i) for i in neighbour} <= {_key(i) for i in items_of(cloud, [other_tenant.tenant_id])}
    record = ddb.get_item(TableName=main, Key={"pk": {"S": f"DELETED_TENANT#{tenant.tenant_id}"},
                                               "sk": {"S": "AUDIT"}}, ConsistentRead=True)["Item"]
    assert record["outcome"]["S"] == "success" and int(record["items_deleted"]["N"]) == progress["items_removed_total"]
    # Counted: the tenant's own items (the e-mail claims, key pointers and customer link go with theirs).
    pointers = ("EMAIL#", "APIKEYHASH#", "BILLINGCUSTOMER#")
    own = [i for i in before if not i.get("pk", {}).get("S", "").startswith(pointers)]
    assert int(record["items_deleted"]["N"]) >= len(own)
    assert usage_key_id not in {k["id"] for k in boto3.client("apigateway").get_api_keys(limit=500)["items"]}
    secret = json.loads(boto3.client("secretsmanager").get_secret_value(
        SecretId=cloud.resource("BillingSecret")["ref"])["SecretString"])
    stripe_api = stripe.StripeClient(secret["secret_key"], base_addresses={"api": cloud.billing_url})
    assert stripe_api.v1.subscriptions.retrieve(subscription_id).status == "canceled"
    # The deleting admin's token still reads the finished job; nothing else answers it.
    assert _ok(httpx.get(f"{cloud.api_url}/tenant/deletion", headers=tenant.bearer(), timeout=30))[
        "status"] == "succeeded"
    assert httpx.get(f"{cloud.api_url}/tenant", headers=tenant.bearer(), timeout=30).status_code == 403
