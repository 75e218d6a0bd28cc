"""Target storage: one per CNPJ per tenant (a lock item in the same transaction), newest-first list."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from pynamodb.exceptions import DeleteError, DoesNotExist, PutError, TransactWriteError, UpdateError

from radar.errors import DependencyUnavailable
from radar.pagination import decode_cursor, encode_cursor
from radar.targets.errors import TargetExists, TargetNotFound
from radar.targets.models import (
    TargetCnpjLockModel,
    TargetModel,
    bind_target_models,
    lock_sk,
    target_sk,
    tenant_pk,
)

__all__ = ["TargetRepository", "new_target_id", "utc_iso"]


def utc_iso(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def new_target_id() -> str:
    return f"tgt_{uuid.uuid4().hex}"


def _unavailable(exc: Exception) -> DependencyUnavailable:
    return DependencyUnavailable("the target store is unavailable", details={"dependency": "main_table"})


@lru_cache(maxsize=4)
def _transaction_connection(region: str | None) -> Any:
    # A pynamodb Connection builds its botocore client on first use (~0.3 s): one per warm environment.
    from pynamodb.connection import Connection

    return Connection(region=region)


def _conditional_failed(exc: Exception) -> bool:
    cause = getattr(exc, "cause_response_code", None)
    if cause == "ConditionalCheckFailedException":
        return True
    reasons = getattr(exc, "cancellation_reasons", None) or []
    return any(getattr(r, "code", None) == "ConditionalCheckFailed" for r in reasons if r is not None)


class TargetRepository:
    """Data access for targets of one table; every key carries the tenant id."""

    def __init__(self, table_name: str) -> None:
        bind_target_models(table_name)

    def create(self, tenant_id: str, cnpj: str, *, label: str | None, tags: list[str]) -> TargetModel:
        from pynamodb.transactions import TransactWrite

        now = utc_iso()
        target_id = new_target_id()
        target = TargetModel(
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
        )
        lock = TargetCnpjLockModel(tenant_pk(tenant_id), lock_sk(cnpj), target_id=target_id)
        try:
            with TransactWrite(connection=_transaction_connection(TargetModel.Meta.region)) as tx:
                tx.save(lock, condition=TargetCnpjLockModel.pk.does_not_exist())
                tx.save(target, condition=TargetModel.pk.does_not_exist())
        except TransactWriteError as exc:
            if _conditional_failed(exc):
                existing = self.find_id_by_cnpj(tenant_id, cnpj)
                raise TargetExists(cnpj, existing or "") from exc
            raise _unavailable(exc) from exc
        return target

    def find_id_by_cnpj(self, tenant_id: str, cnpj: str) -> str | None:
        try:
            lock = TargetCnpjLockModel.get(tenant_pk(tenant_id), lock_sk(cnpj), consistent_read=True)
        except DoesNotExist:
            return None
        return str(lock.target_id)

    def find_ids_by_cnpjs(self, tenant_id: str, cnpjs: Iterable[str]) -> dict[str, str]:
        """CNPJ -> existing target id, for the CNPJs that already have a target (one batch get)."""
        keys = [(tenant_pk(tenant_id), lock_sk(c)) for c in cnpjs]
        found: dict[str, str] = {}
        for lock in TargetCnpjLockModel.batch_get(keys):
            found[str(lock.sk).removeprefix("TARGETCNPJ#")] = str(lock.target_id)
        return found

    def get(self, tenant_id: str, target_id: str) -> TargetModel:
        try:
            return TargetModel.get(tenant_pk(tenant_id), target_sk(target_id))
        except DoesNotExist as exc:
            raise TargetNotFound(target_id) from exc

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
        try:
            target.update(actions=actions, condition=TargetModel.pk.exists())
        except UpdateError as exc:
            if _conditional_failed(exc):
                raise TargetNotFound(target_id) from exc
            raise _unavailable(exc) from exc
        return target

    def delete(self, tenant_id: str, target_id: str) -> TargetModel:
        """Delete the target and its CNPJ lock together; return what was deleted."""
        from pynamodb.transactions import TransactWrite

        target = self.get(tenant_id, target_id)
        lock = TargetCnpjLockModel(tenant_pk(tenant_id), lock_sk(str(target.cnpj)))
        try:
            with TransactWrite(connection=_transaction_connection(TargetModel.Meta.region)) as tx:
                tx.delete(target, condition=TargetModel.pk.exists())
                tx.delete(lock)
        except (TransactWriteError, DeleteError, PutError) as exc:
            if _conditional_failed(exc):
                raise TargetNotFound(target_id) from exc
            raise _unavailable(exc) from exc
        return target
