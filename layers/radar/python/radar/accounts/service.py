"""User use cases: invite a user into the caller's tenant, list the tenant's users."""

from __future__ import annotations

import uuid
from typing import Any

from radar.accounts import passwords
from radar.accounts.errors import EmailTaken
from radar.accounts.models import UserItem, user_sk
from radar.accounts.repository import UserRepository
from radar.accounts.schemas import UserView
from radar.audit import record_event
from radar.context import TenantContext
from radar.tables import tenant_pk
from radar.timestamps import utc_iso

__all__ = ["UserService", "user_view"]


def user_view(user: UserItem) -> UserView:
    return UserView(user_id=user.user_id, email=user.email, role=user.role, created_at=user.created_at)


class UserService:
    """Each method takes the tenant only from the caller's TenantContext."""

    def __init__(self, users: UserRepository) -> None:
        self.users = users

    def invite(self, ctx: TenantContext, email: str, role: str, password: str, event: dict[str, Any]) -> UserView:
        ctx.require("admin")
        passwords.require_strong_password(password)
        if self.users.email_exists(email):
            raise EmailTaken()
        user_id = uuid.uuid4().hex
        user = UserItem(
            tenant_pk(ctx.tenant_id),
            user_sk(user_id),
            user_id=user_id,
            email=email,
            role=role,
            password_hash=passwords.hash_password(password),
            failed_logins=0,
            created_at=utc_iso(timespec="microseconds"),
        )
        self.users.create(user, ctx.tenant_id)
        record_event(event, ctx, "user.create", f"user/{user_id}")
        return user_view(user)

    def list(self, ctx: TenantContext) -> list[UserView]:
        ctx.require("admin")
        return [user_view(u) for u in self.users.list(ctx.tenant_id)]
