"""Tenant lifecycle: signup (tenant, admin, usage key, first session), the tenant view, plan changes, deletion."""

from __future__ import annotations

import uuid
from typing import Any

from radar.accounts import passwords
from radar.accounts.errors import EmailTaken
from radar.accounts.models import TenantItem, UserItem, user_sk
from radar.accounts.repository import TenantRepository, UserRepository
from radar.accounts.service import user_view
from radar.audit import record_event
from radar.audit.models import DeletedTenantItem
from radar.audit.service import new_deletion_record
from radar.billing.service import BillingService
from radar.context import TenantContext
from radar.gateway_keys import GatewayKeys
from radar.observability import logger
from radar.sessions.service import SessionService
from radar.tables import tenant_pk
from radar.tenants.deletion import PurgeQueue
from radar.tenants.errors import NoDeletionJob, TenantNotFound
from radar.tenants.repository import DeletionRepository
from radar.tenants.schemas import DeletionJobView, SignupResponse, TenantView, TierLimits
from radar.tiers import load_tiers
from radar.timestamps import utc_iso

__all__ = ["TenantService", "deletion_view", "tenant_view"]


def tenant_view(tenant: TenantItem) -> TenantView:
    tier = load_tiers().get(tenant.plan)
    return TenantView(
        tenant_id=tenant.tenant_id,
        name=tenant.name,
        plan=tenant.plan,
        limits=TierLimits.model_validate(tier.limits()),
        created_at=tenant.created_at,
    )


class TenantService:
    """Each method takes the tenant only from the caller's TenantContext (signup creates it)."""

    def __init__(
        self,
        *,
        billing: BillingService,
        gateway_keys: GatewayKeys,
        sessions: SessionService,
        tenants: TenantRepository,
        users: UserRepository,
        deletions: DeletionRepository,
        purge_queue: PurgeQueue,
    ) -> None:
        self.billing = billing
        self.gateway_keys = gateway_keys
        self.sessions = sessions
        self.tenants = tenants
        self.users = users
        self.deletions = deletions
        self.purge_queue = purge_queue

    def signup(self, tenant_name: str, email: str, password: str, event: dict[str, Any]) -> SignupResponse:
        passwords.require_strong_password(password)
        if self.users.email_exists(email):
            raise EmailTaken()
        tiers = load_tiers()
        plan = tiers.default_plan
        tenant_id, user_id = uuid.uuid4().hex, uuid.uuid4().hex
        password_hash = passwords.hash_password(password)
        usage_key_id, usage_key_value = self.gateway_keys.create(tenant_id, plan)
        now = utc_iso(timespec="microseconds")
        tenant = TenantItem(
            tenant_pk(tenant_id),
            "TENANT",
            tenant_id=tenant_id,
            name=tenant_name,
            plan=plan,
            usage_key_id=usage_key_id,
            usage_key_value=usage_key_value,
            retention_days=tiers.get(plan).retention_days,
            created_at=now,
        )
        admin = UserItem(
            tenant_pk(tenant_id),
            user_sk(user_id),
            user_id=user_id,
            email=email,
            role="admin",
            password_hash=password_hash,
            failed_logins=0,
            created_at=now,
        )
        try:
            self.tenants.create_with_admin(tenant, admin)
        except Exception:
            # Nothing else was written; do not leave an orphan usage key behind.
            self.gateway_keys.delete(usage_key_id)
            raise
        ctx = TenantContext(tenant_id, user_id, "user", "admin", plan)
        record_event(event, ctx, "auth.signup", f"tenant/{tenant_id}")
        tokens = self.sessions.issue(admin, tenant_id)
        return SignupResponse(tenant=tenant_view(tenant), user=user_view(admin), tokens=tokens)

    def _tenant(self, ctx: TenantContext) -> TenantItem:
        tenant = self.tenants.get(ctx.tenant_id)
        if tenant is None:
            raise TenantNotFound()
        return tenant

    def get_tenant(self, ctx: TenantContext) -> TenantView:
        ctx.require("admin")
        return tenant_view(self._tenant(ctx))

    def change_plan(self, ctx: TenantContext, plan: str, event: dict[str, Any]) -> TenantView:
        """Downgrades only (radar.billing.service.BillingService.downgrade): an upgrade is paid for at checkout."""
        change = self.billing.downgrade(ctx, plan, event)
        view = tenant_view(self._tenant(ctx))
        return view.model_copy(update={"pending_plan": change.pending_plan, "pending_at": change.pending_at})

    def delete_tenant(self, ctx: TenantContext, event: dict[str, Any]) -> DeletionJobView:
        """Start the tenant's deletion: write the job (its tombstone: every credential stops at once) and queue the
        purge (radar.tenants.deletion). A repeated DELETE answers the same job (and re-queues one never started)."""
        ctx.require("admin")
        job = self.deletions.get(ctx.tenant_id)
        if job is None:
            tenant = self._tenant(ctx)
            record = new_deletion_record(event, ctx, job_id=uuid.uuid4().hex, plan=tenant.plan,
                                         usage_key_id=tenant.usage_key_id)
            job = record if self.deletions.create(record) else self.deletions.get(ctx.tenant_id)
            if job is None:  # pragma: no cover - created by a concurrent DELETE and gone already is impossible
                raise TenantNotFound()
            logger.info("tenant deletion requested", extra={"tenant_id": ctx.tenant_id, "job_id": job.job_id})
        if job.status == "queued":
            self.purge_queue.send(ctx.tenant_id, str(job.job_id))
        return deletion_view(job)

    def deletion_status(self, ctx: TenantContext) -> DeletionJobView:
        ctx.require("admin")
        job = self.deletions.get(ctx.tenant_id)
        if job is None or not job.job_id:
            raise NoDeletionJob()
        return deletion_view(job)


def deletion_view(job: DeletedTenantItem) -> DeletionJobView:
    counts = {name: int(n) for name, n in (job.counts or {}).items()}
    return DeletionJobView(
        job_id=str(job.job_id),
        tenant_id=str(job.tenant_id),
        status=str(job.status),
        requested_at=str(job.time),
        started_at=job.started_at,
        finished_at=job.finished_at,
        items_removed=counts,
        items_removed_total=sum(counts.values()),
        sweeps=int(job.sweeps or 0),
    )
