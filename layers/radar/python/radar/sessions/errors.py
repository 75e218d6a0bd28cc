"""Session errors: domain subclasses of radar.errors, mapped to HTTP by radar.http."""

from __future__ import annotations

from typing import Any

from radar.errors import DependencyUnavailable, Forbidden, Unauthorized

__all__ = ["InvalidCredentials", "InvalidToken", "SigningKeyUnusable", "TenantDeleted"]


class InvalidToken(Unauthorized):
    """Any token problem; the message never says which part was wrong."""

    cookies: tuple[Any, ...] = ()  # cookie mode: the cleared session cookie radar.http sends with the 401

    def __init__(self, message: str = "invalid or expired credentials") -> None:
        super().__init__(message)


class InvalidCredentials(Unauthorized):
    """Wrong e-mail, wrong password or a locked account: one message, so none of them can be told apart."""

    def __init__(self) -> None:
        super().__init__("invalid e-mail or password")


class SigningKeyUnusable(DependencyUnavailable):
    """The signing secret holds something that is not an Ed25519 key: an operator must look (never replaced)."""

    def __init__(self) -> None:
        super().__init__("the token signing key is unusable", details={"dependency": "signing_key"})


class TenantDeleted(Forbidden):
    """The tenant was deleted: no new session and no refresh, except for the admin who deleted it (who may still
    follow the purge at GET /tenant/deletion). Said only after the right password or a valid refresh token."""

    code = "tenant_deleted"

    def __init__(self) -> None:
        super().__init__("this organization was deleted; its data is being removed (GET /tenant/deletion)")
