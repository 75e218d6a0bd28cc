"""Machine API keys: high-entropy secrets shown once, stored as a SHA-256 hash and listed by prefix only."""

from __future__ import annotations

import hashlib
import secrets

__all__ = ["KEY_PREFIX", "api_key_hash", "generate_api_key", "looks_like_api_key", "mask"]

KEY_PREFIX = "rdr_"
_RANDOM_BYTES = 32
_VISIBLE_CHARS = 8


def generate_api_key() -> tuple[str, str]:
    """A new key and its display prefix (the part that may be shown again)."""
    key = KEY_PREFIX + secrets.token_urlsafe(_RANDOM_BYTES)
    return key, key[: len(KEY_PREFIX) + _VISIBLE_CHARS]


def api_key_hash(key: str) -> str:
    # 256 bits of entropy: a fast hash is enough, there is nothing to brute-force.
    return hashlib.sha256(key.encode()).hexdigest()


def looks_like_api_key(value: str) -> bool:
    return value.startswith(KEY_PREFIX) and 40 <= len(value) <= 64 and value[len(KEY_PREFIX) :].isascii()


def mask(prefix: str) -> str:
    return prefix + "..."
