"""REQUEST authorizer logic: API key or bearer token -> cacheable wildcard policy, tenant context, usage key.

API Gateway's own result cache is off (it needs every identity source present, and we accept two
alternative headers), so decisions are cached here per credential hash for AUTH_CACHE_TTL_SECONDS
(default 60): a revoked key or a deleted user stops working within that time.

A deleted tenant stops at once: every request, cached decision or not, reads the tenant's tombstone (one consistent
GetItem of a few attributes of its DELETED_TENANT record). A tombstoned tenant's requests get a policy that allows
only the deleting admin's GET /tenant/deletion and DELETE /tenant; everything else is the gateway's 403 with the
code `tenant_deleted` (the ACCESS_DENIED response reads `denial` from the context).
"""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from radar.accounts.repository import TenantRepository, UserRepository
from radar.apikeys.keys import api_key_hash, looks_like_api_key
from radar.apikeys.repository import ApiKeyRepository
from radar.audit.repository import AuditRepository
from radar.errors import DependencyUnavailable, Unauthorized
from radar.observability import logger
from radar.sessions.errors import InvalidToken
from radar.sessions.repository import SessionRepository
from radar.sessions.service import session_is_valid
from radar.sessions.tokens import decode_access_token

__all__ = ["DELETED_TENANT_ROUTES", "DENIAL_TTL_SECONDS", "Authorizer", "DecisionCache", "Identity",
           "wildcard_resource"]

_MAX_CREDENTIAL_LENGTH = 4096
# A denial is cached only briefly: a key created a moment ago, or a just-issued token, must work at once, while a
# flood of one bad credential still costs one lookup per few seconds.
DENIAL_TTL_SECONDS = 5.0
# What the admin who deleted a tenant may still call while (and after) it is purged.
DELETED_TENANT_ROUTES = (("GET", "/tenant/deletion"), ("DELETE", "/tenant"))


@dataclass(frozen=True, slots=True)
class Identity:
    tenant_id: str
    principal_id: str
    principal_type: str
    role: str
    plan: str
    usage_key: str

    def context(self) -> dict[str, str]:
        return {
            "tenant_id": self.tenant_id,
            "principal_id": self.principal_id,
            "principal_type": self.principal_type,
            "role": self.role,
            "plan": self.plan,
            "denial": "forbidden",  # the code of the gateway's 403 (ACCESS_DENIED) body
            # The gateway's own 429 bodies name the next plan up from these (infra_cdk/api.py).
            **_upsell_context(self.plan),
        }


def _upsell_context(plan: str) -> dict[str, str]:
    from radar.tiers import load_tiers

    tiers = load_tiers()
    return {"upgrade_plan": tiers.next_plan_above(plan) or "",
            "upgrade_offer": tiers.offer(plan) or f"the {plan} plan is the largest; talk to us at {tiers.upgrade_url}"}


class DecisionCache:
    """sha256(credential) -> (deadline, identity or None for a denial); bounded, oldest evicted first."""

    def __init__(self, ttl_seconds: float, *, max_entries: int = 10_000, clock: Callable[[], float] = time.monotonic):
        self.ttl = ttl_seconds
        self._max = max_entries
        self._clock = clock
        self._entries: OrderedDict[str, tuple[float, Identity | None]] = OrderedDict()

    def get(self, key: str) -> tuple[bool, Identity | None]:
        entry = self._entries.get(key)
        if entry is None:
            return False, None
        if entry[0] <= self._clock():
            del self._entries[key]
            return False, None
        return True, entry[1]

    def put(self, key: str, identity: Identity | None, ttl: float | None = None) -> None:
        lifetime = min(self.ttl, ttl) if ttl is not None else self.ttl
        if lifetime <= 0:
            return
        self._entries[key] = (self._clock() + lifetime, identity)
        self._entries.move_to_end(key)
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)

    def clear(self) -> None:
        self._entries.clear()


def wildcard_resource(method_arn: str) -> str:
    """arn:aws:execute-api:<region>:<acct>:<apiId>/<stage>/*/* so a cached policy allows every route."""
    arn, _, path = method_arn.partition("/")
    stage = path.split("/", 1)[0]
    parts = arn.split(":")
    if len(parts) != 6 or parts[:3] != ["arn", "aws", "execute-api"] or not stage:
        raise Unauthorized("malformed method ARN")
    return f"{arn}/{stage}/*/*"


def _route_resource(wildcard: str, method: str, path: str) -> str:
    return wildcard.removesuffix("*/*") + f"{method}{path}"


def _credential(event: dict[str, Any]) -> tuple[str, str]:
    """("api_key" | "bearer", value) from the headers, case-insensitively; Unauthorized when absent."""
    headers = {str(k).lower(): v for k, v in (event.get("headers") or {}).items() if isinstance(v, str)}
    api_key = headers.get("x-api-key", "").strip()
    if api_key:
        return "api_key", api_key
    authorization = headers.get("authorization", "").strip()
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return "bearer", token.strip()
    raise Unauthorized("missing credentials")


class Authorizer:
    def __init__(
        self,
        public_key_for: Callable[[str], str | None],
        *,
        cache: DecisionCache,
        tenants: TenantRepository,
        users: UserRepository,
        api_keys: ApiKeyRepository,
        sessions: SessionRepository,
        deletions: AuditRepository | None = None,
        last_used_interval: int = 60,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.public_key_for = public_key_for
        self.cache = cache
        self.tenants = tenants
        self.users = users
        self.api_keys = api_keys
        self.sessions = sessions
        self.deletions = deletions or AuditRepository()
        self.last_used_interval = last_used_interval
        self.clock = clock

    def authorize(self, event: dict[str, Any]) -> dict[str, Any]:
        """The authorizer response; raises Unauthorized (the handler turns it into API Gateway's 401)."""
        resource = wildcard_resource(str(event.get("methodArn", "")))
        kind, credential = _credential(event)
        if len(credential) > _MAX_CREDENTIAL_LENGTH:
            raise Unauthorized("malformed credentials")
        cache_key = hashlib.sha256(f"{kind}:{credential}".encode()).hexdigest()
        hit, identity = self.cache.get(cache_key)
        if not hit:
            identity, ttl = self._resolve(kind, credential)
            self.cache.put(cache_key, identity, DENIAL_TTL_SECONDS if identity is None else ttl)
        if identity is None:
            raise Unauthorized("invalid credentials")
        context = identity.context()
        statements: list[dict[str, Any]] = [{"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": resource}]
        # Never cached: a deletion refuses every credential of the tenant at once.
        tombstone = self.deletions.deletion_record(identity.tenant_id, tombstone_only=True)
        if tombstone is not None:
            context["denial"] = "tenant_deleted"
            if tombstone.deleted_by(identity.principal_id, identity.principal_type):
                statements = [{"Action": "execute-api:Invoke", "Effect": "Allow",
                               "Resource": [_route_resource(resource, m, p) for m, p in DELETED_TENANT_ROUTES]}]
            else:
                statements = [{"Action": "execute-api:Invoke", "Effect": "Deny", "Resource": resource}]
        return {
            "principalId": identity.principal_id,
            "policyDocument": {"Version": "2012-10-17", "Statement": statements},
            "context": context,
            "usageIdentifierKey": identity.usage_key,
        }

    def _resolve(self, kind: str, credential: str) -> tuple[Identity | None, float | None]:
        """(identity or None, cache lifetime cap). Storage errors propagate: they are no denial to cache."""
        if kind == "api_key":
            return self._from_api_key(credential), None
        try:
            claims = decode_access_token(credential, self.public_key_for, now=self.clock())
        except InvalidToken:
            return None, None
        user = self.users.get(claims.tenant_id, claims.user_id)
        tenant = self.tenants.get(claims.tenant_id)
        # The token's session must be active: a logout, a detected reuse, "sign out everywhere" or a disabled user
        # ends it (one consistent read of the session item; no list of revoked ids to prune or race on).
        session = self.sessions.get(claims.tenant_id, claims.session_id) if claims.session_id else None
        if tenant is None or not session_is_valid(session, user) or user is None:
            return self._deleting_admin(claims.tenant_id, claims.user_id), claims.expires_at - self.clock()
        identity = Identity(claims.tenant_id, user.user_id, "user", user.role, tenant.plan, tenant.usage_key_value)
        # Never cache an allow past the token's own expiry.
        return identity, claims.expires_at - self.clock()

    def _deleting_admin(self, tenant_id: str, user_id: str) -> Identity | None:
        """The admin who deleted a tenant, once the purge has removed their session and user: their still valid
        access token reads the deletion job (the policy allows nothing else), until it expires."""
        tombstone = self.deletions.deletion_record(tenant_id, tombstone_only=True)
        if tombstone is None or not tombstone.deleted_by(user_id, "user"):
            return None
        return Identity(tenant_id, user_id, "user", "admin", str(tombstone.plan or "free"), "")

    def _from_api_key(self, key: str) -> Identity | None:
        if not looks_like_api_key(key):
            return None
        item = self.api_keys.find_by_hash(api_key_hash(key))
        if item is None or item.revoked:
            return None
        tenant = self.tenants.get(item.tenant_id)
        if tenant is None:
            return None
        try:
            self.api_keys.touch_last_used(
                item.tenant_id, item.key_id, now=int(self.clock()), min_interval=self.last_used_interval
            )
        except DependencyUnavailable:
            # last_used_at is bookkeeping: a failed write must not turn a valid key away.
            logger.warning("could not record API key use", extra={"tenant_id": item.tenant_id})
        return Identity(item.tenant_id, item.key_id, "api_key", item.role, tenant.plan, tenant.usage_key_value)
