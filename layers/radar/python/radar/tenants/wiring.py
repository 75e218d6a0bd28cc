"""Composition: build the auth function's services (tenants, sessions, users, API keys) from its environment."""

from __future__ import annotations

from dataclasses import dataclass

from radar.accounts.repository import LoginSourceRepository, TenantRepository, UserRepository
from radar.accounts.service import UserService
from radar.apikeys.repository import ApiKeyRepository
from radar.apikeys.service import ApiKeyService
from radar.audit.repository import AuditRepository
from radar.billing.service import BillingService
from radar.gateway_keys import GatewayKeys
from radar.sessions.repository import RefreshTokenRepository, SessionRepository
from radar.sessions.service import SessionService
from radar.sessions.tokens import SigningKeyStore
from radar.tenants.deletion import PurgeQueue, TenantPurge
from radar.tenants.repository import DeletionRepository
from radar.tenants.service import TenantService
from radar.tenants.settings import AuthEnv, PurgeEnv

__all__ = ["AuthServices", "build_auth_services", "build_billing_sweep", "build_purge"]


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
        deletions=AuditRepository(),
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
            deletions=DeletionRepository(),
            purge_queue=PurgeQueue(env.purge_queue_url),
        ),
        sessions=sessions,
        users=UserService(users, tenants, revoke_keys_created_by=api_keys.revoke_created_by),
        api_keys=api_keys,
        billing=billing,
    )


def build_purge(env: PurgeEnv) -> TenantPurge:
    """The purge function's job runner."""
    gateway_keys = GatewayKeys(env.usage_plan_ids)
    billing = BillingService(settings=env.billing, tenants=TenantRepository(), gateway_keys=gateway_keys)
    return TenantPurge(
        repository=DeletionRepository(idempotency_table=env.idempotency_table),
        gateway_keys=gateway_keys,
        queue=PurgeQueue(env.purge.purge_queue_url),
        cancel_subscription=billing.cancel_subscription,
        page_size=env.purge.page_size,
        pages_per_run=env.purge.pages_per_run,
        lease_seconds=env.purge.lease_seconds,
    )


def build_billing_sweep(env: PurgeEnv) -> BillingService:
    """The purge function's scheduled entry: billing's hourly sweep of what fell due (radar.billing)."""
    return BillingService(settings=env.billing, tenants=TenantRepository(),
                          gateway_keys=GatewayKeys(env.usage_plan_ids))
