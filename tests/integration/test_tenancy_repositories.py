"""Tenancy repositories and service rules on moto: throttled last-use, atomic rotation, TTL reads, purge, backoff."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from radar.apikeys.models import ApiKeyItem, apikey_sk
from radar.apikeys.repository import ApiKeyRepository
from radar.sessions.models import RefreshTokenItem, refresh_sk
from radar.sessions.repository import RefreshTokenRepository
from radar.store import delete_partition
from radar.tables import bind_main_table, tenant_pk
from tests.integration.test_auth_api import PASSWORD, load_function, signup, use_cheap_argon2
from tests.support.aws import AwsResources


@pytest.fixture(autouse=True, scope="module")
def cheap_argon2() -> Iterator[None]:
    yield from use_cheap_argon2()


@pytest.fixture
def tid(aws: AwsResources) -> str:
    bind_main_table(aws.main_table)
    return uuid.uuid4().hex


def _key(tid: str, key_id: str = "k1") -> ApiKeyItem:
    return ApiKeyItem(
        tenant_pk(tid),
        apikey_sk(key_id),
        key_id=key_id,
        tenant_id=tid,
        name="n",
        role="viewer",
        prefix="rdr_abcdefgh",
        key_hash=uuid.uuid4().hex,
        created_at="2026-01-01T00:00:00Z",
        created_by="u",
        gsi1pk=f"APIKEYHASH#{uuid.uuid4().hex}",
    )


def test_last_used_is_written_at_most_once_a_minute(tid: str):
    repo = ApiKeyRepository()
    repo.create(_key(tid))

    assert repo.touch_last_used(tid, "k1", now=1000) is True
    assert repo.touch_last_used(tid, "k1", now=1059) is False
    assert repo.touch_last_used(tid, "k1", now=1061) is True
    assert repo.get(tid, "k1").last_used_at == 1061
    assert repo.touch_last_used(tid, "missing", now=2000) is False  # never creates a key


def _refresh(tid: str, token_hash: str, expires_at: int, family: str = "f1") -> RefreshTokenItem:
    return RefreshTokenItem(
        tenant_pk(tid),
        refresh_sk(token_hash),
        family_id=family,
        user_id="u1",
        status="active",
        expires_at=expires_at,
        created_at="2026-01-01T00:00:00Z",
    )


def test_rotation_is_atomic_and_expired_tokens_read_as_absent(tid: str):
    repo = RefreshTokenRepository()
    repo.put(_refresh(tid, "h1", expires_at=2_000))
    first, second = repo.get(tid, "h1", now=1_000), repo.get(tid, "h1", now=1_000)
    assert first is not None and second is not None

    assert repo.mark_rotated(first) is True
    assert repo.mark_rotated(second) is False  # the concurrent second use loses: a reuse
    assert repo.get(tid, "h1", now=2_000) is None  # expires_at <= now is a miss, whatever TTL has done


def test_family_revocation_spares_other_families(tid: str):
    repo = RefreshTokenRepository()
    for token_hash, family in (("a", "f1"), ("b", "f1"), ("c", "f2")):
        repo.put(_refresh(tid, token_hash, expires_at=4_000_000_000, family=family))

    assert repo.revoke_family(tid, "f1") == 2
    assert [repo.get(tid, h).status for h in ("a", "b", "c")] == ["revoked", "revoked", "active"]


def test_partition_purge_deletes_every_item_type_and_the_named_one_last(tid: str, aws: AwsResources):
    table = boto3.resource("dynamodb").Table(aws.main_table)
    with table.batch_writer() as batch:
        for sk in ["TENANT", "TARGET#1", "CHECK#1", "USAGE#2026-01", *[f"BATCH#{i:03}" for i in range(40)]]:
            batch.put_item(Item={"pk": tenant_pk(tid), "sk": sk, "anything": "x"})
    table.put_item(Item={"pk": tenant_pk("other" + tid), "sk": "TENANT"})

    assert delete_partition(tenant_pk(tid), last_sk="TENANT") == 44

    assert table.query(KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": tenant_pk(tid)})["Count"] == 0
    assert "Item" in table.get_item(Key={"pk": tenant_pk("other" + tid), "sk": "TENANT"})


def test_login_backoff_ends_and_a_good_login_resets_the_counter(aws: AwsResources, lambda_context: Any):
    owner = signup(lambda_context)
    service = load_function("auth").services().sessions
    clock = {"now": 1_900_000_000.0}
    original = service.clock
    service.clock = lambda: clock["now"]
    try:
        for _ in range(5):
            with pytest.raises(Exception, match="invalid e-mail or password"):
                service.login(owner["email"], "Wrong-Password-99", {})
        # Locked for 30 s: the right password is refused meanwhile, and refusals while locked do not count.
        clock["now"] += 29
        with pytest.raises(Exception, match="invalid e-mail or password"):
            service.login(owner["email"], PASSWORD, {})
        clock["now"] += 2
        with pytest.raises(Exception, match="invalid e-mail or password"):
            service.login(owner["email"], "Wrong-Password-99", {})
        # The sixth failure doubles the lock to 60 s.
        clock["now"] += 59
        with pytest.raises(Exception, match="invalid e-mail or password"):
            service.login(owner["email"], PASSWORD, {})
        clock["now"] += 2
        tokens = service.login(owner["email"], PASSWORD, {})
    finally:
        service.clock = original
    assert tokens.access_token
    user = service.users.get(owner["tenant"]["tenant_id"], owner["user"]["user_id"])
    assert user.failed_logins == 0 and user.locked_until is None
