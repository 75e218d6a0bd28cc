"""Account errors: domain subclasses of radar.errors, mapped to HTTP by radar.http."""

from __future__ import annotations

from radar.errors import Conflict, ValidationFailed

__all__ = ["EmailTaken", "WeakPassword"]


class EmailTaken(Conflict):
    code = "email_taken"

    def __init__(self) -> None:
        super().__init__(
            "an account with this e-mail already exists",
            details=[{"field": "email", "reason": "duplicate", "message": "this e-mail is already registered"}],
        )


class WeakPassword(ValidationFailed):
    code = "weak_password"
