"""Opaque, tamper-checked pagination cursors: the DynamoDB LastEvaluatedKey, signed with a per-deployment key."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from pydantic import Field

from radar.errors import BadRequest, DependencyUnavailable
from radar.settings import EnvSettings

__all__ = ["CursorKeyUnavailable", "CursorSettings", "decode_cursor", "encode_cursor"]

_SIG_BYTES = 16
_MIN_KEY_LENGTH = 32


class CursorKeyUnavailable(DependencyUnavailable):
    """No usable cursor key: listings fail closed (503) rather than sign with a key anyone can read in the code."""

    def __init__(self) -> None:
        super().__init__("the cursor signing key is unavailable", details={"dependency": "cursor_key"})


class CursorSettings(EnvSettings):
    """The secret that signs cursors (a generated string); required where cursors are used (no fallback key)."""

    cursor_key_secret_arn: str | None = Field(default=None, alias="CURSOR_KEY_SECRET_ARN")


def _key() -> bytes:
    # Read at each use: Powertools caches the secret for 5 minutes, so a rotated key is picked up.
    arn = CursorSettings.from_environ().cursor_key_secret_arn
    if not arn:
        raise CursorKeyUnavailable()
    from aws_lambda_powertools.utilities import parameters

    try:
        secret = str(parameters.get_secret(arn, max_age=300) or "")
    except Exception as exc:  # Powertools wraps SDK errors in its own GetParameterError
        raise CursorKeyUnavailable() from exc
    if len(secret) < _MIN_KEY_LENGTH:
        raise CursorKeyUnavailable()
    return secret.encode()


def _mac(scope: str, payload: bytes) -> bytes:
    return hmac.new(_key(), scope.encode() + b"\x00" + payload, hashlib.sha256).digest()[:_SIG_BYTES]


def encode_cursor(last_key: dict[str, Any] | None, *, scope: str) -> str | None:
    """Sign `last_key` for `scope` (tenant id + listing name), so a cursor only works where it was issued."""
    if not last_key:
        return None
    payload = json.dumps(last_key, sort_keys=True, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(_mac(scope, payload) + payload).decode().rstrip("=")


def decode_cursor(cursor: str | None, *, scope: str) -> dict[str, Any] | None:
    """The key a cursor stands for; a tampered, foreign or malformed cursor is a 400 naming the field."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        sig, payload = raw[:_SIG_BYTES], raw[_SIG_BYTES:]
        if len(sig) != _SIG_BYTES or not hmac.compare_digest(sig, _mac(scope, payload)):
            raise ValueError("bad signature")
        value = json.loads(payload)
        if not isinstance(value, dict):
            raise ValueError("not an object")
        return value
    except (ValueError, TypeError) as exc:
        raise BadRequest(
            "the cursor is not valid", details=[{"field": "cursor", "reason": "invalid_cursor", "message": str(exc)}]
        ) from exc
