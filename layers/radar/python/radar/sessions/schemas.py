"""API shapes of sessions: login, refresh and logout bodies (unknown fields rejected) and the token pair."""

from __future__ import annotations

from pydantic import Field, field_validator

from radar.accounts.schemas import normalize_email
from radar.schema import ApiModel, RequestBody

__all__ = ["LoginRequest", "LogoutRequest", "RefreshRequest", "TokenResponse"]


class LoginRequest(RequestBody):
    email: str = Field(max_length=254)
    password: str = Field(min_length=1, max_length=256)

    _email = field_validator("email")(normalize_email)


class RefreshRequest(RequestBody):
    refresh_token: str = Field(min_length=1, max_length=256)


class LogoutRequest(RequestBody):
    refresh_token: str = Field(min_length=1, max_length=256)


class TokenResponse(ApiModel):
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "Bearer"  # noqa: S105 - the OAuth token type, not a secret
