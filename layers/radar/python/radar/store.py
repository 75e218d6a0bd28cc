"""PynamoDB on the main table: the base every item model subclasses, storage errors, transactions, purges.

Binding (the one way): an item model subclasses `MainTableModel` and names no table. Its Meta reads the name and
region from radar.tables, which the function binds once at cold start (`bind_main_table(ENV.main_table)`), so no
code mutates a model's Meta at run time. Every item type shares the base's one connection (one botocore client,
~90 ms each to create) and its short timeouts and retries (radar.aws). Transactions run on `main_table_connection()`.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from pynamodb.attributes import UnicodeAttribute
from pynamodb.exceptions import (
    DeleteError,
    GetError,
    PutError,
    QueryError,
    ScanError,
    TransactGetError,
    TransactWriteError,
    UpdateError,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from radar.aws import CONNECT_TIMEOUT_SECONDS, MAX_RETRY_ATTEMPTS, READ_TIMEOUT_SECONDS, is_conditional_failure
from radar.errors import DependencyUnavailable
from radar.tables import main_table_name, main_table_region

if TYPE_CHECKING:
    from pynamodb.connection import Connection, TableConnection

__all__ = [
    "Gsi1",
    "Gsi2",
    "ItemKey",
    "MainTableModel",
    "delete_partition",
    "main_table_connection",
    "storage_errors",
    "transaction",
    "unavailable",
    "written",
]

_M = TypeVar("_M", bound=Model)


class _BoundMeta(type):
    """The metaclass of MainTableModel.Meta: table name and region come from the binding (radar.tables)."""

    @property
    def table_name(cls) -> str | None:
        return main_table_name()  # None before binding: pynamodb then says the model has no table_name

    @property
    def region(cls) -> str | None:
        return main_table_region() if main_table_name() else None


_bound_endpoint: dict[str, str] = {}  # the endpoint the shared connection was built for


class Gsi1(GlobalSecondaryIndex[_M]):
    """The main table's first GSI (gsi1pk, gsi1sk); each model gives it the meaning of its items."""

    class Meta:
        index_name = "gsi1"
        projection = AllProjection()

    gsi1pk = UnicodeAttribute(hash_key=True)
    gsi1sk = UnicodeAttribute(range_key=True)


class Gsi2(GlobalSecondaryIndex[_M]):
    """The main table's second GSI (gsi2pk, gsi2sk)."""

    class Meta:
        index_name = "gsi2"
        projection = AllProjection()

    gsi2pk = UnicodeAttribute(hash_key=True)
    gsi2sk = UnicodeAttribute(range_key=True)


class MainTableModel(Model):
    """The main table as pynamodb sees it: keys, both GSIs, connection settings. Subclass it; never use it directly."""

    class Meta(metaclass=_BoundMeta):
        connect_timeout_seconds = CONNECT_TIMEOUT_SECONDS
        read_timeout_seconds = READ_TIMEOUT_SECONDS
        max_retry_attempts = MAX_RETRY_ATTEMPTS

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    gsi1: Gsi1[Any] = Gsi1()
    gsi2: Gsi2[Any] = Gsi2()

    @classmethod
    def _get_connection(cls) -> TableConnection:
        # pynamodb builds a connection per model class (and a new one when the table name changes); every item type
        # of this table asks the base class instead, so they share one, which knows both GSIs. It is built again when
        # the endpoint changes too (botocore reads AWS_ENDPOINT_URL when it makes its client): one process talking to
        # two local clouds in turn (an operator script, the tests) would otherwise keep writing to the first one.
        endpoint = os.environ.get("AWS_ENDPOINT_URL", "")
        if _bound_endpoint.get("main") != endpoint:
            MainTableModel._connection = None
            _bound_endpoint["main"] = endpoint
        return super(MainTableModel, MainTableModel)._get_connection()


class ItemKey(MainTableModel):
    """Just the keys of any main-table item: to purge a partition whatever its item types."""


def main_table_connection() -> Connection:
    """The shared connection, for transactions (`TransactWrite(connection=...)`)."""
    return MainTableModel._get_connection().connection


@contextmanager
def transaction() -> Iterator[TransactWrite]:
    """A write transaction on the shared connection (all its items commit, or none).

    Each carries a fresh ClientRequestToken: when the SDK retries it after a lost response (a read timeout on a
    commit that landed), DynamoDB answers the retry as the same, already applied transaction for 10 minutes instead
    of running it again, where its own conditions would fail (a fresh signup answered 409 email_taken)."""
    with TransactWrite(connection=main_table_connection(), client_request_token=uuid.uuid4().hex) as tx:
        yield tx


def written(write: Callable[[], object]) -> bool:
    """Run one conditional write (or transaction): True when it landed, False when a condition did not hold (a lost
    race, a missing item: the caller says what that means); any other storage failure is the 503 of unavailable()."""
    try:
        write()
    except (PutError, UpdateError, DeleteError, TransactWriteError) as exc:
        if is_conditional_failure(exc):
            return False
        raise unavailable() from exc
    return True


def unavailable() -> DependencyUnavailable:
    """The 503 a storage failure becomes (condition failures are the caller's to read first)."""
    return DependencyUnavailable("the data store is unavailable, try again", details={"dependency": "main_table"})


@contextmanager
def storage_errors() -> Iterator[None]:
    """Turn pynamodb's storage failures into the 503 of `unavailable()`."""
    try:
        yield
    except (
        GetError,
        PutError,
        UpdateError,
        DeleteError,
        QueryError,
        ScanError,
        TransactWriteError,
        TransactGetError,
    ) as exc:
        raise unavailable() from exc


def delete_partition(pk: str, *, last_sk: str | None = None) -> int:
    """Delete every item under one partition key (keys only are read); `last_sk` is deleted after the rest."""
    deleted = 0
    with storage_errors():
        keys: list[Any] = list(ItemKey.query(pk, attributes_to_get=["pk", "sk"]))
        with ItemKey.batch_write() as batch:
            for key in keys:
                if key.sk != last_sk:
                    batch.delete(key)
                    deleted += 1
        for key in keys:
            if key.sk == last_sk:
                key.delete()
                deleted += 1
    return deleted
