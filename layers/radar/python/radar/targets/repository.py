"""Target storage: one per CNPJ per tenant (a lock item in the same transaction), newest-first list."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pynamodb.exceptions import DeleteError, DoesNotExist

from radar.errors import DependencyUnavailable
from radar.pagination import decode_cursor, encode_cursor
from radar.store import storage_errors, transaction, written
from radar.tables import tenant_pk
from radar.targets.errors import TargetExists, TargetNotFound
from radar.targets.models import TargetCnpjLockModel, TargetModel, lock_sk, target_sk
from radar.timestamps import parse_iso, utc_iso

__all__ = ["STALE_LOCK_SECONDS", "LastSuccess", "TargetRepository", "last_success_of", "new_target_id"]

# A CNPJ lock without its target after this long was left by a crashed writer: the next creator takes it over.
STALE_LOCK_SECONDS = 60
# Parallel conditional writes when a batch creates many targets at once.
_CLAIM_WORKERS = 8


@dataclass(frozen=True)
class LastSuccess:
    check_id: str | None  # None: the target has no succeeded check yet
    order: str  # the check's creation-order key (gsi1sk); "" when there is none
    digest: str | None = None  # its report's digest (None: not recorded, read the check)
    expires_at: float | None = None  # when that check expires by retention


def last_success_of(target: TargetModel) -> LastSuccess | None:
    """The pointer a target item carries; None when unknown (a target from before the pointer)."""
    if target.last_success_order is None:
        return None
    return LastSuccess(
        check_id=target.last_success_check_id or None,
        order=str(target.last_success_order),
        digest=target.last_success_digest or None,
        expires_at=float(target.last_success_expires_at) if target.last_success_expires_at is not None else None,
    )


def new_target_id() -> str:
    return f"tgt_{uuid.uuid4().hex}"


class TargetRepository:
    """Data access for targets; every key carries the tenant id."""

    def create(self, tenant_id: str, cnpj: str, *, label: str | None, tags: list[str]) -> TargetModel:
        """Target and CNPJ lock in one transaction; a duplicate CNPJ raises TargetExists with the existing id."""
        target = _new_target(tenant_id, cnpj, label=label, tags=tags)
        lock = TargetCnpjLockModel(
            tenant_pk(tenant_id), lock_sk(cnpj), target_id=target.target_id, created_at=target.created_at
        )

        def create() -> None:
            with transaction() as tx:
                tx.save(lock, condition=TargetCnpjLockModel.pk.does_not_exist())
                tx.save(target, condition=TargetModel.pk.does_not_exist())

        if not written(create):
            existing = self._lock(tenant_id, cnpj)
            if existing is None or not self._orphaned(tenant_id, existing):
                raise TargetExists(cnpj, str(existing.target_id) if existing else "")
            owner, won = self._claim(tenant_id, cnpj, str(target.target_id), stale_owner=str(existing.target_id))
            if not won:
                raise TargetExists(cnpj, owner)
            self._save_targets([target])
        return target

    def ensure_many(self, tenant_id: str, cnpjs: Sequence[str]) -> dict[str, str]:
        """CNPJ -> target id for every CNPJ: existing targets are reused, missing ones created.

        Built for batches: instead of one transaction per target it claims each CNPJ lock with a conditional
        write (in parallel), then writes the new targets 25 at a time. A concurrent creator keeps its target;
        a lock left without its target by a crash is taken over once stale.
        """
        locks = {str(lock.sk).removeprefix("TARGETCNPJ#"): lock for lock in self._batch_locks(tenant_id, cnpjs)}
        live = self._existing_target_ids(tenant_id, [str(lock.target_id) for lock in locks.values()])
        result: dict[str, str] = {}
        to_claim: list[tuple[str, str | None]] = []
        for cnpj in cnpjs:
            lock = locks.get(cnpj)
            if lock is not None and (str(lock.target_id) in live or not _stale(lock)):
                result[cnpj] = str(lock.target_id)
            else:
                to_claim.append((cnpj, str(lock.target_id) if lock is not None else None))
        new_targets = {cnpj: _new_target(tenant_id, cnpj, label=None, tags=[]) for cnpj, _ in to_claim}

        def claim(item: tuple[str, str | None]) -> tuple[str, str, bool]:
            cnpj, stale_owner = item
            owner, won = self._claim(tenant_id, cnpj, str(new_targets[cnpj].target_id), stale_owner=stale_owner)
            return cnpj, owner, won

        with ThreadPoolExecutor(max_workers=_CLAIM_WORKERS) as pool:
            claims = list(pool.map(claim, to_claim))
        won = [new_targets[cnpj] for cnpj, _, claimed in claims if claimed]
        try:
            self._save_targets(won)
        except DependencyUnavailable:
            self._release_locks(tenant_id, won)
            raise
        result.update({cnpj: owner for cnpj, owner, _ in claims})
        return result

    def get(self, tenant_id: str, target_id: str) -> TargetModel:
        try:
            return TargetModel.get(tenant_pk(tenant_id), target_sk(target_id))
        except DoesNotExist as exc:
            raise TargetNotFound(target_id) from exc

    def last_success(self, tenant_id: str, target_id: str) -> LastSuccess | None:
        """The target's newest succeeded check; None when unknown (a target from before the pointer, or gone)."""
        try:
            item = TargetModel.get(
                tenant_pk(tenant_id),
                target_sk(target_id),
                attributes_to_get=[
                    "last_success_check_id",
                    "last_success_order",
                    "last_success_digest",
                    "last_success_expires_at",
                ],
            )
        except DoesNotExist:
            return None
        return last_success_of(item)

    @staticmethod
    def key(tenant_id: str, target_id: str) -> dict[str, Any]:
        """The target's key as DynamoDB's low-level API takes it, for a caller that reads it with other items."""
        return {"pk": {"S": tenant_pk(tenant_id)}, "sk": {"S": target_sk(target_id)}}

    @staticmethod
    def from_item(item: dict[str, Any]) -> TargetModel:
        """The target from a low-level item (a batch read of `key`)."""
        return TargetModel.from_raw_data(item)

    def success_write(
        self,
        tenant_id: str,
        target_id: str,
        *,
        check_id: str,
        order: str,
        digest: str | None = None,
        expires_at: float | None = None,
    ) -> dict[str, Any]:
        """`record_success` as one TransactWriteItems `Update` entry, to commit with the check's own success (the
        two agree). Its condition fails when the target is gone or already points at a newer check."""
        target = TargetModel(tenant_pk(tenant_id), target_sk(target_id))
        actions, condition = _success_update(check_id, order, digest, expires_at)
        return {"Update": target.get_update_kwargs_from_instance(actions=actions, condition=condition)}

    def record_success(
        self,
        tenant_id: str,
        target_id: str,
        *,
        check_id: str,
        order: str,
        digest: str | None = None,
        expires_at: float | None = None,
    ) -> bool:
        """Point the target at a succeeded check unless a newer one is already there (or the target is gone).
        `updated_at` stays: this is bookkeeping, not a change the tenant made."""
        target = TargetModel(tenant_pk(tenant_id), target_sk(target_id))
        actions, condition = _success_update(check_id, order, digest, expires_at)
        return written(lambda: target.update(actions=actions, condition=condition))

    def list(self, tenant_id: str, *, limit: int, cursor: str | None) -> tuple[list[TargetModel], str | None]:
        scope = f"{tenant_id}:targets"
        start = decode_cursor(cursor, scope=scope)
        results = TargetModel.by_creation.query(
            f"{tenant_pk(tenant_id)}#TARGETS", scan_index_forward=False, limit=limit, last_evaluated_key=start
        )
        items = list(results)
        last_key: dict[str, Any] | None = results.last_evaluated_key if len(items) >= limit else None
        return items, encode_cursor(last_key, scope=scope)

    def update(self, tenant_id: str, target_id: str, *, changes: dict[str, Any]) -> TargetModel:
        target = TargetModel(tenant_pk(tenant_id), target_sk(target_id))
        actions = [getattr(TargetModel, name).set(value) for name, value in changes.items()]
        actions.append(TargetModel.updated_at.set(utc_iso()))
        if not written(lambda: target.update(actions=actions, condition=TargetModel.pk.exists())):
            raise TargetNotFound(target_id)
        return target

    def delete(self, tenant_id: str, target_id: str) -> TargetModel:
        """Delete the target and its CNPJ lock together; return what was deleted."""
        target = self.get(tenant_id, target_id)
        lock = TargetCnpjLockModel(tenant_pk(tenant_id), lock_sk(str(target.cnpj)))

        def delete() -> None:
            with transaction() as tx:
                tx.delete(target, condition=TargetModel.pk.exists())
                tx.delete(lock)

        if not written(delete):
            raise TargetNotFound(target_id)
        return target

    # -- CNPJ locks ------------------------------------------------------------------------------------------------

    def _lock(self, tenant_id: str, cnpj: str) -> TargetCnpjLockModel | None:
        try:
            return TargetCnpjLockModel.get(tenant_pk(tenant_id), lock_sk(cnpj), consistent_read=True)
        except DoesNotExist:
            return None

    def _batch_locks(self, tenant_id: str, cnpjs: Iterable[str]) -> Sequence[TargetCnpjLockModel]:
        return tuple(TargetCnpjLockModel.batch_get([(tenant_pk(tenant_id), lock_sk(c)) for c in cnpjs]))

    def _existing_target_ids(self, tenant_id: str, target_ids: Sequence[str]) -> set[str]:
        keys = [(tenant_pk(tenant_id), target_sk(t)) for t in target_ids]
        return {str(t.target_id) for t in TargetModel.batch_get(keys, attributes_to_get=["pk", "sk", "target_id"])}

    def _orphaned(self, tenant_id: str, lock: TargetCnpjLockModel) -> bool:
        return _stale(lock) and not self._existing_target_ids(tenant_id, [str(lock.target_id)])

    def _claim(self, tenant_id: str, cnpj: str, target_id: str, *, stale_owner: str | None) -> tuple[str, bool]:
        """Write the CNPJ lock for `target_id` (or take it over from `stale_owner`); (owner, whether we won)."""
        lock = TargetCnpjLockModel(tenant_pk(tenant_id), lock_sk(cnpj), target_id=target_id, created_at=utc_iso())
        free = (
            TargetCnpjLockModel.pk.does_not_exist()
            if stale_owner is None
            else TargetCnpjLockModel.target_id == stale_owner
        )
        if not written(lambda: lock.save(condition=free)):
            current = self._lock(tenant_id, cnpj)
            return (str(current.target_id) if current else ""), False
        return target_id, True

    def _save_targets(self, targets: Sequence[TargetModel]) -> None:
        with storage_errors(), TargetModel.batch_write() as writer:
            for target in targets:
                writer.save(target)

    def _release_locks(self, tenant_id: str, targets: Sequence[TargetModel]) -> None:
        for target in targets:
            lock = TargetCnpjLockModel(tenant_pk(tenant_id), lock_sk(str(target.cnpj)))
            try:
                lock.delete(condition=TargetCnpjLockModel.target_id == target.target_id)
            except DeleteError:
                continue  # someone else owns it now, or it is already gone


def _success_update(check_id: str, order: str, digest: str | None, expires_at: float | None) -> tuple[list[Any], Any]:
    """The pointer's moves, and their condition: the target exists and points at nothing newer."""
    actions: list[Any] = [
        TargetModel.last_success_check_id.set(check_id),
        TargetModel.last_success_order.set(order),
        TargetModel.last_success_digest.remove() if digest is None else TargetModel.last_success_digest.set(digest),
        TargetModel.last_success_expires_at.remove()
        if expires_at is None
        else TargetModel.last_success_expires_at.set(expires_at),
    ]
    condition = TargetModel.pk.exists() & (
        TargetModel.last_success_order.does_not_exist() | (TargetModel.last_success_order < order)
    )
    return actions, condition


def _new_target(tenant_id: str, cnpj: str, *, label: str | None, tags: list[str]) -> TargetModel:
    now = utc_iso()
    target_id = new_target_id()
    return TargetModel(
        tenant_pk(tenant_id),
        target_sk(target_id),
        gsi1pk=f"{tenant_pk(tenant_id)}#TARGETS",
        gsi1sk=f"{now}#{target_id}",
        target_id=target_id,
        tenant_id=tenant_id,
        cnpj=cnpj,
        label=label,
        tags=list(tags),
        created_at=now,
        updated_at=now,
        last_success_order="",
    )


def _stale(lock: TargetCnpjLockModel, now: datetime | None = None) -> bool:
    if not lock.created_at:
        return True  # written before locks carried a time: old by definition
    created = parse_iso(str(lock.created_at))
    return ((now or datetime.now(UTC)) - created).total_seconds() > STALE_LOCK_SECONDS
