"""Check and batch storage: conditional transitions, newest-first history, expired items read as gone."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from pynamodb.exceptions import DoesNotExist

from radar.checks.errors import BatchNotFound, CheckNotFound, StaleTransition
from radar.checks.models import BatchModel, CheckModel, CheckStatus, batch_sk, check_sk, target_checks_pk
from radar.pagination import decode_cursor, encode_cursor
from radar.store import storage_errors, transaction, written
from radar.tables import tenant_pk

__all__ = ["BatchRepository", "CheckRepository", "is_expired"]

# Checks read per request when the history is searched for the previous success (most are successes).
_HISTORY_PAGE = 5


def is_expired(expires_at: float | None, now: float | None = None) -> bool:
    """DynamoDB deletes TTL items lazily (days later; moto never): `expires_at <= now` counts as deleted."""
    return expires_at is not None and float(expires_at) <= (now if now is not None else time.time())


class CheckRepository:
    """Data access for checks; every key carries the tenant id."""

    def create(self, check: CheckModel) -> CheckModel:
        with storage_errors():
            check.save(condition=CheckModel.pk.does_not_exist())
        return check

    def create_many(self, checks: Iterable[CheckModel]) -> None:
        with CheckModel.batch_write() as writer:
            for check in checks:
                writer.save(check)

    def find(self, tenant_id: str, check_id: str, *, now: float | None = None) -> CheckModel | None:
        try:
            check = CheckModel.get(tenant_pk(tenant_id), check_sk(check_id), consistent_read=True)
        except DoesNotExist:
            return None
        return None if is_expired(check.expires_at, now) else check

    def get(self, tenant_id: str, check_id: str, *, now: float | None = None) -> CheckModel:
        check = self.find(tenant_id, check_id, now=now)
        if check is None:
            raise CheckNotFound(check_id)
        return check

    def list_for_target(
        self, tenant_id: str, target_id: str, *, limit: int, cursor: str | None, now: float | None = None
    ) -> tuple[list[CheckModel], str | None]:
        scope = f"{tenant_id}:checks:{target_id}"
        start = decode_cursor(cursor, scope=scope)
        results = CheckModel.by_target.query(
            target_checks_pk(tenant_id, target_id),
            scan_index_forward=False,
            limit=limit,
            last_evaluated_key=start,
        )
        page = list(results)
        last_key: dict[str, Any] | None = results.last_evaluated_key if len(page) >= limit else None
        return [c for c in page if not is_expired(c.expires_at, now)], encode_cursor(last_key, scope=scope)

    def previous_success(self, check: CheckModel, *, now: float | None = None) -> CheckModel | None:
        """The newest succeeded, unexpired check of the same target created before `check`."""
        results = CheckModel.by_target.query(
            target_checks_pk(str(check.tenant_id), str(check.target_id)),
            CheckModel.gsi1sk < str(check.gsi1sk),
            filter_condition=CheckModel.status == CheckStatus.SUCCEEDED,
            scan_index_forward=False,
            # Pages of a few items: unbounded, each page would read up to 1 MB of old reports to find one.
            page_size=_HISTORY_PAGE,
        )
        for candidate in results:
            if candidate.check_id != check.check_id and not is_expired(candidate.expires_at, now):
                return candidate
        return None

    def transition(
        self,
        tenant_id: str,
        check_id: str,
        *,
        expected: Iterable[str],
        to: str,
        fields: dict[str, Any] | None = None,
        count_attempt: bool = False,
        batch: tuple[str, str] | None = None,
        known: CheckModel | None = None,
    ) -> CheckModel:
        """Move the check to `to` only from one of the `expected` states (a redelivery cannot rerun it).

        `batch=(batch_id, from_status)` moves the batch's counter from `from_status` to `to` in the same transaction:
        a worker killed between the two writes would otherwise leave the batch counting a finished check as running.
        A transaction returns no item: with `known` (the check as the caller read it) the moves are applied to it and
        it is returned, instead of reading the check again.
        """
        check = CheckModel(tenant_pk(tenant_id), check_sk(check_id))
        actions: list[Any] = [CheckModel.status.set(to)]
        for name, value in (fields or {}).items():
            attribute = getattr(CheckModel, name)
            actions.append(attribute.remove() if value is None else attribute.set(value))
        if count_attempt:
            actions.append(CheckModel.attempts.add(1))
        condition = CheckModel.pk.exists() & CheckModel.status.is_in(*expected)
        if batch is not None and batch[1] != to:
            batch_item = BatchModel(tenant_pk(tenant_id), batch_sk(batch[0]))
            counters = [getattr(BatchModel, to).add(1), getattr(BatchModel, batch[1]).add(-1)]

            def both() -> None:
                with transaction() as tx:
                    tx.update(check, actions=actions, condition=condition)
                    tx.update(batch_item, actions=counters, condition=BatchModel.pk.exists())

            if written(both):
                if known is None:
                    return self.get(tenant_id, check_id)
                for name, value in (fields or {}).items():
                    setattr(known, name, value)
                known.status = to
                if count_attempt:
                    known.attempts = int(known.attempts or 0) + 1
                return known
            # Either the check lost a race (the single write below fails too) or its batch is gone (expired): then
            # the check still moves, with no counters left to keep.
        if not written(lambda: check.update(actions=actions, condition=condition)):
            raise StaleTransition(check_id)
        return check

    def delete_for_target(self, tenant_id: str, target_id: str) -> int:
        """Delete every check (and so every report) of a target; returns how many."""
        keys = [
            (str(c.pk), str(c.sk))
            for c in CheckModel.by_target.query(target_checks_pk(tenant_id, target_id), attributes_to_get=["pk", "sk"])
        ]
        with CheckModel.batch_write() as writer:
            for pk, sk in keys:
                writer.delete(CheckModel(pk, sk))
        return len(keys)


class BatchRepository:
    """Data access for batches and their progress counters."""

    def create(self, batch: BatchModel) -> BatchModel:
        with storage_errors():
            batch.save(condition=BatchModel.pk.does_not_exist())
        return batch

    def get(self, tenant_id: str, batch_id: str, *, now: float | None = None) -> BatchModel:
        try:
            batch = BatchModel.get(tenant_pk(tenant_id), batch_sk(batch_id), consistent_read=True)
        except DoesNotExist as exc:
            raise BatchNotFound(batch_id) from exc
        if is_expired(batch.expires_at, now):
            raise BatchNotFound(batch_id)
        return batch

    def move(self, tenant_id: str, batch_id: str, *, from_status: str | None, to_status: str, count: int = 1) -> None:
        """Shift `count` checks between the batch's status counters (atomic ADDs on one item)."""
        batch = BatchModel(tenant_pk(tenant_id), batch_sk(batch_id))
        actions: list[Any] = [getattr(BatchModel, to_status).add(count)]
        if from_status:
            actions.append(getattr(BatchModel, from_status).add(-count))
        written(lambda: batch.update(actions=actions, condition=BatchModel.pk.exists()))  # a batch gone has no counters
