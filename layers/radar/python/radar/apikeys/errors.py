"""API key errors: domain subclasses of radar.errors, mapped to HTTP by radar.http."""

from __future__ import annotations

from radar.errors import NotFound

__all__ = ["ApiKeyNotFound"]


class ApiKeyNotFound(NotFound):
    def __init__(self, key_id: str) -> None:
        super().__init__("no such API key", details={"key_id": key_id})
