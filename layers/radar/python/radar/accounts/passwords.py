"""Argon2id password hashing with constant-time failure paths, and the password strength rule."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from radar.accounts.errors import WeakPassword
from radar.accounts.settings import HashingSettings

if TYPE_CHECKING:
    from argon2 import PasswordHasher

__all__ = [
    "MAX_PASSWORD_LENGTH",
    "MIN_PASSWORD_LENGTH",
    "hash_password",
    "needs_rehash",
    "password_problems",
    "require_strong_password",
    "reset_hasher",
    "verify_password",
]

MIN_PASSWORD_LENGTH = 12
# Argon2 cost grows with input length; cap it so a huge password is not a denial-of-service lever.
MAX_PASSWORD_LENGTH = 256


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    # Imported lazily: argon2 is only needed by the auth function, not at every cold start.
    from argon2 import PasswordHasher, Type

    # RFC 9106 low-memory profile (argon2-cffi defaults), explicitly argon2id (radar.accounts.settings).
    settings = HashingSettings.from_environ()
    return PasswordHasher(
        time_cost=settings.time_cost,
        memory_cost=settings.memory_kib,
        parallelism=settings.parallelism,
        hash_len=32,
        salt_len=16,
        type=Type.ID,
    )


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    # Verified when the user does not exist, so an unknown e-mail costs the same time as a wrong password.
    return _hasher().hash("dummy-password-for-constant-time-checks")


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; with no hash, verify against a dummy so the timing does not reveal it."""
    from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

    try:
        ok = _hasher().verify(password_hash or _dummy_hash(), password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    return bool(ok) and password_hash is not None


def needs_rehash(password_hash: str) -> bool:
    """True only when the stored hash is weaker than the current settings (another type, less memory, fewer
    iterations, a shorter salt or digest): a hash stronger than today's settings is never rewritten weaker."""
    from argon2 import Type, extract_parameters
    from argon2.exceptions import InvalidHashError

    try:
        stored = extract_parameters(password_hash)
    except (InvalidHashError, ValueError):
        return True
    current = _hasher()
    return (
        stored.type is not Type.ID
        or stored.memory_cost < current.memory_cost
        or stored.time_cost < current.time_cost
        or stored.hash_len < current.hash_len
        or stored.salt_len < current.salt_len
    )


def password_problems(password: str) -> list[str]:
    """Human-readable reasons the password is too weak; empty when it is acceptable."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(f"must have at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        problems.append(f"must have at most {MAX_PASSWORD_LENGTH} characters")
    # Unicode-aware classes, so accented passphrases count their letters like ASCII ones.
    classes = [
        any(c.islower() for c in password),
        any(c.isupper() for c in password),
        any(c.isdigit() for c in password),
        any(not c.isalnum() for c in password),
    ]
    if password and sum(classes) < 2:
        problems.append("must mix at least two kinds of characters (lowercase, uppercase, digits, symbols)")
    if password and len(set(password)) == 1:
        problems.append("must not be one repeated character")
    return problems


def require_strong_password(password: str, *, field: str = "password") -> None:
    problems = password_problems(password)
    if problems:
        raise WeakPassword(
            "the password is too weak: " + "; ".join(problems),
            details=[{"field": field, "reason": "weak_password", "message": p} for p in problems],
        )


def reset_hasher() -> None:
    """Forget the cached hasher (and dummy hash) so changed ARGON2_* settings take effect."""
    _hasher.cache_clear()
    _dummy_hash.cache_clear()
