"""Two local clouds of one stack on one emulator (as test_lifecycle starts a second cloud on the session's): the
second keeps every secret the first left valid (scripts/localcloud/kept_secrets), so the first's signed tokens still
verify, its provider tokens and cursor key stay; an empty or invalid value is replaced."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import boto3

from radar.sessions.tokens import SigningKey, SigningKeyStore, decode_access_token, issue_access_token
from scripts.localcloud.kept_secrets import keep_or_write
from tests.support.aws import free_port
from tests.support.mini_template import mini_cloud


def _generated(length: int) -> dict[str, Any]:
    return {"Type": "AWS::SecretsManager::Secret",
            "Properties": {"GenerateSecretString": {"PasswordLength": length, "ExcludePunctuation": True}}}


def _json(template: dict[str, str]) -> dict[str, Any]:
    return {"Type": "AWS::SecretsManager::Secret", "Properties": {"GenerateSecretString": {
        "SecretStringTemplate": json.dumps(template), "GenerateStringKey": "_generated", "ExcludePunctuation": True}}}


# The shapes infra_cdk/secrets.py synthesizes (its logical ids are pinned).
APP_SECRETS = {
    "SigningKeySecret": _generated(32),
    "PublicKeysSecret": _generated(32),
    "ProviderTokensSecret": _json({"cnpjws": "", "receitaws": ""}),
    "CursorKeySecret": _generated(64),
    "BillingSecret": _json({"secret_key": "", "webhook_secret": ""}),  # the cloud's billing sandbox fills it
}


def _cloud(directory: Path, stack: str, endpoint: str) -> Any:
    return mini_cloud(directory, stack, endpoint=endpoint, extra_resources=APP_SECRETS,
                      service_ports={"ops": free_port(), "billing": free_port()})


def _value(arn: str) -> str:
    return str(boto3.client("secretsmanager").get_secret_value(SecretId=arn)["SecretString"])


def _put(arn: str, value: str) -> None:
    boto3.client("secretsmanager").put_secret_value(SecretId=arn, SecretString=value)


def _public_key_for(arn: str) -> Any:
    """The authorizer's lookup, read straight from the secret (no cache between the two clouds)."""
    def lookup(kid: str) -> str | None:
        keys = json.loads(_value(arn))["keys"]
        return next((k["public_pem"] for k in keys if k["kid"] == kid), None)
    return lookup


def test_a_second_cloud_keeps_the_first_ones_secrets_and_its_tokens_verify(tmp_path: Path, moto_endpoint: str) -> None:
    stack = f"Kept{uuid.uuid4().hex[:6]}"
    with _cloud(tmp_path / "first", stack, moto_endpoint) as first:
        refs = {logical: first.template.refs[logical] for logical in APP_SECRETS}
        store = SigningKeyStore(refs["SigningKeySecret"], refs["PublicKeysSecret"])
        key = store.current()  # the auth function's first use: a keypair replaces the placeholder, its kid published
        token, _ = issue_access_token(key, tenant_id="t1", user_id="u1", role="admin", session_id="s1")
        _put(refs["ProviderTokensSecret"], json.dumps({"cnpjws": "tok-first", "receitaws": "", "_generated": "x"}))
        before = {logical: _value(arn) for logical, arn in refs.items()}
        with _cloud(tmp_path / "second", stack, moto_endpoint) as second:
            assert {logical: second.template.refs[logical] for logical in APP_SECRETS} == refs
            assert {logical: _value(arn) for logical, arn in refs.items()} == before
            claims = decode_access_token(token, _public_key_for(refs["PublicKeysSecret"]))
            assert (claims.tenant_id, claims.user_id, claims.session_id) == ("t1", "u1", "s1")
            assert SigningKey.from_secret(_value(refs["SigningKeySecret"])) == key
            billing = json.loads(before["BillingSecret"])
            assert billing["secret_key"].startswith("sk_test_")  # the first cloud's sandbox keys, kept
            assert second.services["billing"].handle.config.api_key == billing["secret_key"]


def test_empty_or_invalid_values_are_replaced_by_the_next_cloud(tmp_path: Path, moto_endpoint: str) -> None:
    stack = f"Mend{uuid.uuid4().hex[:6]}"
    with _cloud(tmp_path / "first", stack, moto_endpoint) as first:
        refs = {logical: first.template.refs[logical] for logical in APP_SECRETS}
    _put(refs["SigningKeySecret"], json.dumps({"kid": "k1", "private_pem": "not a key"}))  # the auth function refuses
    _put(refs["PublicKeysSecret"], "{broken")
    _put(refs["ProviderTokensSecret"], json.dumps(["not", "an", "object"]))
    _put(refs["CursorKeySecret"], "   ")
    _put(refs["BillingSecret"], json.dumps({"secret_key": "", "webhook_secret": ""}))
    with _cloud(tmp_path / "second", stack, moto_endpoint):
        values = {logical: _value(arn) for logical, arn in refs.items()}
    assert SigningKey.from_secret(values["SigningKeySecret"]) is None  # a fresh placeholder: the next use makes a key
    assert values["SigningKeySecret"].strip() and values["PublicKeysSecret"].strip()
    assert not values["PublicKeysSecret"].startswith("{")
    tokens = json.loads(values["ProviderTokensSecret"])
    assert (tokens["cnpjws"], tokens["receitaws"]) == ("", "") and tokens["_generated"]
    assert json.loads(values["BillingSecret"])["secret_key"].startswith("sk_test_")  # the second sandbox's keys
    assert len(values["CursorKeySecret"]) == 64 and values["CursorKeySecret"].strip() == values["CursorKeySecret"]
    # And the app still works on the mended secrets: a key is made on first use and its token verifies.
    key = SigningKeyStore(refs["SigningKeySecret"], refs["PublicKeysSecret"]).current()
    token, _ = issue_access_token(key, tenant_id="t2", user_id="u2", role="viewer")
    assert decode_access_token(token, _public_key_for(refs["PublicKeysSecret"])).user_id == "u2"


def test_a_secret_scheduled_for_deletion_is_restored_and_judged(moto_endpoint: str) -> None:
    sm = boto3.client("secretsmanager")
    name = f"kept-{uuid.uuid4().hex[:8]}"
    arn = sm.create_secret(Name=name, SecretString="still-good")["ARN"]
    sm.delete_secret(SecretId=arn, RecoveryWindowInDays=7)
    assert keep_or_write(name, valid=bool, make=lambda: "new") == (arn, "still-good")
    assert "DeletedDate" not in sm.describe_secret(SecretId=arn)
    assert keep_or_write(name, valid=lambda raw: raw == "wanted", make=lambda: "wanted") == (arn, "wanted")
    assert _value(arn) == "wanted"
    fresh = f"kept-{uuid.uuid4().hex[:8]}"
    created, value = keep_or_write(fresh, valid=bool, make=lambda: "made")
    assert value == "made" and _value(created) == "made"
