"""Check and batch storage: conditional transitions, newest-first history, expired items read as gone."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable, Sequence
from typing import Any

from pynamodb.exceptions import DoesNotExist

from radar.aws import client
from radar.checks.errors import BatchNotFound, CheckNotFound, StaleTransition
from radar.checks.models import (
    FINISHED,
    BatchModel,
    BatchPageModel,
    BatchProblemsModel,
    CheckModel,
    CheckStatus,
    batch_page_sk,
    batch_sk,
    cache_hit_count,
    check_sk,
    target_checks_pk,
)
from radar.pagination import decode_cursor, encode_cursor
from radar.store import storage_errors, transaction, unavailable, written
from radar.tables import main_table_name, tenant_pk
from radar.targets.models import TargetModel
from radar.targets.repository import TargetRepository

__all__ = [
    "BatchRepository",
    "CheckRepository",
    "Refused",
    "commit",
    "is_expired",
    "read_across",
    "read_together",
    "write_together",
]

# BatchGetItem hands back what it could not read now (throttling): read those again, a few times.
_UNPROCESSED_ROUNDS = 5


class Refused(Exception):
    """A transaction whose conditions did not all hold; `failed` holds the positions of the items that refused."""

    def __init__(self, failed: set[int]) -> None:
        super().__init__(f"transaction refused by items {sorted(failed)}")
        self.failed = failed


def read_together(keys: list[dict[str, Any]]) -> list[dict[str, Any] | None]:
    """Read main-table items by key in one consistent BatchGetItem: each item as DynamoDB returns it, None when
    absent, in the order of `keys` (a check's target and its tenant's settings are one round trip, not two)."""
    return read_across([(str(main_table_name()), key) for key in keys])


def read_across(requests: list[tuple[str, dict[str, Any]]]) -> list[dict[str, Any] | None]:
    """Items of any tables by (table, key) in one consistent BatchGetItem, in the order asked; None when absent."""
    from botocore.exceptions import BotoCoreError, ClientError

    request: dict[str, Any] = {}
    for table, key in requests:
        request.setdefault(table, {"Keys": [], "ConsistentRead": True})["Keys"].append(dict(key))
    found: dict[str, list[dict[str, Any]]] = {}
    try:
        for _ in range(_UNPROCESSED_ROUNDS):
            answer = client("dynamodb").batch_get_item(RequestItems=request)
            for table, items in answer.get("Responses", {}).items():
                found.setdefault(table, []).extend(items)
            request = answer.get("UnprocessedKeys") or {}
            if not request:
                break
        else:
            raise unavailable()
    except (BotoCoreError, ClientError) as exc:
        raise unavailable() from exc

    def match(table: str, key: dict[str, Any]) -> dict[str, Any] | None:
        return next((i for i in found.get(table, []) if all(i.get(n) == v for n, v in key.items())), None)

    return [match(table, key) for table, key in requests]


def write_together(items: list[dict[str, Any]]) -> None:
    """Commit TransactWriteItems entries (`{"Put"|"Update"|"Delete"|"ConditionCheck": ...}`, any table) all or none.
    Raises Refused with the positions whose condition failed; any other failure is the 503 of `unavailable()`."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        client("dynamodb").transact_write_items(TransactItems=items)
    except ClientError as exc:
        failed = _refusals(exc, len(items))
        if failed:
            raise Refused(failed) from exc
        raise unavailable() from exc
    except BotoCoreError as exc:
        raise unavailable() from exc


def commit(required: Sequence[dict[str, Any]], optional: Sequence[dict[str, Any]] = ()) -> list[dict[str, Any]]:
    """Commit `required` with as many of `optional` as hold, in one transaction: an optional entry whose condition
    fails is dropped and the rest committed again. Returns the optional entries that committed. Raises Refused
    (positions in `required`) when a required one fails."""
    items = [*required, *optional]
    while True:
        try:
            write_together(items)
            return items[len(required) :]
        except Refused as refused:
            mandatory = {i for i in refused.failed if i < len(required)}
            if mandatory:
                raise Refused(mandatory) from refused
            items = [entry for i, entry in enumerate(items) if i not in refused.failed]


def _refusals(exc: Any, count: int) -> set[int]:
    """Positions of a cancelled transaction's items whose condition failed (from CancellationReasons, or from the
    message, which lists them in order, where an emulator sends no reasons)."""
    error = exc.response.get("Error", {})
    if error.get("Code") != "TransactionCanceledException":
        return set()
    reasons = exc.response.get("CancellationReasons")
    if reasons:
        codes = [str(r.get("Code", "None")) for r in reasons]
    else:
        message = str(error.get("Message", ""))
        inside = message[message.rfind("[") + 1 : message.rfind("]")] if "[" in message else ""
        codes = [code.strip() for code in inside.split(",")]
    if any(code not in ("None", "ConditionalCheckFailed", "") for code in codes):
        return set()  # a conflict or throttling: not a refusal, the caller answers 503
    return {i for i, code in enumerate(codes[:count]) if code == "ConditionalCheckFailed"}


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

    def find_many(self, tenant_id: str, check_ids: Iterable[str], *, now: float | None = None) -> dict[str, CheckModel]:
        """The unexpired checks among `check_ids` (BatchGetItem, 100 keys a call), by id."""
        keys = [(tenant_pk(tenant_id), check_sk(check_id)) for check_id in check_ids]
        with storage_errors():
            found = list(CheckModel.batch_get(keys))
        return {str(c.check_id): c for c in found if not is_expired(c.expires_at, now)}

    def find(self, tenant_id: str, check_id: str, *, now: float | None = None) -> CheckModel | None:
        try:
            check = CheckModel.get(tenant_pk(tenant_id), check_sk(check_id), consistent_read=True)
        except DoesNotExist:
            return None
        return None if is_expired(check.expires_at, now) else check

    def find_with_target(
        self,
        tenant_id: str,
        check_id: str,
        target_id: str,
        *,
        now: float | None = None,
        also: Sequence[tuple[str, dict[str, Any]]] = (),
    ) -> tuple[CheckModel | None, TargetModel | None, list[dict[str, Any] | None]]:
        """The check (None when gone or expired), its target (None when gone) and the items of `also` ((table, key)
        each; None when absent), in one consistent read."""
        requests = [
            (str(main_table_name()), {"pk": {"S": tenant_pk(tenant_id)}, "sk": {"S": check_sk(check_id)}}),
            (str(main_table_name()), TargetRepository.key(tenant_id, target_id)),
        ]
        found = read_across([*requests, *also])
        check = CheckModel.from_raw_data(found[0]) if found[0] else None
        if check is not None and is_expired(check.expires_at, now):
            check = None
        target = TargetRepository.from_item(found[1]) if found[1] else None
        return check, target, found[2:]

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
        lease_free_at: float | None = None,
        count_wait: bool = False,
        waiting_since: str | None = None,
        known: CheckModel | None = None,
        also: Sequence[dict[str, Any]] = (),
        landed: list[dict[str, Any]] | None = None,
    ) -> CheckModel:
        """Move the check to `to` only from one of the `expected` states (a redelivery cannot rerun it).

        `lease_free_at=now` adds "and no other delivery holds its running lease at `now`" to the condition (a
        duplicate delivery of a running check drops out; a crashed worker's check is taken over once its lease
        ends). `count_wait` adds one capacity wait; `waiting_since` is kept if the check already has one.

        `batch=(batch_id, from_status)` moves the batch's counter from `from_status` to `to` in the same transaction:
        a worker killed between the two writes would otherwise leave the batch counting a finished check as running.
        `also` are further TransactWriteItems entries that commit with the move when their own conditions hold (the
        target's success pointer, a single-flight lease): one transaction, and one whose condition fails is dropped,
        never the move; `landed` receives the ones of `also` that committed.
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
        if count_wait:
            actions.append(CheckModel.capacity_waits.add(1))
        if waiting_since is not None:
            actions.append(CheckModel.waiting_since.set(CheckModel.waiting_since | waiting_since))
        condition = CheckModel.pk.exists() & CheckModel.status.is_in(*expected)
        if lease_free_at is not None:
            condition = condition & (CheckModel.lease_until.does_not_exist() | (CheckModel.lease_until < lease_free_at))
        optional: list[dict[str, Any]] = []
        if batch is not None and batch[1] != to:
            batch_item = BatchModel(tenant_pk(tenant_id), batch_sk(batch[0]))
            counters = [getattr(BatchModel, to).add(1), getattr(BatchModel, batch[1]).add(-1)]
            if to in FINISHED:
                # The batch's own finishes give its measured throughput (radar.checks.batches).
                finished_at = time.time()
                counters += [
                    BatchModel.last_finished_at.set(finished_at),
                    BatchModel.first_finished_at.set(BatchModel.first_finished_at | finished_at),
                ]
            # A batch gone (expired) has no counters left to keep: the check still moves.
            optional.append(
                {
                    "Update": batch_item.get_update_kwargs_from_instance(
                        actions=counters, condition=BatchModel.pk.exists()
                    )
                }
            )
        optional.extend(also)
        # Usage report: a success answered from the cache counts on its day's counters, in this transaction.
        hit = cache_hit_count(known, to, fields)
        if hit is not None:
            optional.append({"Update": hit[0].get_update_kwargs_from_instance(actions=hit[1])})
        if not optional:
            if not written(lambda: check.update(actions=actions, condition=condition)):
                raise StaleTransition(check_id)
            return check
        move = {"Update": check.get_update_kwargs_from_instance(actions=actions, condition=condition)}
        try:
            committed = commit([move], optional)
        except Refused as refused:
            raise StaleTransition(check_id) from refused
        if landed is not None:
            landed.extend(entry for entry in committed if any(entry is wanted for wanted in also))
        if known is None:
            return self.get(tenant_id, check_id)
        for name, value in (fields or {}).items():
            setattr(known, name, value)
        known.status = to
        if count_attempt:
            known.attempts = int(known.attempts or 0) + 1
        if count_wait:
            known.capacity_waits = int(known.capacity_waits or 0) + 1
        if waiting_since is not None and not known.waiting_since:
            known.waiting_since = waiting_since
        return known

    def put_write(self, check: CheckModel) -> dict[str, Any]:
        """Storing a new check as one TransactWriteItems `Put` entry (refused if the id exists)."""
        return {"Put": check.get_save_kwargs_from_instance(condition=CheckModel.pk.does_not_exist())}

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

    def find(self, tenant_id: str, batch_id: str, *, now: float | None = None) -> BatchModel | None:
        try:
            return self.get(tenant_id, batch_id, now=now)
        except BatchNotFound:
            return None

    def get(self, tenant_id: str, batch_id: str, *, now: float | None = None) -> BatchModel:
        try:
            batch = BatchModel.get(tenant_pk(tenant_id), batch_sk(batch_id), consistent_read=True)
        except DoesNotExist as exc:
            raise BatchNotFound(batch_id) from exc
        if is_expired(batch.expires_at, now):
            raise BatchNotFound(batch_id)
        return batch

    def create_paged(
        self, batch: BatchModel, pages: Iterable[BatchPageModel], problems: Iterable[BatchProblemsModel]
    ) -> BatchModel:
        """The batch, its pages and its problem chunks in as few BatchWriteItem calls as they fit (25 items a call);
        the batch id is new (a uuid), so nothing is overwritten."""
        with storage_errors(), BatchModel.batch_write() as writer:
            for item in (*pages, *problems, batch):
                writer.save(item)
        return batch

    def forget(
        self, batch: BatchModel, pages: Iterable[BatchPageModel], problems: Iterable[BatchProblemsModel]
    ) -> None:
        """Delete what create_paged wrote (a batch whose first message could not be sent); best effort: what stays
        behind expires with the batch."""
        with contextlib.suppress(Exception), BatchModel.batch_write() as writer:
            for item in (batch, *pages, *problems):
                writer.delete(item)

    def problems(self, tenant_id: str, batch_id: str) -> list[dict[str, Any]]:
        """Every invalid or rejected entry of the batch, in submission order."""
        with storage_errors():
            chunks = BatchProblemsModel.query(
                tenant_pk(tenant_id), BatchProblemsModel.sk.startswith(f"{batch_sk(batch_id)}#P#")
            )
            return [p for chunk in chunks for p in (chunk.problems or [])]

    def page(self, tenant_id: str, batch_id: str, page: int) -> BatchPageModel | None:
        try:
            item = BatchPageModel.get(tenant_pk(tenant_id), batch_page_sk(batch_id, page), consistent_read=True)
        except DoesNotExist:
            return None
        return None if is_expired(item.expires_at) else item

    def pages(self, tenant_id: str, batch_id: str, start: int, count: int) -> list[BatchPageModel]:
        """Pages start..start+count-1 (those that exist), in order."""
        keys = [(tenant_pk(tenant_id), batch_page_sk(batch_id, n)) for n in range(start, start + count)]
        with storage_errors():
            found = list(BatchPageModel.batch_get(keys))
        return sorted(found, key=lambda p: int(p.page))

    def hold_page(self, page: BatchPageModel, *, now: float, lease_seconds: float) -> bool:
        """Take the page for this delivery unless another one holds it (a duplicate delivery waits its turn)."""
        condition = BatchPageModel.pk.exists() & (
            BatchPageModel.lease_until.does_not_exist() | (BatchPageModel.lease_until < now)
        )
        return written(
            lambda: page.update(actions=[BatchPageModel.lease_until.set(now + lease_seconds)], condition=condition)
        )

    def advance_page(
        self,
        page: BatchPageModel,
        *,
        from_state: str,
        to_state: str,
        batch_move: tuple[str, str, int] | None = None,
        **fields: Any,
    ) -> bool:
        """Move the page's fan-out one step (conditional on the step it was at); `fields` are set with it, and
        `batch_move=(from_status, to_status, count)` shifts the batch's counters in the same transaction."""
        actions: list[Any] = [BatchPageModel.state.set(to_state)]
        actions += [getattr(BatchPageModel, name).set(value) for name, value in fields.items()]
        condition = BatchPageModel.pk.exists() & (BatchPageModel.state == from_state)
        if batch_move is None or batch_move[2] == 0:
            return written(lambda: page.update(actions=actions, condition=condition))
        source, target, count = batch_move
        batch = BatchModel(str(page.pk), batch_sk(str(page.batch_id)))
        counters = [getattr(BatchModel, target).add(count), getattr(BatchModel, source).add(-count)]

        def both() -> None:
            with transaction() as tx:
                tx.update(page, actions=actions, condition=condition)
                tx.update(batch, actions=counters, condition=BatchModel.pk.exists())

        return written(both)

    def page_done(self, page: BatchPageModel, *, next_sent: bool) -> None:
        actions: list[Any] = [BatchPageModel.lease_until.remove()]
        if next_sent:
            actions.append(BatchPageModel.next_sent.set(True))
        written(lambda: page.update(actions=actions, condition=BatchPageModel.pk.exists()))

    def move(self, tenant_id: str, batch_id: str, *, from_status: str | None, to_status: str, count: int = 1) -> None:
        """Shift `count` checks between the batch's status counters (atomic ADDs on one item)."""
        batch = BatchModel(tenant_pk(tenant_id), batch_sk(batch_id))
        actions: list[Any] = [getattr(BatchModel, to_status).add(count)]
        if from_status:
            actions.append(getattr(BatchModel, from_status).add(-count))
        written(lambda: batch.update(actions=actions, condition=BatchModel.pk.exists()))  # a batch gone has no counters
