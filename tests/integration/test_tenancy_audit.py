"""Audit trail against moto: what each event records, filters, newest-first pages and tamper-checked cursors."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import boto3
import pytest

from radar.audit import query_events, record_event
from radar.context import TenantContext
from radar.errors import BadRequest
from tests.integration.test_auth_api import main_items
from tests.support.aws import AwsResources

EVENT = json.loads((Path(__file__).resolve().parents[2] / "events" / "auth" / "post_api_keys.json").read_text())


@pytest.fixture
def ctx(aws: AwsResources) -> TenantContext:
    from radar.tables import bind_main_table

    bind_main_table(aws.main_table)
    return TenantContext(uuid.uuid4().hex, "user-1", "user", "admin", "free")


def test_an_event_records_who_what_where_and_when(ctx: TenantContext):
    record_event(EVENT, ctx, "apikey.create", "apikey/k1")

    (event,), cursor = query_events(ctx.tenant_id, limit=10)

    assert cursor is None
    assert event["actor"] == "user-1" and event["principal_type"] == "user"
    assert (event["action"], event["resource"], event["outcome"]) == ("apikey.create", "apikey/k1", "success")
    assert event["source_ip"] == "203.0.113.10" and event["user_agent"] == "cnpj-radar-events/1.0"
    assert event["request_id"] == EVENT["requestContext"]["requestId"]
    assert event["time"].endswith("Z") and event["time"][:4].isdigit()


def test_events_without_context_name_the_tenant_and_actor_explicitly(ctx: TenantContext):
    record_event({}, None, "auth.login", "user/u9", outcome="failure", tenant_id=ctx.tenant_id, actor="u9")
    (event,), _ = query_events(ctx.tenant_id, limit=10)
    assert (event["actor"], event["outcome"], event["source_ip"]) == ("u9", "failure", None)


def test_an_event_needs_a_tenant_and_a_known_outcome(ctx: TenantContext):
    with pytest.raises(ValueError, match="tenant"):
        record_event(EVENT, None, "auth.login", "user/x")
    with pytest.raises(ValueError, match="outcome"):
        record_event(EVENT, ctx, "auth.login", "user/x", outcome="maybe")


def test_filters_by_action_and_pages_newest_first(ctx: TenantContext):
    for index in range(5):
        record_event(EVENT, ctx, "apikey.create", f"apikey/k{index}")
    record_event(EVENT, ctx, "user.create", "user/u1")

    creates, _ = query_events(ctx.tenant_id, action="apikey.create", limit=50)
    first, cursor = query_events(ctx.tenant_id, limit=4)
    second, end = query_events(ctx.tenant_id, limit=4, cursor=cursor)

    assert [e["resource"] for e in creates] == [f"apikey/k{i}" for i in (4, 3, 2, 1, 0)]
    assert first[0]["action"] == "user.create"
    assert len(first) == 4 and len(second) == 2 and end is None
    assert {e["event_id"] for e in first}.isdisjoint(e["event_id"] for e in second)


def test_time_window_is_inclusive_of_prefixes(ctx: TenantContext):
    record_event(EVENT, ctx, "apikey.revoke", "apikey/k1")
    (event,), _ = query_events(ctx.tenant_id, limit=10)
    day = event["time"][:10]

    inside, _ = query_events(ctx.tenant_id, start=day, end=day, limit=10)
    before, _ = query_events(ctx.tenant_id, end="2000-01-01", limit=10)
    after, _ = query_events(ctx.tenant_id, start="2999-01-01", limit=10)

    assert [e["event_id"] for e in inside] == [event["event_id"]]
    assert before == [] and after == []


def test_a_cursor_for_another_filter_or_tampered_is_rejected(ctx: TenantContext):
    for index in range(3):
        record_event(EVENT, ctx, "apikey.create", f"apikey/k{index}")
    _, cursor = query_events(ctx.tenant_id, limit=1)
    assert cursor is not None

    with pytest.raises(BadRequest):
        query_events(ctx.tenant_id, action="apikey.create", limit=1, cursor=cursor)
    with pytest.raises(BadRequest):
        query_events(ctx.tenant_id, limit=1, cursor=cursor[:-2] + ("AA" if cursor[-2:] != "AA" else "BB"))


def test_audit_records_holding_ip_and_user_agent_expire_after_the_retention(aws: AwsResources) -> None:
    """Caught: audit items kept a caller's IP address and user agent forever (no TTL), and nothing said how long."""
    import time as _time

    from radar.audit.service import AUDIT_RETENTION_DAYS
    from radar.tables import bind_main_table

    bind_main_table(aws.main_table)
    tid = uuid.uuid4().hex
    ctx = TenantContext(tid, "u1", "user", "admin", "free")
    event = {"requestContext": {"identity": {"sourceIp": "203.0.113.7", "userAgent": "ua/1"}, "requestId": "r1"}}
    record_event(event, ctx, "auth.login", "user/u1")
    record_event({}, ctx, "auth.login", "user/u1")  # no request metadata: nothing personal, no expiry

    items = main_items(f"TENANT#{tid}#AUDIT")
    with_ip = next(i for i in items if i.get("source_ip"))
    without = next(i for i in items if not i.get("source_ip"))
    assert abs(int(with_ip["expires_at"]) - (_time.time() + AUDIT_RETENTION_DAYS * 86400)) < 60
    assert "expires_at" not in without
    # Past its expiry a record reads as gone, whatever TTL has done yet.
    boto3.resource("dynamodb").Table(aws.main_table).update_item(
        Key={"pk": with_ip["pk"], "sk": with_ip["sk"]},
        UpdateExpression="SET expires_at = :past",
        ExpressionAttributeValues={":past": int(_time.time()) - 1},
    )
    events, _ = query_events(tid)
    assert [e["source_ip"] for e in events] == [None]
