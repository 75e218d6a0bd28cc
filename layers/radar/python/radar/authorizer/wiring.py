"""Composition: build the authorizer function's Authorizer from its environment."""

from __future__ import annotations

from radar.accounts.repository import TenantRepository, UserRepository
from radar.apikeys.repository import ApiKeyRepository
from radar.audit.repository import AuditRepository
from radar.authorizer.service import Authorizer, DecisionCache
from radar.authorizer.settings import AuthorizerEnv
from radar.sessions.repository import SessionRepository
from radar.sessions.tokens import PublicKeySource

__all__ = ["build_authorizer"]


def build_authorizer(env: AuthorizerEnv) -> Authorizer:
    return Authorizer(
        PublicKeySource(env.public_keys_secret_arn),
        cache=DecisionCache(env.auth_cache_ttl_seconds),
        tenants=TenantRepository(),
        users=UserRepository(),
        api_keys=ApiKeyRepository(),
        sessions=SessionRepository(),
        deletions=AuditRepository(),
    )
