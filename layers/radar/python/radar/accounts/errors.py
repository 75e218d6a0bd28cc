"""Account errors: domain subclasses of radar.errors, mapped to HTTP by radar.http."""

from __future__ import annotations

from radar.errors import Conflict, Forbidden, NotFound, ValidationFailed

__all__ = ["EmailTaken", "LastAdmin", "OwnRoleRaise", "UserNotFound", "WeakPassword"]


class EmailTaken(Conflict):
    code = "email_taken"

    def __init__(self) -> None:
        super().__init__(
            "an account with this e-mail already exists",
            details=[{"field": "email", "reason": "duplicate", "message": "this e-mail is already registered"}],
        )


class WeakPassword(ValidationFailed):
    code = "weak_password"


class UserNotFound(NotFound):
    code = "user_not_found"

    def __init__(self, user_id: str) -> None:
        super().__init__("no such user in this tenant", details={"user_id": user_id})


class LastAdmin(Conflict):
    code = "last_admin"

    def __init__(self) -> None:
        super().__init__(
            "the last admin of a tenant cannot be removed or demoted; make another user admin first",
            details=[{"field": "role", "reason": "last_admin", "message": "the tenant needs an admin"}],
        )


class OwnRoleRaise(Forbidden):
    code = "own_role_raise"

    def __init__(self) -> None:
        super().__init__("a user cannot raise their own role", details={"reason": "own_role_raise"})
