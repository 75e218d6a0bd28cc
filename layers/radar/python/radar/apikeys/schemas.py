"""API shapes of machine API keys: the creation body (unknown fields rejected) and the masked views."""

from __future__ import annotations

from pydantic import Field

from radar.accounts.schemas import RoleName
from radar.schema import ApiModel, RequestBody

__all__ = ["ApiKeyCreateRequest", "ApiKeyCreated", "ApiKeyList", "ApiKeyView"]


class ApiKeyCreateRequest(RequestBody):
    name: str = Field(min_length=1, max_length=64)
    role: RoleName = "analyst"


class ApiKeyView(ApiModel):
    key_id: str
    name: str
    role: str
    prefix: str = Field(description="the first characters only; the full key is never shown again")
    created_at: str
    last_used_at: str | None
    revoked: bool


class ApiKeyCreated(ApiKeyView):
    key: str = Field(description="shown once: store it now")


class ApiKeyList(ApiModel):
    items: list[ApiKeyView]
