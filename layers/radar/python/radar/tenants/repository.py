"""Storage of a tenant's deletion: its job record (the DELETED_TENANT record) and the purge's paged reads and deletes.

Every read and delete names the tenant: pages are queries of the tenant's own partitions (consistent, so a page
never shows an item a finished page deleted), and items outside them are deleted only where they still point at
the tenant (conditional deletes).
"""

from __future__ import annotations

from typing import Any

from radar.audit.models import DeletedTenantItem
from radar.audit.repository import AuditRepository
from radar.aws import client, is_conditional_failure
from radar.errors import DependencyUnavailable
from radar.store import unavailable, written
from radar.tables import main_table_name

__all__ = ["DeletionRepository", "Key"]

Key = dict[str, str]  # {"pk", "sk"} on the main table, {"id"} on the idempotency table; "tenant_id": conditional
_BATCH = 25  # BatchWriteItem's limit


class DeletionRepository:
    def __init__(self, *, idempotency_table: str | None = None) -> None:
        self.idempotency_table = idempotency_table

    # -- the job -------------------------------------------------------------------------------------------
    def get(self, tenant_id: str) -> DeletedTenantItem | None:
        return AuditRepository().deletion_record(tenant_id)

    def create(self, record: DeletedTenantItem) -> bool:
        """Write a new job; False when the tenant already has one (a repeated or concurrent DELETE)."""
        return written(lambda: record.save(condition=DeletedTenantItem.pk.does_not_exist()))

    def save(self, record: DeletedTenantItem) -> bool:
        """Save the job if nobody saved it since it was read (its version); False when someone did."""
        return written(record.save)

    # -- reads ---------------------------------------------------------------------------------------------
    def page(self, pk: str, *, prefix: str = "", exact: str | None = None, limit: int,
             skip_sk: str | None = None) -> list[dict[str, Any]]:
        """Up to `limit` items of one partition (sk = `exact`, or beginning with `prefix`), as plain dicts."""
        names = {"#pk": "pk"}
        values: dict[str, Any] = {":pk": {"S": pk}}
        condition = "#pk = :pk"
        if exact is not None:
            names["#sk"], values[":sk"] = "sk", {"S": exact}
            condition += " AND #sk = :sk"
        elif prefix:
            names["#sk"], values[":sk"] = "sk", {"S": prefix}
            condition += " AND begins_with(#sk, :sk)"
        found: list[dict[str, Any]] = []
        start: dict[str, Any] | None = None
        while len(found) < limit:
            kwargs: dict[str, Any] = {"TableName": self._main(), "KeyConditionExpression": condition,
                                      "ExpressionAttributeNames": names, "ExpressionAttributeValues": values,
                                      "ConsistentRead": True, "Limit": limit + 1}
            if start:
                kwargs["ExclusiveStartKey"] = start
            response = self._call("query", **kwargs)
            for raw in response.get("Items", []):
                item = {name: next(iter(value.values())) for name, value in raw.items()}
                if item.get("sk") != skip_sk:
                    found.append(item)
            start = response.get("LastEvaluatedKey")
            if not start:
                break
        return found[:limit]

    def scan_idempotency(self, prefix: str, cursor: dict[str, Any] | None, limit: int
                         ) -> tuple[list[Key], dict[str, Any] | None]:
        """One page of the idempotency table: the ids starting with `prefix`, and where the scan goes on (None: done).

        Powertools keys records by a hash, so the tenant's records are found by their prefix (radar.checks.idempotency
        puts the tenant id in it); a scan page reads at most `limit` records."""
        if not self.idempotency_table:
            return [], None
        kwargs: dict[str, Any] = {"TableName": self.idempotency_table, "ProjectionExpression": "#id",
                                  "FilterExpression": "begins_with(#id, :prefix)",
                                  "ExpressionAttributeNames": {"#id": "id"},
                                  "ExpressionAttributeValues": {":prefix": {"S": prefix}},
                                  "ConsistentRead": True, "Limit": limit}
        if cursor:
            kwargs["ExclusiveStartKey"] = cursor
        response = self._call("scan", **kwargs)
        keys = [{"id": raw["id"]["S"]} for raw in response.get("Items", [])]
        return keys, response.get("LastEvaluatedKey")

    # -- deletes -------------------------------------------------------------------------------------------
    def delete(self, keys: list[Key]) -> None:
        """Delete these keys (a missing item is fine: a resumed page deletes again); keys carrying `tenant_id` are
        deleted only while they still point at that tenant (a released e-mail may be someone else's now)."""
        plain = [k for k in keys if "tenant_id" not in k]
        for key in (k for k in keys if "tenant_id" in k):
            self._delete_if_owned(key)
        main = [k for k in plain if "pk" in k]
        idem = [k for k in plain if "id" in k]
        for table, items in ((self._main(), main), (self.idempotency_table, idem)):
            for start in range(0, len(items), _BATCH):
                assert table, "idempotency keys need the idempotency table"
                self._batch_delete(table, items[start:start + _BATCH])

    def _batch_delete(self, table: str, keys: list[Key]) -> None:
        requests: list[dict[str, Any]] = [
            {"DeleteRequest": {"Key": {name: {"S": value} for name, value in key.items()}}} for key in keys
        ]
        for _attempt in range(8):
            response = self._call("batch_write_item", RequestItems={table: requests})
            requests = (response.get("UnprocessedItems") or {}).get(table) or []
            if not requests:
                return
        raise DependencyUnavailable("the data store left deletes unprocessed; the purge resumes later",
                                    details={"dependency": "main_table"})

    def _delete_if_owned(self, key: Key) -> None:
        from botocore.exceptions import ClientError

        try:
            client("dynamodb").delete_item(
                TableName=self._main(),
                Key={"pk": {"S": key["pk"]}, "sk": {"S": key["sk"]}},
                ConditionExpression="attribute_not_exists(pk) OR tenant_id = :tid",
                ExpressionAttributeValues={":tid": {"S": key["tenant_id"]}},
            )
        except ClientError as exc:
            if not is_conditional_failure(exc):
                raise unavailable() from exc

    @staticmethod
    def _main() -> str:
        name = main_table_name()
        if not name:
            raise RuntimeError("bind the main table first (radar.tables.bind_main_table)")
        return name

    @staticmethod
    def _call(operation: str, **kwargs: Any) -> Any:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return getattr(client("dynamodb"), operation)(**kwargs)
        except (BotoCoreError, ClientError) as exc:
            raise unavailable() from exc
