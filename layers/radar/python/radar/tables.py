"""Which main table this execution environment uses, bound once at cold start, and its key conventions.

Light on purpose (no pynamodb, no settings model built at import): handlers call `bind_main_table(ENV.main_table)`
at module scope. The models of radar.store read the binding; nothing else names the table.
"""

from __future__ import annotations

__all__ = ["bind_main_table", "main_table_name", "main_table_region", "tenant_pk"]

_name: str | None = None
_region: str | None = None


def bind_main_table(table_name: str) -> None:
    """Bind every main-table model to `table_name`; binding another name rebinds them."""
    global _name
    if not table_name:
        raise ValueError("the main table needs a name")
    _name = table_name


def main_table_name() -> str | None:
    """The bound main table's name, or None before `bind_main_table`."""
    return _name


def main_table_region() -> str:
    """This environment's region (radar.aws), read when a model first needs it rather than at cold start."""
    global _region
    if _region is None:
        from radar.aws import AwsSettings

        _region = AwsSettings.from_environ().region
    return _region


def tenant_pk(tenant_id: str) -> str:
    """Every tenant-owned item's partition key carries the tenant id (docs/architecture.md)."""
    return f"TENANT#{tenant_id}"
