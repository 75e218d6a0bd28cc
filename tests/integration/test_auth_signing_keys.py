"""Signing keys in Secrets Manager (moto): generated on first use, published before use, reused afterwards."""

from __future__ import annotations

import json
import uuid

import boto3
import pytest

from radar.sessions.tokens import PublicKeySource, SigningKey, SigningKeyStore, decode_access_token, issue_access_token
from tests.support.aws import AwsResources


@pytest.fixture
def secret_pair(aws: AwsResources) -> tuple[str, str]:
    sm = boto3.client("secretsmanager")
    suffix = uuid.uuid4().hex[:8]
    signing = sm.create_secret(Name=f"signing-{suffix}", SecretString="generated-placeholder")["ARN"]
    public = sm.create_secret(Name=f"public-{suffix}", SecretString="generated-placeholder")["ARN"]
    return signing, public


def _read(arn: str) -> dict[str, object]:
    return dict(json.loads(boto3.client("secretsmanager").get_secret_value(SecretId=arn)["SecretString"]))


def test_first_use_generates_an_ed25519_key_and_publishes_its_public_half(secret_pair: tuple[str, str]):
    signing_arn, public_arn = secret_pair

    key = SigningKeyStore(signing_arn, public_arn).current()

    assert _read(signing_arn) == {"kid": key.kid, "private_pem": key.private_pem}
    assert _read(public_arn) == {"keys": [{"kid": key.kid, "public_pem": key.public_pem()}]}
    token, _ = issue_access_token(key, tenant_id="t", user_id="u", role="viewer")
    assert decode_access_token(token, PublicKeySource(public_arn)).tenant_id == "t"


def test_later_cold_starts_reuse_the_stored_key(secret_pair: tuple[str, str]):
    signing_arn, public_arn = secret_pair
    first = SigningKeyStore(signing_arn, public_arn).current()

    second = SigningKeyStore(signing_arn, public_arn).current()

    assert second == first
    assert len(_read(public_arn)["keys"]) == 1  # type: ignore[arg-type]


def test_a_rotated_in_key_is_published_next_to_the_old_ones(secret_pair: tuple[str, str]):
    signing_arn, public_arn = secret_pair
    old = SigningKeyStore(signing_arn, public_arn).current()
    rotated = SigningKeyStore(signing_arn, public_arn)
    new_key = SigningKey.from_secret(json.dumps({"kid": "rotated-1", "private_pem": old.private_pem}))
    assert new_key is not None
    boto3.client("secretsmanager").put_secret_value(
        SecretId=signing_arn, SecretString=json.dumps({"kid": new_key.kid, "private_pem": new_key.private_pem})
    )

    assert rotated.current().kid == "rotated-1"
    kids = {k["kid"] for k in _read(public_arn)["keys"]}  # type: ignore[union-attr]
    assert kids == {old.kid, "rotated-1"}  # tokens signed with the old key keep verifying until they expire


def test_a_superseded_key_is_retired_after_the_rotation_window(secret_pair: tuple[str, str]):
    """Caught: old public keys stayed in the secret forever, so a token signed with a rotated-out (maybe leaked)
    key verified for as long as the attacker liked."""
    import time

    from radar.sessions import tokens

    signing_arn, public_arn = secret_pair
    old = SigningKeyStore(signing_arn, public_arn).current()
    old_token, _ = issue_access_token(old, tenant_id="t", user_id="u", role="viewer")
    sm = boto3.client("secretsmanager")
    fresh = tokens.generate_signing_key()
    rotated = json.dumps({"kid": fresh.kid, "private_pem": fresh.private_pem})
    sm.put_secret_value(SecretId=signing_arn, SecretString=rotated)

    assert SigningKeyStore(signing_arn, public_arn).current().kid == fresh.kid

    entries = {k["kid"]: k for k in _read(public_arn)["keys"]}  # type: ignore[union-attr]
    retire_after = entries[old.kid]["retire_after"]
    assert "retire_after" not in entries[fresh.kid]
    assert abs(retire_after - (time.time() + tokens.ROTATION_WINDOW_SECONDS)) < 30
    source = PublicKeySource(public_arn, max_age=0)
    assert decode_access_token(old_token, source).tenant_id == "t"  # inside the window: still verifies
    # Past the window the old kid is gone for every reader.
    assert tokens._public_keys_from_secret(_read(public_arn), now=retire_after + 1).keys() == {fresh.kid}
