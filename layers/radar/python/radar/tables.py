"""Which main table this execution environment uses, bound once at cold start, and its key conventions.

Light on purpose (no pynamodb, no settings model built at import): handlers call `bind_main_table(ENV.main_table)`
at module scope. The models of radar.store read the binding; nothing else names the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

__all__ = ["TableBinding", "bind_main_table", "main_table", "tenant_pk"]


@dataclass(frozen=True)
class TableBinding:
    name: str

    @cached_property
    def region(self) -> str:
        """This environment's region (radar.aws), read when a model first needs it rather than at cold start."""
        from radar.aws import AwsSettings

        return AwsSettings.from_environ().region


_main: TableBinding | None = None


def bind_main_table(table_name: str) -> TableBinding:
    """Bind every main-table model to `table_name`; binding another name rebinds them."""
    global _main
    if not table_name:
        raise ValueError("the main table needs a name")
    if _main is None or _main.name != table_name:
        _main = TableBinding(table_name)
    return _main


def main_table() -> TableBinding | None:
    """The bound main table, or None before `bind_main_table`."""
    return _main


def tenant_pk(tenant_id: str) -> str:
    """Every tenant-owned item's partition key carries the tenant id (docs/architecture.md)."""
    return f"TENANT#{tenant_id}"
