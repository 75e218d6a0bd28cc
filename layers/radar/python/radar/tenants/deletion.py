"""The tenant purge: a queue-driven job that removes every item of a deleted tenant in pages, from a checkpoint.

DELETE /tenant writes the job (the DELETED_TENANT record, which is also the tombstone the authorizer reads) and
queues one message. Each invocation takes the job's lease, runs a bounded number of steps, and queues the next
message. A step is one page: read up to `page_size` items of one kind (consistent queries of the tenant's own
partitions, so a deleted item never shows again), save them as the job's pending page, delete them, then save the
page as done with its counts. A crash anywhere resumes from the last save: a pending page is deleted again (deletes
are idempotent) and counted once. After every kind, a verification pass reads the tenant's partitions again (a
write that raced the purge costs one more sweep); then the tenant item, then the gateway usage key, and only then
the record says success.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from radar.audit.models import DeletedTenantItem, audit_pk
from radar.gateway_keys import GatewayKeys
from radar.observability import logger
from radar.tables import tenant_pk
from radar.tenants.repository import DeletionRepository, Key
from radar.timestamps import utc_iso

__all__ = ["KINDS", "Kind", "PurgeQueue", "TenantPurge", "idempotency_prefix", "kind_of"]


def idempotency_prefix(tenant_id: str) -> str:
    """The id prefix of the tenant's idempotency records (radar.checks.idempotency's key prefix)."""
    return f"checks.create#{tenant_id}#"


def _email_claim(item: dict[str, Any], tenant_id: str) -> list[Key]:
    email = item.get("email")
    return [{"pk": f"EMAIL#{str(email).lower()}", "sk": "EMAIL", "tenant_id": tenant_id}] if email else []


def _key_pointer(item: dict[str, Any], tenant_id: str) -> list[Key]:
    key_hash = item.get("key_hash")
    return [{"pk": f"APIKEYHASH#{key_hash}", "sk": "APIKEY", "tenant_id": tenant_id}] if key_hash else []


def _customer_link(item: dict[str, Any], tenant_id: str) -> list[Key]:
    customer = item.get("customer_id")
    return [{"pk": f"BILLINGCUSTOMER#{customer}", "sk": "CUSTOMER", "tenant_id": tenant_id}] if customer else []


@dataclass(frozen=True)
class Kind:
    """One kind of tenant item: where it lives (sk `exact` or `prefix` in the tenant's partition, or the audit
    partition) and the items outside the tenant's partitions that point at it (deleted with it)."""

    name: str
    prefix: str = ""
    exact: str | None = None
    audit: bool = False
    scan: bool = False  # the idempotency table
    related: Callable[[dict[str, Any], str], list[Key]] | None = None


# Every item a tenant owns (docs/architecture.md, Tables), in purge order: billing first (its subscription is
# cancelled before anything else goes), the tenant's users, sessions and keys late, "other" sweeps whatever else the
# tenant's partition holds except the tenant item, which goes last of all.
KINDS: tuple[Kind, ...] = (
    Kind("billing", exact="BILLING", related=_customer_link),
    Kind("checks", prefix="CHECK#"),
    Kind("batches", prefix="BATCH#"),
    Kind("targets", prefix="TARGET#"),
    Kind("cnpj_locks", prefix="TARGETCNPJ#"),
    Kind("usage", prefix="USAGE#"),
    Kind("idempotency", scan=True),
    Kind("audit", audit=True),
    Kind("api_keys", prefix="APIKEY#", related=_key_pointer),
    Kind("refresh_tokens", prefix="REFRESH#"),
    Kind("sessions", prefix="SESSION#"),
    Kind("users", prefix="USER#", related=_email_claim),
    Kind("other"),
)
_VERIFY, _TENANT, _GATEWAY_KEY, _FINISH = range(len(KINDS), len(KINDS) + 4)
_TENANT_SK = "TENANT"


def kind_of(sk: str) -> Kind:
    """The kind an item of the tenant's partition is, by its sort key ("other" when none claims it)."""
    for kind in KINDS:
        if kind.exact is not None and sk == kind.exact:
            return kind
        if kind.prefix and sk.startswith(kind.prefix):
            return kind
    return KINDS[-1]


class PurgeQueue:
    """Sends the purge its next message: {"tenant_id", "job_id"}."""

    def __init__(self, queue_url: str, client: Any = None) -> None:
        self.queue_url = queue_url
        self._client = client

    def send(self, tenant_id: str, job_id: str, *, delay_seconds: int = 0) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        from radar.aws import client as aws_client
        from radar.errors import DependencyUnavailable

        sqs = self._client or aws_client("sqs")
        try:
            sqs.send_message(QueueUrl=self.queue_url, MessageBody=json.dumps({"tenant_id": tenant_id,
                                                                              "job_id": job_id}),
                             DelaySeconds=max(0, min(int(delay_seconds), 900)))
        except (BotoCoreError, ClientError) as exc:
            raise DependencyUnavailable("could not queue the tenant purge", details={"dependency": "purge_queue"}
                                        ) from exc


class _LostLease(Exception):
    """Another invocation saved the job since this one read it."""


class TenantPurge:
    def __init__(
        self,
        *,
        repository: DeletionRepository,
        gateway_keys: GatewayKeys,
        queue: PurgeQueue,
        cancel_subscription: Callable[[str], None],
        page_size: int = 25,
        pages_per_run: int = 20,
        lease_seconds: int = 120,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.repository = repository
        self.gateway_keys = gateway_keys
        self.queue = queue
        self.cancel_subscription = cancel_subscription
        self.page_size = page_size
        self.pages_per_run = pages_per_run
        self.lease_seconds = lease_seconds
        self.clock = clock

    # -- one message ---------------------------------------------------------------------------------------
    def handle(self, tenant_id: str, job_id: str, *, remaining_ms: Callable[[], int] | None = None) -> str:
        """Run the job for a while: "done", "continued" (the next message is queued), "deferred" (another
        invocation holds the lease: a delayed message comes back for it) or "ignored" (no such job)."""
        job = self.repository.get(tenant_id)
        if job is None or job.job_id != job_id:
            return "ignored"
        if job.status == "succeeded":
            return "done"
        owner = uuid.uuid4().hex
        # An invocation cannot outlive its function's timeout, so its lease never needs to outlast it either.
        lease = self._lease_for(remaining_ms)
        if not self._take_lease(job, owner, lease):
            wait = int(job.lease_until - self.clock()) + 1
            self.queue.send(tenant_id, job_id, delay_seconds=wait)
            return "deferred"
        try:
            for _ in range(self.pages_per_run):
                if not self.step(job, lease):
                    return "done"
                if remaining_ms is not None and remaining_ms() < 5_000:
                    break
            job.lease_owner, job.lease_until = None, 0
            self._save(job, lease)
        except _LostLease:
            return "deferred"  # whoever saved it carries on
        self.queue.send(tenant_id, job_id)
        return "continued"

    def _lease_for(self, remaining_ms: Callable[[], int] | None) -> Callable[[], float]:
        """How long each save of this invocation holds the job: the configured lease, or less when the
        invocation ends sooner (asked at each save, since the time left shrinks)."""
        if remaining_ms is None:
            return lambda: float(self.lease_seconds)
        return lambda: max(1.0, min(float(self.lease_seconds), remaining_ms() / 1000 + 1))

    def _take_lease(self, job: DeletedTenantItem, owner: str, lease: Callable[[], float]) -> bool:
        now = self.clock()
        if job.lease_owner and job.lease_until > now:
            return False
        job.lease_owner, job.lease_until = owner, int(now + lease())
        if job.status != "running":
            job.status = "running"
            job.started_at = job.started_at or utc_iso(timespec="milliseconds")
        return self.repository.save(job)

    def _save(self, job: DeletedTenantItem, lease: Callable[[], float]) -> None:
        if job.lease_owner:
            job.lease_until = int(self.clock() + lease())
        if not self.repository.save(job):
            raise _LostLease()

    # -- one step ------------------------------------------------------------------------------------------
    def step(self, job: DeletedTenantItem, lease: Callable[[], float] | None = None) -> bool:
        """One bounded unit of work, ending with one save of the job (held for `lease()` seconds, by default
        the configured lease); False once the job has succeeded."""
        lease = lease or self._lease_for(None)
        tid, at = str(job.tenant_id), int(job.step)
        if job.page:
            self.repository.delete(list(job.page["keys"]))
            counts = dict(job.counts or {})
            for name, count in job.page["counts"].items():
                counts[name] = counts.get(name, 0) + int(count)
            job.counts, job.page = counts, None
            job.items_deleted = sum(counts.values())
        elif at < len(KINDS):
            self._read_page(job, KINDS[at], tid)
        elif at == _VERIFY:
            left = self.repository.page(tenant_pk(tid), limit=1, skip_sk=_TENANT_SK)
            left += self.repository.page(audit_pk(tid), limit=1)
            if left:
                logger.warning("tenant items appeared during the purge; sweeping again",
                               extra={"tenant_id": tid, "sweep": job.sweeps + 1})
                job.step, job.sweeps = 0, job.sweeps + 1
            else:
                job.step += 1
        elif at == _TENANT:
            if self.repository.page(tenant_pk(tid), exact=_TENANT_SK, limit=1):
                job.page = {"keys": [{"pk": tenant_pk(tid), "sk": _TENANT_SK}], "counts": {"tenant": 1}}
            else:
                job.step += 1
        elif at == _GATEWAY_KEY:
            if job.usage_key_id:
                self.gateway_keys.delete(job.usage_key_id)
            job.step += 1
        else:
            job.status, job.outcome = "succeeded", "success"
            job.finished_at = utc_iso(timespec="milliseconds")
            job.lease_owner, job.lease_until = None, 0
            self._save(job, lease)
            logger.info("tenant purged", extra={"tenant_id": tid, "items_deleted": job.items_deleted})
            return False
        self._save(job, lease)
        return True

    def _read_page(self, job: DeletedTenantItem, kind: Kind, tid: str) -> None:
        if kind.scan:
            found, cursor = self.repository.scan_idempotency(idempotency_prefix(tid), job.cursor, self.page_size)
            if found:
                job.page = {"keys": found, "counts": {kind.name: len(found)}}
            job.cursor = cursor
            if cursor is None:
                job.step += 1
            return
        if kind.audit:
            items = self.repository.page(audit_pk(tid), limit=self.page_size)
        elif kind.name == "other":
            items = self.repository.page(tenant_pk(tid), limit=self.page_size, skip_sk=_TENANT_SK)
        else:
            items = self.repository.page(tenant_pk(tid), prefix=kind.prefix, exact=kind.exact, limit=self.page_size)
        if not items:
            job.step += 1
            return
        if kind.name == "billing" and not job.subscription_cancelled:
            subscription = items[0].get("subscription_id")
            if subscription and items[0].get("subscription_status") != "canceled":
                self.cancel_subscription(str(subscription))
            job.subscription_cancelled = True
        keys: list[Key] = []
        counts: dict[str, int] = {}
        for item in items:
            owner = kind_of(str(item["sk"])) if kind.name == "other" else kind
            keys.append({"pk": str(item["pk"]), "sk": str(item["sk"])})
            if owner.related:
                keys.extend(owner.related(item, tid))
            counts[owner.name] = counts.get(owner.name, 0) + 1
        job.page = {"keys": keys, "counts": counts}
