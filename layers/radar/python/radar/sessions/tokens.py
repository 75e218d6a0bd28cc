"""Access tokens (EdDSA JWT with kid, 15 minutes), their keys in Secrets Manager, refresh token text."""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from radar.aws import client
from radar.errors import DependencyUnavailable
from radar.observability import logger
from radar.sessions.errors import InvalidToken, SigningKeyUnusable

__all__ = [
    "ACCESS_TOKEN_TTL_SECONDS",
    "AUDIENCE",
    "ISSUER",
    "MIN_ACCESS_TOKEN_TTL_SECONDS",
    "REFRESH_TOKEN_TTL_SECONDS",
    "ROTATION_WINDOW_SECONDS",
    "AccessClaims",
    "PublicKeySource",
    "SigningKey",
    "SigningKeyStore",
    "decode_access_token",
    "generate_signing_key",
    "issue_access_token",
    "new_refresh_token",
    "refresh_token_hash",
    "refresh_token_tenant",
    "token_kid",
]

ACCESS_TOKEN_TTL_SECONDS = 15 * 60  # the longest an access token lives (the default; a setting may shorten it)
MIN_ACCESS_TOKEN_TTL_SECONDS = 60
REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 3600
ISSUER = "cnpj-radar"
AUDIENCE = "cnpj-radar-api"
ALGORITHM = "EdDSA"
_LEEWAY_SECONDS = 10
_REFRESH_PREFIX = "rt"
_SAFE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


@dataclass(frozen=True, slots=True)
class SigningKey:
    kid: str
    private_pem: str

    def public_pem(self) -> str:
        from cryptography.hazmat.primitives import serialization

        private = serialization.load_pem_private_key(self.private_pem.encode(), password=None)
        return (
            private.public_key()
            .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
            .decode()
        )

    @classmethod
    def from_secret(cls, raw: str | None) -> SigningKey | None:
        """The key in a signing secret, or None when there is none yet (no secret, or the deploy-time placeholder:
        a generated string, never a JSON object). Anything else that is not an Ed25519 key is SigningKeyUnusable:
        replacing it with a fresh key would silently log everyone out and hide a corrupted secret."""
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        if raw is None or not raw.lstrip().startswith("{"):
            return None
        try:
            data = json.loads(raw)
            kid, pem = str(data["kid"]), str(data["private_pem"])
            key = serialization.load_pem_private_key(pem.encode(), password=None)
        except (ValueError, TypeError, KeyError) as exc:
            raise SigningKeyUnusable() from exc
        if not kid or not isinstance(key, Ed25519PrivateKey):
            raise SigningKeyUnusable()
        return cls(kid=kid, private_pem=pem)


@dataclass(frozen=True, slots=True)
class AccessClaims:
    user_id: str
    tenant_id: str
    role: str
    expires_at: int
    token_id: str
    session_id: str


def generate_signing_key() -> SigningKey:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    kid = datetime.now(UTC).strftime("%Y%m%d") + "-" + secrets.token_hex(4)
    return SigningKey(kid=kid, private_pem=pem)


def issue_access_token(
    key: SigningKey,
    *,
    tenant_id: str,
    user_id: str,
    role: str,
    session_id: str = "",
    now: float | None = None,
    lifetime: int = ACCESS_TOKEN_TTL_SECONDS,
) -> tuple[str, int]:
    """A signed access token and its lifetime in seconds; `session_id` is the refresh family it belongs to."""
    import jwt

    issued = int(now if now is not None else time.time())
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": user_id,
        "tid": tenant_id,
        "role": role,
        "iat": issued,
        "nbf": issued,
        "exp": issued + lifetime,
        "jti": secrets.token_hex(8),
        "sid": session_id,
    }
    token = jwt.encode(claims, key.private_pem, algorithm=ALGORITHM, headers={"kid": key.kid})
    return token, lifetime


def token_kid(token: str) -> str:
    """The kid of a well-formed EdDSA header; anything else (alg none, HS256, garbage) is InvalidToken."""
    import jwt

    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise InvalidToken() from exc
    kid = header.get("kid")
    if header.get("alg") != ALGORITHM or not isinstance(kid, str) or not kid:
        raise InvalidToken()
    return kid


def decode_access_token(
    token: str, public_key_for: Callable[[str], str | None], *, now: float | None = None
) -> AccessClaims:
    """Verify signature, algorithm, issuer, audience and lifetime; InvalidToken on any failure."""
    import jwt

    kid = token_kid(token)
    public_pem = public_key_for(kid)
    if public_pem is None:
        raise InvalidToken()
    # Every time claim is checked here against one clock (the caller's `now`, or the real one), on every path:
    # PyJWT's own checks would be skipped whenever a caller passes `now`.
    options: Any = {
        "require": ["exp", "iat", "nbf", "sub", "tid", "role", "iss", "aud"],
        "verify_exp": False,
        "verify_iat": False,
        "verify_nbf": False,
    }
    try:
        claims = jwt.decode(
            token, public_pem, algorithms=[ALGORITHM], audience=AUDIENCE, issuer=ISSUER, options=options
        )
        exp, iat, nbf = (int(claims[k]) for k in ("exp", "iat", "nbf"))
    except (jwt.PyJWTError, ValueError, TypeError) as exc:
        raise InvalidToken() from exc
    current = now if now is not None else time.time()
    if exp + _LEEWAY_SECONDS <= current or nbf - _LEEWAY_SECONDS > current or iat - _LEEWAY_SECONDS > current:
        raise InvalidToken()
    if exp - iat > ACCESS_TOKEN_TTL_SECONDS:
        raise InvalidToken()  # no token of ours lives longer than that, whatever key signed it
    if not all(isinstance(claims.get(k), str) and claims[k] for k in ("sub", "tid", "role")):
        raise InvalidToken()
    return AccessClaims(
        user_id=claims["sub"],
        tenant_id=claims["tid"],
        role=claims["role"],
        expires_at=int(claims["exp"]),
        token_id=str(claims.get("jti", "")),
        session_id=str(claims.get("sid") or ""),
    )


def new_refresh_token(tenant_id: str) -> str:
    """Opaque refresh token `rt.<tid>.<random>`: the tenant part lets the store derive the partition key."""
    return f"{_REFRESH_PREFIX}.{tenant_id}.{secrets.token_urlsafe(32)}"


def refresh_token_tenant(token: str) -> str:
    """The tenant part of a refresh token; a tenant id is a plain token, so it can never address another key."""
    parts = token.split(".")
    if len(parts) != 3 or parts[0] != _REFRESH_PREFIX or not _SAFE_ID.fullmatch(parts[1]) or len(parts[2]) < 32:
        raise InvalidToken()
    return parts[1]


def refresh_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# A superseded public key keeps verifying the tokens it signed until the last of them has expired, then it is retired.
ROTATION_WINDOW_SECONDS = ACCESS_TOKEN_TTL_SECONDS + 2 * _LEEWAY_SECONDS


def _published_entries(raw: Any) -> list[dict[str, Any]]:
    """The entries of `{"keys":[{"kid","public_pem","retire_after"?}]}`; tolerant of placeholders (no keys)."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return []
    keys = raw.get("keys") if isinstance(raw, dict) else None
    if not isinstance(keys, list):
        return []
    return [dict(k) for k in keys if isinstance(k, dict) and k.get("kid") and k.get("public_pem")]


def _public_keys_from_secret(raw: Any, *, now: float | None = None) -> dict[str, str]:
    """kid -> PEM of the keys still in service: a retired key (past its `retire_after`) verifies nothing."""
    current = now if now is not None else time.time()
    return {
        str(k["kid"]): str(k["public_pem"])
        for k in _published_entries(raw)
        if not isinstance(k.get("retire_after"), int | float) or k["retire_after"] > current
    }


class SigningKeyStore:
    """The auth function's signing key: read from Secrets Manager, generated and published on first use."""

    def __init__(self, signing_secret_arn: str, public_keys_secret_arn: str, *, max_age: float = 300) -> None:
        self._signing_arn = signing_secret_arn
        self._public_arn = public_keys_secret_arn
        self._max_age = max_age
        self._cached: tuple[float, SigningKey] | None = None

    def _sm(self) -> Any:
        return client("secretsmanager")

    def _read(self, arn: str) -> str | None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return str(self._sm().get_secret_value(SecretId=arn).get("SecretString") or "")
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
                return None
            raise DependencyUnavailable("the signing key store is unavailable") from exc
        except BotoCoreError as exc:
            raise DependencyUnavailable("the signing key store is unavailable") from exc

    def _write(self, arn: str, value: str) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self._sm().put_secret_value(SecretId=arn, SecretString=value)
        except (BotoCoreError, ClientError) as exc:
            raise DependencyUnavailable("the signing key store is unavailable") from exc

    def current(self) -> SigningKey:
        now = time.monotonic()
        if self._cached and now - self._cached[0] < self._max_age:
            return self._cached[1]
        key = SigningKey.from_secret(self._read(self._signing_arn))
        if key is None:
            key = self._bootstrap()
        self._publish(key)
        self._cached = (now, key)
        return key

    def _bootstrap(self) -> SigningKey:
        # Publish the public half first, so no token is ever signed with an unverifiable key.
        fresh = generate_signing_key()
        self._publish(fresh)
        self._write(self._signing_arn, json.dumps({"kid": fresh.kid, "private_pem": fresh.private_pem}))
        logger.info("generated a new token signing key", extra={"kid": fresh.kid})
        # Two cold starts may race; both converge on whichever private key was written last.
        return SigningKey.from_secret(self._read(self._signing_arn)) or fresh

    def _publish(self, key: SigningKey) -> None:
        """Make sure the key's public half is in the public keys secret (read-merge-write, re-checked); the keys it
        supersedes get a `retire_after` one token lifetime away, and keys past theirs are dropped."""
        for _ in range(3):
            entries = _published_entries(self._read(self._public_arn))
            if any(e["kid"] == key.kid and "retire_after" not in e for e in entries):
                return
            now = time.time()
            kept = [e for e in entries if e["kid"] != key.kid and e.get("retire_after", now + 1) > now]
            for entry in kept:
                entry.setdefault("retire_after", int(now) + ROTATION_WINDOW_SECONDS)
            kept.append({"kid": key.kid, "public_pem": key.public_pem()})
            self._write(self._public_arn, json.dumps({"keys": kept}))
        logger.warning("public key publication did not converge", extra={"kid": key.kid})


class PublicKeySource:
    """The authorizer's public keys: Powertools-cached for 5 minutes, refreshed once on an unknown kid."""

    def __init__(self, public_keys_secret_arn: str, *, max_age: int = 300, min_refresh_interval: float = 5.0) -> None:
        self._arn = public_keys_secret_arn
        self._max_age = max_age
        self._min_refresh_interval = min_refresh_interval
        self._last_forced = -min_refresh_interval

    def _keys(self, force: bool) -> Mapping[str, str]:
        from aws_lambda_powertools.utilities import parameters

        try:
            raw = parameters.get_secret(self._arn, max_age=self._max_age, force_fetch=force)
        except Exception as exc:  # Powertools wraps SDK errors in its own GetParameterError
            raise DependencyUnavailable("the public key store is unavailable") from exc
        return _public_keys_from_secret(raw)

    def __call__(self, kid: str) -> str | None:
        keys = self._keys(force=False)
        if kid in keys:
            return keys[kid]
        # An unknown kid usually means a key rotated in since the cache filled; refresh once, but not on every
        # request carrying a made-up kid.
        now = time.monotonic()
        if now - self._last_forced < self._min_refresh_interval:
            return None
        self._last_forced = now
        return self._keys(force=True).get(kid)
