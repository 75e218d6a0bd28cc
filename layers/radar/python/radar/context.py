"""The caller's tenant context, read only from the authorizer's output in requestContext.authorizer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from radar.errors import Forbidden, Unauthorized

__all__ = ["ROLE_RANK", "Role", "TenantContext", "tenant_context_from_event"]

Role = Literal["admin", "analyst", "viewer"]
ROLE_RANK: dict[str, int] = {"viewer": 1, "analyst": 2, "admin": 3}


@dataclass(frozen=True, slots=True)
class TenantContext:
    tenant_id: str
    principal_id: str
    principal_type: str  # "user" or "api_key"
    role: str
    plan: str

    def require(self, role: Role) -> None:
        """Raise Forbidden unless the caller's role is at least `role` (admin > analyst > viewer)."""
        if ROLE_RANK.get(self.role, 0) < ROLE_RANK[role]:
            raise Forbidden(f"this action needs the {role} role", details={"required_role": role, "role": self.role})


def tenant_context_from_event(event: dict[str, Any]) -> TenantContext:
    """Build the context from the REST proxy event; never from the path, query or body."""
    authorizer = (event.get("requestContext") or {}).get("authorizer") or {}
    tenant_id = authorizer.get("tenant_id")
    if not tenant_id:
        raise Unauthorized("missing tenant context")
    return TenantContext(
        tenant_id=str(tenant_id),
        principal_id=str(authorizer.get("principal_id", "")),
        principal_type=str(authorizer.get("principal_type", "")),
        role=str(authorizer.get("role", "viewer")),
        plan=str(authorizer.get("plan", "free")),
    )
