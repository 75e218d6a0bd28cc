"""Authorizer pieces that need no storage: the cacheable wildcard policy resource, credentials, the decision cache."""

from __future__ import annotations

import pytest

from radar.apikeys.keys import api_key_hash
from radar.authorizer.service import DecisionCache, Identity, _credential, wildcard_resource
from radar.errors import Unauthorized
from radar.tiers import load_tiers

IDENTITY = Identity("t1", "p1", "user", "viewer", "free", "usage-key-value")


def test_wildcard_resource_covers_every_route_of_the_stage():
    arn = "arn:aws:execute-api:sa-east-1:123456789012:abc123/v1/POST/targets/{id}/checks"
    assert wildcard_resource(arn) == "arn:aws:execute-api:sa-east-1:123456789012:abc123/v1/*/*"


@pytest.mark.parametrize("arn", ["", "arn:aws:s3:::bucket/v1/GET/x", "arn:aws:execute-api:us-east-1:1:abc", "junk/v1"])
def test_malformed_method_arn_is_unauthorized(arn: str):
    with pytest.raises(Unauthorized):
        wildcard_resource(arn)


def test_credentials_from_either_header_case_insensitively():
    assert _credential({"headers": {"X-Api-Key": " rdr_abc "}}) == ("api_key", "rdr_abc")
    assert _credential({"headers": {"authorization": "bearer tok.en.x"}}) == ("bearer", "tok.en.x")
    assert _credential({"headers": {"Authorization": "Bearer t", "x-api-key": "k"}}) == ("api_key", "k")
    for headers in ({}, {"Authorization": "Basic dXNlcjpwdw=="}, {"Authorization": "Bearer "}, {"x-api-key": ""}):
        with pytest.raises(Unauthorized):
            _credential({"headers": headers})
    with pytest.raises(Unauthorized):
        _credential({"headers": None})


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_cache_keeps_allows_and_denials_until_the_ttl():
    clock = _Clock()
    cache = DecisionCache(60, clock=clock)
    cache.put("allow", IDENTITY)
    cache.put("deny", None)

    clock.now += 59
    assert cache.get("allow") == (True, IDENTITY) and cache.get("deny") == (True, None)
    clock.now += 1
    assert cache.get("allow") == (False, None) and cache.get("deny") == (False, None)


def test_cache_never_outlives_a_shorter_token_lifetime_and_ttl_zero_disables_it():
    clock = _Clock()
    cache = DecisionCache(60, clock=clock)
    cache.put("short", IDENTITY, ttl=5)
    clock.now += 5
    assert cache.get("short") == (False, None)

    off = DecisionCache(0, clock=clock)
    off.put("k", IDENTITY)
    assert off.get("k") == (False, None)


def test_cache_is_bounded_and_evicts_the_oldest():
    cache = DecisionCache(60, max_entries=2, clock=_Clock())
    for key in ("a", "b", "c"):
        cache.put(key, IDENTITY)
    assert cache.get("a") == (False, None) and cache.get("c") == (True, IDENTITY)


def test_identity_context_has_exactly_the_contract_keys():
    assert IDENTITY.context() == {
        "tenant_id": "t1",
        "principal_id": "p1",
        "principal_type": "user",
        "role": "viewer",
        "plan": "free",
        "upgrade_plan": "pro",
        "upgrade_offer": load_tiers().offer("free"),
        "denial": "forbidden",
    }
    assert "Pro" in IDENTITY.context()["upgrade_offer"] and '"' not in IDENTITY.context()["upgrade_offer"]


def test_a_denial_is_cached_for_seconds_not_the_full_ttl():
    """Caught: "no such key" was cached for the full 60 s, so a key the authorizer looked up a moment before it was
    written (or while the index lagged) stayed refused for a minute."""
    from types import SimpleNamespace

    from radar.authorizer.service import DENIAL_TTL_SECONDS, Authorizer

    clock = _Clock()
    key = "rdr_" + "k" * 43
    found: dict[str, object] = {}
    api_keys = SimpleNamespace(
        find_by_hash=lambda _hash: found.get("item"), touch_last_used=lambda *a, **k: True
    )
    tenants = SimpleNamespace(get=lambda _tid: SimpleNamespace(plan="free", usage_key_value="uk"))
    authorizer = Authorizer(
        lambda _kid: None,
        cache=DecisionCache(60, clock=clock),
        tenants=tenants,  # type: ignore[arg-type]
        users=SimpleNamespace(),  # type: ignore[arg-type]
        api_keys=api_keys,  # type: ignore[arg-type]
        sessions=SimpleNamespace(),  # type: ignore[arg-type]
        deletions=SimpleNamespace(deletion_record=lambda *_a, **_k: None),  # type: ignore[arg-type]
    )
    event = {"methodArn": "arn:aws:execute-api:us-east-1:1:abc/v1/GET/targets", "headers": {"x-api-key": key}}
    with pytest.raises(Unauthorized):
        authorizer.authorize(event)
    found["item"] = SimpleNamespace(revoked=False, tenant_id="t1", key_id="k1", role="viewer")

    clock.now += DENIAL_TTL_SECONDS
    assert authorizer.authorize(event)["context"]["tenant_id"] == "t1"
    assert DENIAL_TTL_SECONDS <= 5


def _key_authorizer(tombstones: dict[str, object], reads: list[str]) -> object:
    from types import SimpleNamespace

    from radar.authorizer.service import Authorizer

    def deletion_record(tenant_id: str, *, tombstone_only: bool = False) -> object:
        assert tombstone_only  # the per-request read is the small one
        reads.append(tenant_id)
        return tombstones.get(tenant_id)

    keys = {"rdr_" + "a" * 43: ("k-admin", "admin"), "rdr_" + "b" * 43: ("k-other", "viewer")}
    api_keys = SimpleNamespace(
        find_by_hash=lambda digest: next(
            (SimpleNamespace(revoked=False, tenant_id="t1", key_id=kid, role=role)
             for key, (kid, role) in keys.items() if api_key_hash(key) == digest), None),
        touch_last_used=lambda *a, **k: True,
    )
    return Authorizer(
        lambda _kid: None,
        cache=DecisionCache(60, clock=_Clock()),
        tenants=SimpleNamespace(get=lambda _tid: SimpleNamespace(plan="pro", usage_key_value="uk")),  # type: ignore[arg-type]
        users=SimpleNamespace(),  # type: ignore[arg-type]
        api_keys=api_keys,  # type: ignore[arg-type]
        sessions=SimpleNamespace(),  # type: ignore[arg-type]
        deletions=SimpleNamespace(deletion_record=deletion_record),  # type: ignore[arg-type]
    )


def test_a_tombstone_refuses_the_tenant_at_once_despite_a_cached_allow():
    """Caught: a deleted tenant's credentials kept working for the authorizer's 60 s decision cache (and DELETE
    /tenant removed the usage key first, so nothing could be retried)."""

    tombstones: dict[str, object] = {}
    reads: list[str] = []
    authorizer = _key_authorizer(tombstones, reads)
    arn = "arn:aws:execute-api:us-east-1:1:abc/v1/GET/targets"
    admin = {"methodArn": arn, "headers": {"x-api-key": "rdr_" + "a" * 43}}
    other = {"methodArn": arn, "headers": {"x-api-key": "rdr_" + "b" * 43}}
    for event in (admin, other):
        allowed = authorizer.authorize(event)  # type: ignore[attr-defined]
        assert allowed["policyDocument"]["Statement"][0]["Effect"] == "Allow"
        assert allowed["context"]["denial"] == "forbidden"

    from radar.audit.models import DeletedTenantItem

    tombstones["t1"] = DeletedTenantItem(actor="k-admin", principal_type="api_key", plan="pro", status="queued")

    denied = authorizer.authorize(other)  # type: ignore[attr-defined]  # the cached allow is not trusted
    assert denied["context"]["denial"] == "tenant_deleted"
    assert denied["policyDocument"]["Statement"] == [
        {"Action": "execute-api:Invoke", "Effect": "Deny", "Resource": "arn:aws:execute-api:us-east-1:1:abc/v1/*/*"}
    ]
    deleting = authorizer.authorize(admin)  # type: ignore[attr-defined]
    (statement,) = deleting["policyDocument"]["Statement"]
    assert statement["Effect"] == "Allow" and sorted(statement["Resource"]) == [
        "arn:aws:execute-api:us-east-1:1:abc/v1/DELETE/tenant",
        "arn:aws:execute-api:us-east-1:1:abc/v1/GET/tenant/deletion",
    ]
    assert deleting["context"]["denial"] == "tenant_deleted"
    assert reads == ["t1"] * 4  # one tombstone read per request, cached decision or not
