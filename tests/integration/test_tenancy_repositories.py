"""Tenancy repositories and service rules on moto: throttled last-use, atomic rotation, TTL reads, purge, backoff."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from radar.apikeys.models import ApiKeyItem, apikey_sk
from radar.apikeys.repository import ApiKeyRepository
from radar.sessions.models import RefreshTokenItem, SessionItem, refresh_sk, session_sk
from radar.sessions.repository import RefreshTokenRepository, SessionRepository
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


def _session(tid: str, sid: str = "s1") -> SessionItem:
    return SessionItem(
        tenant_pk(tid), session_sk(sid), session_id=sid, user_id="u1", created_at="2026-01-01T00:00:00Z",
        expires_at=4_000_000_000,
    )


def _token(tid: str, token_hash: str, generation: int, expires_at: int = 4_000_000_000) -> RefreshTokenItem:
    return RefreshTokenItem(
        tenant_pk(tid), refresh_sk(token_hash), family_id="s1", user_id="u1", generation=generation,
        expires_at=expires_at, created_at="2026-01-01T00:00:00Z",
    )


def test_rotation_is_a_conditional_write_on_the_session_and_expired_tokens_read_as_absent(tid: str):
    sessions, tokens = SessionRepository(), RefreshTokenRepository()
    sessions.start(_session(tid), _token(tid, "h0", 0, expires_at=2_000))
    first, second = sessions.get(tid, "s1"), sessions.get(tid, "s1")
    assert first is not None and second is not None

    assert sessions.rotate(first, 0, _token(tid, "h1", 1)) is True
    assert sessions.rotate(second, 0, _token(tid, "h1b", 1)) is False  # the concurrent second use loses: a reuse
    assert tokens.get(tid, "h1b") is None  # ... and wrote nothing
    assert tokens.get(tid, "h0", now=2_000) is None  # expires_at <= now is a miss, whatever TTL has done


def test_a_revoked_session_never_rotates_again(tid: str):
    sessions = SessionRepository()
    sessions.start(_session(tid), _token(tid, "g0", 0))
    stale = sessions.get(tid, "s1")
    assert stale is not None

    assert sessions.revoke(tid, "s1", "2026-01-01T00:00:01Z") is True
    assert sessions.revoke(tid, "s1", "2026-01-01T00:00:02Z") is False  # already ended: nothing to do
    assert sessions.rotate(stale, 0, _token(tid, "g1", 1)) is False
    assert sessions.get(tid, "s1").state == "revoked"


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
        # The sixth failure, 31 s later, finds the score decayed to about 4.8: 5.8 doubles the lock to 60 s.
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
