"""Auth through the gateway: token attacks, refresh rotation and reuse, revocation within the authorizer cache TTL."""

from __future__ import annotations

import base64
import json
import time

import boto3
import httpx

from radar.sessions.tokens import SigningKey, issue_access_token
from tests.e2e.conftest import AUTH_CACHE_TTL_SECONDS
from tests.support.cloud import RunningCloud, Tenant


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def _claims(token: str) -> dict[str, object]:
    payload = token.split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))


def _status(cloud: RunningCloud, token: str) -> int:
    return httpx.get(f"{cloud.api_url}/targets", headers={"Authorization": f"Bearer {token}"}, timeout=30).status_code


def _signing_key(cloud: RunningCloud) -> SigningKey:
    """The deployment's real signing key, read from the emulator: lets the test mint an *expired* genuine token."""
    arn = cloud.resource("SigningKeySecret")["ref"]
    raw = boto3.client("secretsmanager").get_secret_value(SecretId=arn)["SecretString"]
    key = SigningKey.from_secret(raw)
    assert key is not None
    return key


def test_token_attacks_are_rejected_at_the_gateway(cloud: RunningCloud, tenant: Tenant, other_tenant: Tenant) -> None:
    assert _status(cloud, tenant.access_token) == 200
    header, payload, signature = tenant.access_token.split(".")
    claims = _claims(tenant.access_token)
    forged_tenant = f"{header}.{_b64(claims | {'tid': other_tenant.tenant_id})}.{signature}"
    forged_role = f"{header}.{_b64(claims | {'role': 'admin', 'sub': 'someone-else'})}.{signature}"
    alg_none = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{payload}."
    hs256 = f"{_b64({'alg': 'HS256', 'typ': 'JWT', 'kid': 'x'})}.{payload}.{signature}"
    expired, _ = issue_access_token(
        _signing_key(cloud),
        tenant_id=tenant.tenant_id,
        user_id=str(claims["sub"]),
        role="admin",
        now=time.time() - 3600,
    )
    for attack in (forged_tenant, forged_role, alg_none, hs256, expired, tenant.access_token[:-4] + "AAAA"):
        assert _status(cloud, attack) == 401, attack[:40]


def test_refresh_rotates_and_reuse_revokes_the_whole_family(cloud: RunningCloud, tenant: Tenant) -> None:
    url = f"{cloud.api_url}/auth/refresh"
    first = httpx.post(url, json={"refresh_token": tenant.refresh_token}, timeout=30)
    assert first.status_code == 200, first.text
    rotated = first.json()
    assert rotated["refresh_token"] != tenant.refresh_token
    reuse = httpx.post(url, json={"refresh_token": tenant.refresh_token}, timeout=30)
    assert reuse.status_code == 401
    # The reuse revoked the family: the token issued by the rotation is dead too.
    assert httpx.post(url, json={"refresh_token": rotated["refresh_token"]}, timeout=30).status_code == 401
    audit = httpx.get(f"{cloud.api_url}/audit", headers=tenant.key("admin"), timeout=30).json()
    assert any("reuse" in event["action"] for event in audit["items"])


def test_a_revoked_api_key_stops_working_within_the_authorizer_cache_ttl(cloud: RunningCloud) -> None:
    tenant = cloud.signup(plan_roles=("viewer",))
    headers = tenant.key("viewer")
    assert httpx.get(f"{cloud.api_url}/targets", headers=headers).status_code == 200  # cached as allowed now
    keys = httpx.get(f"{cloud.api_url}/api-keys", headers=tenant.bearer()).json()["items"]
    key_id = next(k["key_id"] for k in keys if k["name"] == "viewer-key")
    revoked_at = time.monotonic()
    assert httpx.delete(f"{cloud.api_url}/api-keys/{key_id}", headers=tenant.bearer()).status_code in (200, 204)
    while httpx.get(f"{cloud.api_url}/targets", headers=headers).status_code != 401:
        assert time.monotonic() - revoked_at < AUTH_CACHE_TTL_SECONDS + 3, "revoked key still works past the TTL"
        time.sleep(0.5)


def test_logout_ends_the_session_within_the_ttl(cloud: RunningCloud) -> None:
    tenant = cloud.signup(plan_roles=())
    assert _status(cloud, tenant.access_token) == 200
    out = httpx.post(
        f"{cloud.api_url}/auth/logout",
        json={"refresh_token": tenant.refresh_token},
        headers=tenant.bearer(),
        timeout=30,
    )
    assert out.status_code == 204, out.text
    started = time.monotonic()
    while _status(cloud, tenant.access_token) != 401:
        assert time.monotonic() - started < AUTH_CACHE_TTL_SECONDS + 3
        time.sleep(0.5)
