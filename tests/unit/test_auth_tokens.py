"""Access tokens (EdDSA, kid, 15 minutes) and refresh token text: what verifies and what never does."""

from __future__ import annotations

import base64
import json

import jwt
import pytest

from radar.sessions import tokens
from radar.sessions.errors import InvalidToken, SigningKeyUnusable
from radar.sessions.tokens import SigningKey

NOW = 1_800_000_000.0


@pytest.fixture(scope="module")
def key() -> SigningKey:
    return tokens.generate_signing_key()


@pytest.fixture(scope="module")
def public_keys(key: SigningKey) -> dict[str, str]:
    return {key.kid: key.public_pem()}


def _issue(key: SigningKey, now: float = NOW) -> str:
    return tokens.issue_access_token(key, tenant_id="t1", user_id="u1", role="analyst", now=now)[0]


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def test_round_trip_carries_tenant_user_role_and_15_minute_expiry(key: SigningKey, public_keys: dict[str, str]):
    token, lifetime = tokens.issue_access_token(
        key, tenant_id="t1", user_id="u1", role="analyst", session_id="family-1", now=NOW
    )

    claims = tokens.decode_access_token(token, public_keys.get, now=NOW + 60)

    assert claims.session_id == "family-1"

    assert lifetime == 900 and claims.expires_at == int(NOW) + 900
    assert (claims.tenant_id, claims.user_id, claims.role) == ("t1", "u1", "analyst")
    assert jwt.get_unverified_header(token) == {"alg": "EdDSA", "kid": key.kid, "typ": "JWT"}


def test_expired_token_is_rejected(key: SigningKey, public_keys: dict[str, str]):
    token = _issue(key)
    with pytest.raises(InvalidToken):
        tokens.decode_access_token(token, public_keys.get, now=NOW + 900 + 11)


def test_tampered_payload_or_signature_is_rejected(key: SigningKey, public_keys: dict[str, str]):
    head, payload, sig = _issue(key).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    forged = f"{head}.{_b64({**claims, 'tid': 'other', 'role': 'admin'})}.{sig}"
    flipped = f"{head}.{payload}.{'A' if sig[0] != 'A' else 'B'}{sig[1:]}"
    for token in (forged, flipped):
        with pytest.raises(InvalidToken):
            tokens.decode_access_token(token, public_keys.get, now=NOW)


def test_alg_none_and_symmetric_algorithms_are_rejected(key: SigningKey, public_keys: dict[str, str]):
    claims = jwt.decode(_issue(key), options={"verify_signature": False})
    none_token = f"{_b64({'alg': 'none', 'kid': key.kid})}.{_b64(claims)}."
    hs_token = jwt.encode(
        claims, "a-shared-secret-long-enough-for-hs256-0123", algorithm="HS256", headers={"kid": key.kid}
    )
    for token in (none_token, hs_token):
        with pytest.raises(InvalidToken):
            tokens.decode_access_token(token, public_keys.get, now=NOW)


def test_unknown_kid_or_other_key_is_rejected(key: SigningKey, public_keys: dict[str, str]):
    other = tokens.generate_signing_key()
    stranger = _issue(other)
    impostor = jwt.encode(
        jwt.decode(stranger, options={"verify_signature": False}),
        other.private_pem,
        algorithm="EdDSA",
        headers={"kid": key.kid},  # claims to be our key, signed with another
    )
    for token in (stranger, impostor, "not.a.jwt", ""):
        with pytest.raises(InvalidToken):
            tokens.decode_access_token(token, public_keys.get, now=NOW)


def test_wrong_audience_or_missing_claims_are_rejected(key: SigningKey, public_keys: dict[str, str]):
    base = {"iss": tokens.ISSUER, "aud": tokens.AUDIENCE, "sub": "u", "tid": "t", "role": "viewer"}
    times = {"iat": int(NOW), "exp": int(NOW) + 900}
    cases = [{**base, **times, "aud": "someone-else"}, {**base, **times, "tid": ""}, {**base, "iat": int(NOW)}]
    for claims in cases:
        token = jwt.encode(claims, key.private_pem, algorithm="EdDSA", headers={"kid": key.kid})
        with pytest.raises(InvalidToken):
            tokens.decode_access_token(token, public_keys.get, now=NOW)


def test_errors_never_say_which_part_was_wrong(key: SigningKey, public_keys: dict[str, str]):
    messages = set()
    for token in ("garbage", _issue(tokens.generate_signing_key())):
        with pytest.raises(InvalidToken) as caught:
            tokens.decode_access_token(token, public_keys.get, now=NOW)
        messages.add((caught.value.status, caught.value.message))
    assert messages == {(401, "invalid or expired credentials")}


def test_signing_secret_placeholder_is_not_a_key(key: SigningKey):
    assert SigningKey.from_secret("placeholder") is None
    assert SigningKey.from_secret(None) is None
    stored = json.dumps({"kid": key.kid, "private_pem": key.private_pem})
    assert SigningKey.from_secret(stored) == key


@pytest.mark.parametrize(
    "raw",
    [
        json.dumps({"kid": "k", "private_pem": "nope"}),
        '{"kid": "k", "private_pem": "-----BEGIN PRIV',  # truncated
        json.dumps({"private_pem": "x"}),
        json.dumps({"kid": "", "private_pem": "x"}),
    ],
)
def test_an_unparsable_signing_secret_is_an_error_not_a_new_key(raw: str):
    """Caught: any unusable secret read as "no key yet", so the auth function generated a new key over it (every
    session silently invalidated, the corruption hidden)."""
    with pytest.raises(SigningKeyUnusable) as caught:
        SigningKey.from_secret(raw)
    assert caught.value.status == 503


def _claims_token(key: SigningKey, **changes: object) -> str:
    claims: dict[str, object] = {
        "iss": tokens.ISSUER, "aud": tokens.AUDIENCE, "sub": "u1", "tid": "t1", "role": "analyst",
        "iat": int(NOW), "nbf": int(NOW), "exp": int(NOW) + 900, "sid": "s",
    }
    claims.update(changes)
    claims = {k: v for k, v in claims.items() if v is not None}
    return jwt.encode(claims, key.private_pem, algorithm="EdDSA", headers={"kid": key.kid})


@pytest.mark.parametrize(
    "changes",
    [
        {"nbf": int(NOW) + 3600},  # not valid yet
        {"iat": int(NOW) + 3600},  # issued in the future
        {"nbf": None},  # no nbf at all
        {"iat": int(NOW) - 86400, "exp": int(NOW) + 900},  # longer-lived than any token we issue
        {"nbf": "soon"},
    ],
)
def test_nbf_and_iat_are_checked_on_the_explicit_clock_path_too(key: SigningKey, public_keys, changes):
    """Caught: with `now=` (the authorizer's path) nbf and iat were not checked at all, so a token signed to start
    later (or claiming a future issue time) was accepted at once."""
    with pytest.raises(InvalidToken):
        tokens.decode_access_token(_claims_token(key, **changes), public_keys.get, now=NOW)
    assert tokens.decode_access_token(_claims_token(key), public_keys.get, now=NOW).user_id == "u1"


def test_a_retired_public_key_verifies_nothing():
    """Caught: public keys were never retired, so a superseded (maybe leaked) key verified tokens forever."""
    raw = {"keys": [
        {"kid": "old", "public_pem": "P1", "retire_after": 1000},
        {"kid": "leaving", "public_pem": "P2", "retire_after": 3000},
        {"kid": "new", "public_pem": "P3"},
    ]}
    assert tokens._public_keys_from_secret(raw, now=2000) == {"leaving": "P2", "new": "P3"}
    assert tokens._public_keys_from_secret(raw, now=3000) == {"new": "P3"}


def test_public_keys_secret_parsing_tolerates_placeholders():
    assert tokens._public_keys_from_secret("placeholder") == {}
    assert tokens._public_keys_from_secret({"keys": "x"}) == {}
    assert tokens._public_keys_from_secret('{"keys":[{"kid":"a","public_pem":"P"},{"kid":""}]}') == {"a": "P"}


def test_refresh_tokens_carry_their_tenant_and_are_stored_hashed():
    token = tokens.new_refresh_token("tenant42")

    assert tokens.refresh_token_tenant(token) == "tenant42"
    assert len(tokens.refresh_token_hash(token)) == 64 and token not in tokens.refresh_token_hash(token)
    assert tokens.new_refresh_token("tenant42") != token
    for bad in ("", "rt..x", "xx.t." + "a" * 43, "rt.t.short", "rt.a.b.c", "rt.t#AUDIT." + "a" * 43):
        with pytest.raises(InvalidToken):
            tokens.refresh_token_tenant(bad)


def test_access_token_lifetime_is_a_setting_with_a_floor_and_a_ceiling():
    """Caught: the 15-minute lifetime was a constant, so a test cloud could not shorten it (console API_NEEDS 2)."""
    from pydantic import ValidationError

    from radar.sessions.settings import SessionSettings

    assert SessionSettings.from_environ({}).access_token_ttl_seconds == 900
    assert SessionSettings.from_environ({"ACCESS_TOKEN_TTL_SECONDS": "60"}).access_token_ttl_seconds == 60
    for bad in ("59", "901", "soon"):
        with pytest.raises(ValidationError):
            SessionSettings.from_environ({"ACCESS_TOKEN_TTL_SECONDS": bad})
    key = tokens.generate_signing_key()
    token, lifetime = tokens.issue_access_token(key, tenant_id="t", user_id="u", role="viewer", now=NOW, lifetime=60)
    claims = tokens.decode_access_token(token, {key.kid: key.public_pem()}.get, now=NOW)
    assert lifetime == 60 and claims.expires_at == int(NOW) + 60
    with pytest.raises(InvalidToken):
        tokens.decode_access_token(token, {key.kid: key.public_pem()}.get, now=NOW + 71)
