"""What every main-table model shares: the tenant partition key and pointing models at the deployed table."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

__all__ = ["bind_models", "tenant_pk"]


def tenant_pk(tenant_id: str) -> str:
    """Every tenant-owned item's partition key carries the tenant id (docs/architecture.md)."""
    return f"TENANT#{tenant_id}"


def bind_models(models: Iterable[Any], table_name: str) -> None:
    """Point pynamodb models at the deployed table (its name comes from MAIN_TABLE at cold start)."""
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    for model in models:
        model.Meta.table_name = table_name
        if region:
            model.Meta.region = region
