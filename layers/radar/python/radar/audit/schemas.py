"""API shapes of the audit trail (GET /audit, served by the checks function)."""

from __future__ import annotations

from pydantic import Field

from radar.schema import ApiModel

__all__ = ["AuditEvent", "AuditPage"]


class AuditEvent(ApiModel):
    """One audited action: who (user or API key id), what, on what, and how it went (no personal data)."""

    event_id: str
    time: str = Field(description="ISO 8601, UTC")
    actor: str | None = Field(default=None, description="the user or API key id")
    principal_type: str | None = Field(default=None, description="user or api_key")
    action: str = Field(description="e.g. target.created, apikey.revoked")
    resource: str | None = Field(default=None, description="e.g. target/<id>")
    outcome: str | None = Field(default=None, description="success or failure")
    source_ip: str | None = None
    user_agent: str | None = None
    request_id: str | None = None


class AuditPage(ApiModel):
    items: list[AuditEvent] = Field(description="newest first")
    next_cursor: str | None = None
