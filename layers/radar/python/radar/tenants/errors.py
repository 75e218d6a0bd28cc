"""Tenant errors: domain subclasses of radar.errors, mapped to HTTP by radar.http."""

from __future__ import annotations

from radar.errors import NotFound

__all__ = ["NoDeletionJob", "TenantNotFound"]


class TenantNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("no such tenant")


class NoDeletionJob(NotFound):
    def __init__(self) -> None:
        super().__init__("this tenant has no deletion job (DELETE /tenant starts one)")
