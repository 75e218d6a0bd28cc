"""Request and response bodies of the auth function's routes (pydantic, unknown fields rejected)."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import ConfigDict, Field, field_validator

from radar.schema import ApiModel

__all__ = [
    "ApiKeyCreateRequest",
    "ApiKeyCreated",
    "ApiKeyList",
    "ApiKeyView",
    "LoginRequest",
    "LogoutRequest",
    "PlanChangeRequest",
    "RefreshRequest",
    "SignupRequest",
    "SignupResponse",
    "TenantView",
    "TierLimits",
    "TokenResponse",
    "UserInviteRequest",
    "UserList",
    "UserView",
]

RoleName = Literal["admin", "analyst", "viewer"]
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s.]{2,}$")


def _normalize_email(value: str) -> str:
    value = value.strip().lower()
    if not _EMAIL.match(value):
        raise ValueError("must be an e-mail address like name@example.com")
    return value


class _Body(ApiModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class SignupRequest(_Body):
    tenant_name: str = Field(min_length=1, max_length=100, description="the organization's display name")
    email: str = Field(max_length=254)
    password: str = Field(max_length=256, description="at least 12 characters, mixing two kinds")

    _email = field_validator("email")(_normalize_email)

    @field_validator("tenant_name")
    @classmethod
    def _name(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("must not be blank")
        return value


class LoginRequest(_Body):
    email: str = Field(max_length=254)
    password: str = Field(min_length=1, max_length=256)

    _email = field_validator("email")(_normalize_email)


class RefreshRequest(_Body):
    refresh_token: str = Field(min_length=1, max_length=256)


class LogoutRequest(_Body):
    refresh_token: str = Field(min_length=1, max_length=256)


class ApiKeyCreateRequest(_Body):
    name: str = Field(min_length=1, max_length=64)
    role: RoleName = "analyst"


class UserInviteRequest(_Body):
    email: str = Field(max_length=254)
    role: RoleName
    password: str = Field(max_length=256, description="initial password; at least 12 characters, two kinds")

    _email = field_validator("email")(_normalize_email)


class PlanChangeRequest(_Body):
    plan: str = Field(min_length=1, max_length=32)


class TokenResponse(ApiModel):
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "Bearer"  # noqa: S105 - the OAuth token type, not a secret


class TierLimits(ApiModel):
    rate: float
    burst: int
    quota: int
    quota_period: str
    monthly_checks: int
    retention_days: int


class TenantView(ApiModel):
    tenant_id: str
    name: str
    plan: str
    limits: TierLimits
    created_at: str


class UserView(ApiModel):
    user_id: str
    email: str
    role: str
    created_at: str


class UserList(ApiModel):
    items: list[UserView]


class SignupResponse(ApiModel):
    tenant: TenantView
    user: UserView
    tokens: TokenResponse


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
