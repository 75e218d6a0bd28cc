"""API shapes of users (request bodies reject unknown fields), and the e-mail rule every account form shares."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator

from radar.schema import ApiModel, RequestBody

__all__ = ["MeView", "RoleChangeRequest", "RoleName", "UserInviteRequest", "UserList", "UserView", "normalize_email"]

RoleName = Literal["admin", "analyst", "viewer"]
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s.]{2,}$")


def normalize_email(value: str) -> str:
    """Trimmed and lowercased; ValueError (a 422 naming the field) unless it looks like an address."""
    value = value.strip().lower()
    if not _EMAIL.match(value):
        raise ValueError("must be an e-mail address like name@example.com")
    return value


class UserInviteRequest(RequestBody):
    email: str = Field(max_length=254)
    role: RoleName
    password: str = Field(max_length=256, description="initial password; at least 12 characters, two kinds")

    _email = field_validator("email")(normalize_email)


class RoleChangeRequest(RequestBody):
    role: RoleName


class UserView(ApiModel):
    user_id: str
    email: str
    role: str
    created_at: str
    disabled: bool = False


class MeView(ApiModel):
    """Who the caller is: any role may read it. For an API key, `user_id` is the key's id and `email` is null."""

    user_id: str
    email: str | None
    principal_type: Literal["user", "api_key"]
    role: str
    tenant_id: str
    tenant_name: str
    plan: str


class UserList(ApiModel):
    items: list[UserView]
