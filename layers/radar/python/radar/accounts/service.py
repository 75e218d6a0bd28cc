"""User use cases: invite, list, change a role, disable (offboard), sign out everywhere; who am I."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from radar.accounts import passwords
from radar.accounts.errors import EmailTaken, LastAdmin, OwnRoleRaise, UserNotFound
from radar.accounts.models import UserItem, user_sk
from radar.accounts.repository import TenantRepository, UserRepository
from radar.accounts.schemas import MeView, UserView
from radar.audit import record_event
from radar.context import ROLE_RANK, TenantContext
from radar.errors import Unauthorized
from radar.tables import tenant_pk
from radar.timestamps import utc_iso

__all__ = ["UserService", "user_view"]


def user_view(user: UserItem) -> UserView:
    return UserView(
        user_id=user.user_id,
        email=user.email,
        role=user.role,
        created_at=user.created_at,
        disabled=bool(user.disabled),
    )


class UserService:
    """Each method takes the tenant only from the caller's TenantContext."""

    def __init__(
        self,
        users: UserRepository,
        tenants: TenantRepository,
        *,
        revoke_keys_created_by: Callable[[TenantContext, str, dict[str, Any]], int],
    ) -> None:
        self.users = users
        self.tenants = tenants
        self.revoke_keys_created_by = revoke_keys_created_by

    def _user(self, ctx: TenantContext, user_id: str) -> UserItem:
        user = self.users.get(ctx.tenant_id, user_id)
        if user is None:
            raise UserNotFound(user_id)
        return user

    def me(self, ctx: TenantContext) -> MeView:
        """Any role, any principal: a user (from its item), or an API key (from the authorizer's context)."""
        tenant = self.tenants.get(ctx.tenant_id)
        if tenant is None:
            raise Unauthorized("no tenant behind these credentials")
        if ctx.principal_type == "api_key":
            user_id, email, role = ctx.principal_id, None, ctx.role
        else:
            user = self.users.get(ctx.tenant_id, ctx.principal_id)
            if user is None or user.disabled:
                raise Unauthorized("no user behind these credentials")
            user_id, email, role = user.user_id, user.email, user.role
        return MeView(
            user_id=user_id,
            email=email,
            principal_type="api_key" if ctx.principal_type == "api_key" else "user",
            role=role,
            tenant_id=ctx.tenant_id,
            tenant_name=tenant.name,
            plan=tenant.plan,
        )

    def _change(self, ctx: TenantContext, user: UserItem, actions: list[Any], *, leaves_admin: bool) -> None:
        """Write `actions`, keeping another enabled admin in the same transaction when `user` stops being one."""
        for _ in range(3):
            keeping = None
            if leaves_admin:
                others = [
                    u for u in self.users.list(ctx.tenant_id)
                    if u.user_id != user.user_id and u.role == "admin" and not u.disabled
                ]
                if not others:
                    raise LastAdmin()
                keeping = others[0]
            if self.users.change(user, actions, keeping_admin=keeping):
                return
            # A condition failed: the user or the other admin changed meanwhile. Re-read and decide again.
            user = self._user(ctx, user.user_id)
            if user.disabled:
                raise UserNotFound(user.user_id)
            leaves_admin = leaves_admin and user.role == "admin"
        raise LastAdmin()

    def change_role(self, ctx: TenantContext, user_id: str, role: str, event: dict[str, Any]) -> UserView:
        ctx.require("admin")
        user = self._user(ctx, user_id)
        if user.disabled:
            raise UserNotFound(user_id)
        if user_id == ctx.principal_id and ROLE_RANK[role] > ROLE_RANK.get(user.role, 0):
            raise OwnRoleRaise()
        if role == user.role:
            return user_view(user)
        old = user.role
        self._change(ctx, user, [UserItem.role.set(role)], leaves_admin=old == "admin")
        record_event(event, ctx, "user.role_change", f"user/{user_id}/{old}->{role}")
        return user_view(self._user(ctx, user_id))

    def disable(self, ctx: TenantContext, user_id: str, event: dict[str, Any]) -> None:
        """Offboard: the user can no longer sign in, every session ends, the API keys they created are revoked.
        The user item stays (disabled), so the audit trail keeps naming who did what."""
        ctx.require("admin")
        user = self._user(ctx, user_id)
        if not user.disabled:
            actions: list[Any] = [
                UserItem.disabled.set(True),
                UserItem.disabled_at.set(utc_iso(timespec="microseconds")),
                UserItem.session_epoch.add(1),
            ]
            self._change(ctx, user, actions, leaves_admin=user.role == "admin")
            record_event(event, ctx, "user.disable", f"user/{user_id}")
        # Also on a repeated call: a key the user created while the first call ran is revoked too.
        self.revoke_keys_created_by(ctx, user_id, event)

    def end_sessions(self, ctx: TenantContext, user_id: str, event: dict[str, Any]) -> None:
        """Sign a user out everywhere: an admin for anyone in the tenant, any user for themselves."""
        if user_id != ctx.principal_id:
            ctx.require("admin")
        self._user(ctx, user_id)
        self.users.end_all_sessions(ctx.tenant_id, user_id)
        record_event(event, ctx, "user.sessions_revoke", f"user/{user_id}")

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
