"""Lockout is not a denial of service: failures decay, backoff is per account and per source IP, the right password
works after the cooldown, and a slow trickle of wrong passwords cannot keep an account locked."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from radar.sessions.errors import InvalidCredentials
from tests.integration.test_auth_api import PASSWORD, load_function, signup, unique_email, use_cheap_argon2
from tests.support.aws import AwsResources

WRONG = "Wrong-Password-99"


@pytest.fixture(autouse=True, scope="module")
def cheap_argon2() -> Iterator[None]:
    yield from use_cheap_argon2()


@pytest.fixture
def service(aws: AwsResources) -> Iterator[Any]:
    """The auth function's session service on a clock the test moves."""
    sessions = load_function("auth").services().sessions
    clock = {"now": 1_900_000_000.0 + uuid.uuid4().int % 1_000_000}
    original = sessions.clock
    sessions.clock = lambda: clock["now"]
    sessions.test_clock = clock
    yield sessions
    sessions.clock = original


def _from(ip: str) -> dict[str, Any]:
    return {"requestContext": {"identity": {"sourceIp": ip, "userAgent": "tests"}, "requestId": uuid.uuid4().hex}}


def _refused(service: Any, email: str, password: str, event: dict[str, Any]) -> bool:
    try:
        service.login(email, password, copy.deepcopy(event))
    except InvalidCredentials:
        return True
    return False


def _ip() -> str:
    return f"198.51.100.{uuid.uuid4().int % 250 + 1}-{uuid.uuid4().hex[:6]}"  # unique per test run


def test_one_wrong_password_every_15_minutes_never_keeps_the_account_locked(service: Any, lambda_context: Any):
    """Caught: failures never decayed and each one after the lock relocked for 15 minutes, so one request every 15
    minutes kept the owner out for good."""
    owner = signup(lambda_context)
    attacker = _from(_ip())
    for _ in range(4 * 24):  # a day of it
        assert _refused(service, owner["email"], WRONG, attacker)
        service.test_clock["now"] += 15 * 60
    service.test_clock["now"] -= 10 * 60  # five minutes after the last attempt
    assert not _refused(service, owner["email"], PASSWORD, _from(_ip()))


def test_a_burst_locks_and_after_the_cooldown_the_right_password_works(service: Any, lambda_context: Any):
    owner = signup(lambda_context)
    event = _from(_ip())
    for _ in range(5):
        assert _refused(service, owner["email"], WRONG, event)
    service.test_clock["now"] += 29
    assert _refused(service, owner["email"], PASSWORD, event)  # locked: even the right password waits
    service.test_clock["now"] += 2
    assert not _refused(service, owner["email"], PASSWORD, event)


def test_one_source_guessing_across_accounts_is_slowed_but_other_sources_are_not(service: Any, lambda_context: Any):
    """Caught: backoff was per account only, so one address could try a password against any number of accounts
    without ever slowing down."""
    owner = signup(lambda_context)
    guesser = _from(_ip())
    for _ in range(20):
        assert _refused(service, unique_email("guess"), WRONG, guesser)
    assert _refused(service, owner["email"], PASSWORD, guesser)  # this source waits, whatever it sends
    assert not _refused(service, owner["email"], PASSWORD, _from(_ip()))  # the owner, elsewhere, is not locked
    service.test_clock["now"] += 31
    assert not _refused(service, owner["email"], PASSWORD, guesser)  # and the source's own lock ends too
