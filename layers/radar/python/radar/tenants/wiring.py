"""Composition: build the auth function's services (tenants, sessions, users, API keys) from its environment."""

from __future__ import annotations

from dataclasses import dataclass

from radar.accounts.repository import LoginSourceRepository, TenantRepository, UserRepository
from radar.accounts.service import UserService
from radar.apikeys.repository import ApiKeyRepository
from radar.apikeys.service import ApiKeyService
from radar.billing.service import BillingService
from radar.gateway_keys import GatewayKeys
from radar.sessions.repository import RefreshTokenRepository, SessionRepository
from radar.sessions.service import SessionService
from radar.sessions.tokens import SigningKeyStore
from radar.tenants.service import TenantService
from radar.tenants.settings import AuthEnv

__all__ = ["AuthServices", "build_auth_services"]


@dataclass(frozen=True)
class AuthServices:
    tenants: TenantService
    sessions: SessionService
    users: UserService
    api_keys: ApiKeyService
    billing: BillingService


def build_auth_services(env: AuthEnv) -> AuthServices:
    tenants, users = TenantRepository(), UserRepository()
    sessions = SessionService(
        signing_keys=SigningKeyStore(env.signing_key_secret_arn, env.public_keys_secret_arn),
        users=users,
        tenants=tenants,
        refresh_tokens=RefreshTokenRepository(),
        sessions=SessionRepository(),
        login_sources=LoginSourceRepository(),
        access_token_ttl_seconds=env.sessions.access_token_ttl_seconds,
    )
    gateway_keys = GatewayKeys(env.usage_plan_ids)
    billing = BillingService(settings=env.billing, tenants=tenants, gateway_keys=gateway_keys)
    key_store = ApiKeyRepository()
    api_keys = ApiKeyService(key_store)
    return AuthServices(
        tenants=TenantService(
            billing=billing,
            gateway_keys=gateway_keys,
            sessions=sessions,
            tenants=tenants,
            users=users,
            api_keys=key_store,
        ),
        sessions=sessions,
        users=UserService(users, tenants, revoke_keys_created_by=api_keys.revoke_created_by),
        api_keys=api_keys,
        billing=billing,
    )
