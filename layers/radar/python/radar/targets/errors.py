"""Target errors: domain subclasses of radar.errors, mapped to HTTP by radar.http."""

from __future__ import annotations

from radar.errors import Conflict, NotFound

__all__ = ["TargetExists", "TargetNotFound"]


class TargetNotFound(NotFound):
    code = "target_not_found"

    def __init__(self, target_id: str) -> None:
        super().__init__("no such target", details={"target_id": target_id})


class TargetExists(Conflict):
    code = "target_exists"

    def __init__(self, cnpj: str, existing_id: str) -> None:
        super().__init__(
            "this tenant already has a target for this CNPJ",
            details={"cnpj": cnpj, "existing_id": existing_id},
        )
        self.existing_id = existing_id
