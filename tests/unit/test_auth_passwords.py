"""Password hashing (argon2id) and the strength rule."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from radar.accounts import passwords


@pytest.fixture(autouse=True, scope="module")
def cheap_profile() -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in ("ARGON2_TIME_COST", "ARGON2_MEMORY_KIB", "ARGON2_PARALLELISM")}
    os.environ.update(ARGON2_TIME_COST="2", ARGON2_MEMORY_KIB="19456", ARGON2_PARALLELISM="1")  # OWASP minimum
    passwords.reset_hasher()
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    passwords.reset_hasher()


def test_hash_is_argon2id_salted_and_verifies():
    first = passwords.hash_password("Correct-Horse-42")
    second = passwords.hash_password("Correct-Horse-42")

    assert first.startswith("$argon2id$") and first != second
    assert passwords.verify_password(first, "Correct-Horse-42")
    assert not passwords.verify_password(first, "Correct-Horse-43")


def test_missing_or_broken_hash_never_verifies():
    # No hash: the dummy is checked (same cost) and the answer is still "no", even for the dummy's own text.
    assert not passwords.verify_password(None, "dummy-password-for-constant-time-checks")
    assert not passwords.verify_password("not-a-hash", "anything")


def test_default_profile_is_rfc9106_low_memory(monkeypatch: pytest.MonkeyPatch):
    for key in ("ARGON2_TIME_COST", "ARGON2_MEMORY_KIB", "ARGON2_PARALLELISM"):
        monkeypatch.delenv(key, raising=False)
    passwords.reset_hasher()
    try:
        hasher = passwords._hasher()
        assert (hasher.time_cost, hasher.memory_cost, hasher.parallelism) == (3, 65536, 4)
    finally:
        passwords.reset_hasher()


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("Ab1-", "at least 12 characters"),
        ("onlylowercaseletters", "two kinds"),
        ("123456789012345", "two kinds"),
        ("zzzzzzzzzzzzzzzz", "repeated"),
        ("Aa1-" * 70, "at most 256"),
    ],
)
def test_weak_passwords_say_what_is_wrong(password: str, problem: str):
    with pytest.raises(passwords.WeakPassword) as caught:
        passwords.require_strong_password(password)
    assert problem in caught.value.message
    assert caught.value.status == 422 and caught.value.details[0]["field"] == "password"


@pytest.mark.parametrize("password", ["correct horse battery", "Senha-Forte-2026", "ação-e-reação-99"])
def test_acceptable_passwords_pass(password: str):
    assert passwords.password_problems(password) == []


@given(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=11, max_size=40),
    st.sampled_from(["A", "7", "!", " "]),
)
def test_twelve_chars_of_two_kinds_always_pass(letters: str, other: str):
    assert passwords.password_problems(letters + other) == []


@pytest.mark.parametrize(
    ("variable", "value"),
    [("ARGON2_MEMORY_KIB", "1024"), ("ARGON2_TIME_COST", "1"), ("ARGON2_PARALLELISM", "0")],
)
def test_cost_overrides_below_owasp_minimum_are_refused(monkeypatch: pytest.MonkeyPatch, variable: str, value: str):
    """Caught: ARGON2_* accepted any value down to 8 KiB and one pass, so a stray variable (a test profile copied into
    a stage) made every stored password cheap to crack."""
    from pydantic import ValidationError

    from radar.accounts.settings import HashingSettings

    monkeypatch.setenv(variable, value)
    with pytest.raises(ValidationError) as caught:
        HashingSettings.from_environ()
    assert variable in str(caught.value)


def test_needs_rehash_upgrades_weaker_hashes_but_never_weakens_a_stronger_one():
    """Caught: needs_rehash said yes to any difference, so a function running a cheaper profile rewrote every
    stronger stored hash weaker at the next login."""
    from argon2 import PasswordHasher, Type

    current = passwords._hasher()
    stronger = PasswordHasher(
        time_cost=current.time_cost + 1, memory_cost=current.memory_cost * 2, parallelism=2, type=Type.ID
    ).hash("Correct-Horse-42")
    weaker = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1, type=Type.ID).hash("Correct-Horse-42")
    argon2i = PasswordHasher(
        time_cost=current.time_cost, memory_cost=current.memory_cost, parallelism=1, type=Type.I
    ).hash("Correct-Horse-42")

    assert passwords.needs_rehash(stronger) is False
    assert passwords.needs_rehash(passwords.hash_password("Correct-Horse-42")) is False
    assert passwords.needs_rehash(weaker) is True
    assert passwords.needs_rehash(argon2i) is True
