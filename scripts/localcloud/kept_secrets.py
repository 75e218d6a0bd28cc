"""Secrets the local cloud writes into the emulator follow one rule: what is already there and valid is kept.

A second local cloud on the same emulator (test_lifecycle's, or a restored emulator) finds the first one's secrets:
its token signing keys, the provider tokens, the cursor key, the billing sandbox's keys. Replacing any of them under
the first cloud's functions would end its sessions, break its cursors or have its own sandbox refuse its key (the
functions cache secrets for minutes). Only a missing, deleted, empty or invalid value is (re)written."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

from scripts.localcloud.aws import client

__all__ = ["keep_or_write", "template_secret_check"]


def keep_or_write(name: str, *, valid: Callable[[str], bool], make: Callable[[], str],
                  description: str = "") -> tuple[str, str]:
    """(ARN, the value now in place) of secret `name`: the value already there when `valid` accepts it, else
    `make()`'s, written (the secret created, or restored when it was scheduled for deletion)."""
    sm = client("secretsmanager")
    try:
        described = sm.describe_secret(SecretId=name)
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "ResourceNotFoundException":
            raise
        value = make()
        try:
            return str(sm.create_secret(Name=name, SecretString=value, Description=description)["ARN"]), value
        except ClientError as again:  # another cloud created it meanwhile: judge what it wrote
            if again.response["Error"]["Code"] != "ResourceExistsException":
                raise
            described = sm.describe_secret(SecretId=name)
    arn = str(described["ARN"])
    if described.get("DeletedDate"):
        sm.restore_secret(SecretId=arn)
    try:
        current: str | None = str(sm.get_secret_value(SecretId=arn).get("SecretString") or "")
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "ResourceNotFoundException":  # a secret with no value yet
            raise
        current = None
    if current and valid(current):
        return arn, current
    value = make()
    sm.put_secret_value(SecretId=arn, SecretString=value)
    return arn, value


def _json_object(raw: str) -> dict[str, Any] | None:
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _signing_key_ok(raw: str) -> bool:
    """The deploy-time placeholder (the auth function replaces it with a keypair on first use) or a usable key."""
    from radar.sessions.tokens import SigningKey, SigningKeyUnusable

    try:
        SigningKey.from_secret(raw)
    except SigningKeyUnusable:
        return False
    return True


def _public_keys_ok(raw: str) -> bool:
    """The placeholder (a generated string) or `{"keys": [...]}` as the auth function publishes it."""
    if not raw.lstrip().startswith("{"):
        return True
    value = _json_object(raw)
    return value is not None and isinstance(value.get("keys"), list)


# The application's own readers, for the secrets whose valid values are not the template's generated shape.
_CHECKS: dict[str, Callable[[str], bool]] = {"SigningKeySecret": _signing_key_ok, "PublicKeysSecret": _public_keys_ok}


def template_secret_check(logical_id: str, props: dict[str, Any]) -> Callable[[str], bool]:
    """What a valid value of a template's secret is: the template's literal SecretString itself; for a generated JSON
    secret (SecretStringTemplate), an object with every key of the template, strings (an operator fills them); the
    application's reader for the token keys; else any non-empty string."""
    if props.get("SecretString") is not None:
        literal = str(props["SecretString"])
        return lambda raw: raw == literal
    if logical_id in _CHECKS:
        return _CHECKS[logical_id]
    template = (props.get("GenerateSecretString") or {}).get("SecretStringTemplate")
    if template:
        keys = set(json.loads(template))

        def shaped(raw: str) -> bool:
            value = _json_object(raw)
            return value is not None and all(isinstance(value.get(k), str) for k in keys)

        return shaped
    return lambda raw: bool(raw.strip())
