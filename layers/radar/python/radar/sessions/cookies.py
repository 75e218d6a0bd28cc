"""Cookie mode for browsers: the refresh token in an httpOnly, Secure, SameSite=Strict cookie scoped to the auth
routes, read only when the request says `X-Radar-Session: cookie` (a cross-site form cannot send that header)."""

from __future__ import annotations

from collections.abc import Mapping
from http.cookies import CookieError, SimpleCookie
from typing import Any

from aws_lambda_powertools.shared.cookies import Cookie, SameSite

from radar.sessions.schemas import TokenResponse
from radar.sessions.tokens import REFRESH_TOKEN_TTL_SECONDS

__all__ = ["COOKIE_MODE", "COOKIE_NAME", "COOKIE_PATH", "MODE_HEADER", "cleared_cookie", "cookie_token",
           "for_cookie_mode", "refresh_cookie"]

MODE_HEADER = "X-Radar-Session"
COOKIE_MODE = "cookie"
COOKIE_NAME = "radar_refresh"
COOKIE_PATH = "/v1/auth"  # the path the browser sees: CloudFront (and scripts/console) forward /v1/* to the stage


def refresh_cookie(token: str) -> Cookie:
    return Cookie(
        name=COOKIE_NAME,
        value=token,
        path=COOKIE_PATH,
        secure=True,
        http_only=True,
        same_site=SameSite.STRICT_MODE,
        max_age=REFRESH_TOKEN_TTL_SECONDS,
    )


def cleared_cookie() -> Cookie:
    return Cookie(
        name=COOKIE_NAME, value="", path=COOKIE_PATH, secure=True, http_only=True, same_site=SameSite.STRICT_MODE,
        max_age=0,
    )


def for_cookie_mode(tokens: TokenResponse) -> TokenResponse:
    """The body a browser gets: no refresh token (it is in the cookie), and how long the refresh token lasts."""
    return tokens.model_copy(update={"refresh_token": None, "refresh_expires_in": REFRESH_TOKEN_TTL_SECONDS})


def cookie_token(event: Mapping[str, Any]) -> str | None:
    """The refresh token in the request's Cookie header(s), if any."""
    values: list[str] = []
    for name, value in (event.get("headers") or {}).items():
        if str(name).lower() == "cookie" and isinstance(value, str):
            values.append(value)
    for name, many in (event.get("multiValueHeaders") or {}).items():
        if str(name).lower() == "cookie" and isinstance(many, list):
            values.extend(v for v in many if isinstance(v, str))
    for raw in values:
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(raw)
        except CookieError:
            continue
        if COOKIE_NAME in jar and jar[COOKIE_NAME].value:
            return jar[COOKIE_NAME].value
    return None
