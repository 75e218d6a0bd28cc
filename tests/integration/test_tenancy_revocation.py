"""Revocation without races, on the emulator: many threads refresh and revoke one session at once; afterwards no token
of it works. Users can be signed out everywhere, and a revoked session stays revoked however long ago it ended."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from radar.sessions.errors import InvalidToken
from tests.integration.test_auth_api import (
    PASSWORD,
    authorize,
    load_function,
    signup,
    use_cheap_argon2,
)
from tests.support.aws import AwsResources


@pytest.fixture(autouse=True, scope="module")
def cheap_argon2() -> Iterator[None]:
    yield from use_cheap_argon2()


@pytest.fixture
def authorizer_fresh(aws: AwsResources) -> Iterator[Any]:
    authorizer = load_function("authorizer").authorizer()
    authorizer.cache.clear()
    yield authorizer
    authorizer.cache.clear()


def _denied(access_token: str, authorizer: Any, context: Any) -> bool:
    authorizer.cache.clear()
    try:
        authorize(access_token, context=context)
    except Exception as exc:  # the handler raises Exception("Unauthorized") for API Gateway
        return str(exc) == "Unauthorized"
    return False


def test_concurrent_refreshes_and_revocations_leave_no_working_token(
    authorizer_fresh: Any, lambda_context: Any
) -> None:
    """Many threads at once, as the brief asks: whatever order the emulator runs them in, no token survives. (Old code
    lost this only when a refresh's write fell between a logout's query and its updates; the next test forces that
    interleaving, so it fails on the old code every time.)"""
    owner = signup(lambda_context)
    service = load_function("auth").services().sessions
    tenant_id, user_id = owner["tenant"]["tenant_id"], owner["user"]["user_id"]
    ctx = _ctx(tenant_id, user_id)
    issued: list[Any] = []
    lock = threading.Lock()
    current = {"refresh": owner["tokens"]["refresh_token"]}
    seen_refresh = [owner["tokens"]["refresh_token"]]
    start = threading.Barrier(12)

    def refresher() -> None:
        start.wait()
        for _ in range(6):
            token = current["refresh"]
            try:
                pair = service.refresh(token, {})
            except InvalidToken:
                continue
            with lock:
                issued.append(pair)
                seen_refresh.append(pair.refresh_token)
                current["refresh"] = pair.refresh_token

    def revoker() -> None:
        start.wait()
        service.logout(ctx, current["refresh"], {})

    with ThreadPoolExecutor(max_workers=12) as pool:
        futures = [pool.submit(refresher) for _ in range(8)] + [pool.submit(revoker) for _ in range(4)]
        for future in futures:
            future.result()

    for token in seen_refresh:
        with pytest.raises(InvalidToken):
            service.refresh(token, {})
    for pair in issued:
        assert _denied(pair.access_token, authorizer_fresh, lambda_context)
    assert _denied(owner["tokens"]["access_token"], authorizer_fresh, lambda_context)


def _ctx(tenant_id: str, user_id: str) -> Any:
    from radar.context import TenantContext

    return TenantContext(tenant_id, user_id, "user", "admin", "free")


def test_concurrent_logouts_of_two_sessions_are_both_kept(authorizer_fresh: Any, lambda_context: Any) -> None:
    """Caught: each logout read the user's revoked_sessions map and wrote it back whole, so of two concurrent
    logouts one could overwrite the other and that session's access tokens kept working."""
    owner = signup(lambda_context)
    service = load_function("auth").services().sessions
    tenant_id, user_id = owner["tenant"]["tenant_id"], owner["user"]["user_id"]
    pairs = [service.login(owner["email"], PASSWORD, {}) for _ in range(6)]
    start = threading.Barrier(len(pairs))

    def logout(refresh: str) -> None:
        start.wait()
        service.logout(_ctx(tenant_id, user_id), refresh, {})

    with ThreadPoolExecutor(max_workers=len(pairs)) as pool:
        list(pool.map(logout, [p.refresh_token for p in pairs]))

    for pair in pairs:
        assert _denied(pair.access_token, authorizer_fresh, lambda_context)
    assert not _denied(owner["tokens"]["access_token"], authorizer_fresh, lambda_context)  # not logged out


def test_a_logout_landing_between_a_refreshs_reads_and_its_write_wins(
    authorizer_fresh: Any, lambda_context: Any
) -> None:
    """The race made deterministic: a logout runs just before the refresh writes its new token. Caught: the refresh
    marked its token rotated, the logout then revoked what its query found, and the new token, written afterwards,
    was active: the logged-out session went on refreshing."""
    from radar.store import main_table_connection

    owner = signup(lambda_context)
    service = load_function("auth").services().sessions
    ctx = _ctx(owner["tenant"]["tenant_id"], owner["user"]["user_id"])
    refresh = owner["tokens"]["refresh_token"]
    client: Any = main_table_connection().client
    state = {"done": False}

    def logout_first(params: dict[str, Any], **_: Any) -> None:
        if state["done"] or "REFRESH#" not in str(params):
            return
        state["done"] = True
        # Another request, on another thread and connection, as a second Lambda instance would be.
        thread = threading.Thread(target=lambda: service.logout(ctx, refresh, {}))
        thread.start()
        thread.join()

    events = ("before-call.dynamodb.PutItem", "before-call.dynamodb.TransactWriteItems")
    for name in events:
        client.meta.events.register(name, logout_first)
    try:
        try:
            pair = service.refresh(refresh, {})
        except InvalidToken:
            pair = None
    finally:
        for name in events:
            client.meta.events.unregister(name, logout_first)
    assert state["done"]
    if pair is not None:  # the refresh may have been answered before the logout; its tokens must still be dead
        with pytest.raises(InvalidToken):
            service.refresh(pair.refresh_token, {})
        assert _denied(pair.access_token, authorizer_fresh, lambda_context)


def _identity(owner: dict[str, Any], authorizer: Any, context: Any) -> dict[str, str]:
    authorizer.cache.clear()
    return dict(authorize(owner["tokens"]["access_token"], context=context)["context"])
