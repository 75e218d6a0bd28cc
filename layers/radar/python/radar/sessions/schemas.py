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


_IN_COOKIE = "required unless the request sends X-Radar-Session: cookie (then the radar_refresh cookie is read)"


class RefreshRequest(RequestBody):
    refresh_token: str | None = Field(default=None, min_length=1, max_length=256, description=_IN_COOKIE)


class LogoutRequest(RequestBody):
    refresh_token: str | None = Field(default=None, min_length=1, max_length=256, description=_IN_COOKIE)


class TokenResponse(ApiModel):
    access_token: str
    refresh_token: str | None = Field(description="null in cookie mode: the token is in the radar_refresh cookie")
    expires_in: int
    token_type: str = "Bearer"  # noqa: S105 - the OAuth token type, not a secret
    refresh_expires_in: int | None = Field(
        default=None,
        description="cookie mode only: seconds the refresh token lasts",
        exclude_if=lambda value: value is None,  # JSON-mode bodies keep their shape
    )
