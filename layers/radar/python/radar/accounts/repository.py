"""Account storage: tenants, users and their global e-mail claims, scoped by tenant id."""

from __future__ import annotations

import functools
import time
from collections.abc import Sequence
from typing import Any, TypeVar

from pynamodb.exceptions import DoesNotExist
from pynamodb.expressions.update import Action

from radar.accounts.errors import EmailTaken
from radar.accounts.lockout import LockoutPolicy, decayed_score
from radar.accounts.models import (
    EmailIndexItem,
    LoginSourceItem,
    TenantItem,
    UserItem,
    email_pk,
    login_source_pk,
    user_sk,
)
from radar.store import storage_errors, transaction, written
from radar.tables import tenant_pk

__all__ = ["LoginSourceRepository", "TenantRepository", "UserRepository"]

_Counted = TypeVar("_Counted", UserItem, LoginSourceItem)
_SOURCE_KEEP_SECONDS = 24 * 3600


def _record_failure(
    model: type[_Counted], item: _Counted, policy: LockoutPolicy, threshold: int, now: float | None
) -> float:
    """Add 1 to an item's decaying failure score: a write conditional on the score's timestamp as read, re-read and
    retried when a concurrent failure moved it (no failure is lost); lock from `threshold` on."""
    current = now if now is not None else time.time()
    probe = model(item.pk, item.sk)
    score, at = item.failed_logins, item.failed_at
    new = 0.0
    for _ in range(5):
        new = decayed_score(score, at, current, policy.half_life_seconds) + 1
        lock = policy.lock_seconds(new, threshold)
        actions: list[Action] = [model.failed_logins.set(new), model.failed_at.set(current)]
        if lock:
            actions.append(model.locked_until.set(int(current) + lock))
        if model is LoginSourceItem:
            actions.append(LoginSourceItem.expires_at.set(int(current) + _SOURCE_KEEP_SECONDS))
        unchanged = model.failed_at.does_not_exist() if at is None else model.failed_at == at
        condition = unchanged if model is LoginSourceItem else model.pk.exists() & unchanged
        if written(functools.partial(probe.update, actions=actions, condition=condition)):
            return new
        with storage_errors():
            try:
                fresh = model.get(item.pk, item.sk, consistent_read=True)
            except DoesNotExist:
                return new
        score, at = fresh.failed_logins, fresh.failed_at
    return new


class LoginSourceRepository:
    """Failed logins per source IP (any account)."""

    def get(self, source_ip: str, *, now: float | None = None) -> LoginSourceItem:
        with storage_errors():
            try:
                item = LoginSourceItem.get(login_source_pk(source_ip), "LOGIN", consistent_read=True)
            except DoesNotExist:
                return LoginSourceItem(login_source_pk(source_ip), "LOGIN")
        current = now if now is not None else time.time()
        if item.expires_at is not None and item.expires_at <= current:
            return LoginSourceItem(login_source_pk(source_ip), "LOGIN")
        return item

    def record_failure(self, item: LoginSourceItem, *, policy: LockoutPolicy, now: float | None = None) -> float:
        return _record_failure(LoginSourceItem, item, policy, policy.ip_lock_after, now)


class TenantRepository:
    def get(self, tenant_id: str) -> TenantItem | None:
        with storage_errors():
            try:
                return TenantItem.get(tenant_pk(tenant_id), "TENANT", consistent_read=True)
            except DoesNotExist:
                return None

    def create_with_admin(self, tenant: TenantItem, admin: UserItem) -> None:
        """Tenant, admin user and the global e-mail claim in one transaction; EmailTaken if it is used."""
        claim = EmailIndexItem(email_pk(admin.email), "EMAIL", tenant_id=tenant.tenant_id, user_id=admin.user_id)

        def create() -> None:
            with transaction() as tx:
                tx.save(claim, condition=EmailIndexItem.pk.does_not_exist())
                tx.save(tenant, condition=TenantItem.pk.does_not_exist())
                tx.save(admin, condition=UserItem.pk.does_not_exist())

        if not written(create):
            raise EmailTaken()

    def set_plan(self, tenant: TenantItem, plan: str, retention_days: int, *, expected: str | None = None) -> bool:
        """Set the plan (and its retention); with `expected`, only while the plan is still that one (False if not)."""
        condition = TenantItem.pk.exists()
        if expected is not None:
            condition = condition & (TenantItem.plan == expected)
        return written(lambda: tenant.update(
            actions=[TenantItem.plan.set(plan), TenantItem.retention_days.set(retention_days)], condition=condition))


class UserRepository:
    def get(self, tenant_id: str, user_id: str) -> UserItem | None:
        with storage_errors():
            try:
                return UserItem.get(tenant_pk(tenant_id), user_sk(user_id), consistent_read=True)
            except DoesNotExist:
                return None

    def list(self, tenant_id: str) -> list[UserItem]:
        with storage_errors():
            return list(
                UserItem.query(tenant_pk(tenant_id), UserItem.sk.startswith("USER#"), consistent_read=True)
            )

    def change(self, user: UserItem, actions: Sequence[Any], *, keeping_admin: UserItem | None) -> bool:
        """Apply `actions` to an enabled user still holding the role it was read with; with `keeping_admin`, only
        while that other user is still an enabled admin, in the same transaction: two concurrent demotions (or
        removals) of a tenant's last two admins cannot both pass, DynamoDB serializes them. False when a condition
        did not hold (the caller re-reads and decides)."""
        enabled = UserItem.disabled.does_not_exist() | (UserItem.disabled == False)  # noqa: E712 - a condition
        condition = enabled & (UserItem.role == user.role)

        def write() -> None:
            with transaction() as tx:
                tx.update(user, actions=list(actions), condition=condition)
                if keeping_admin is not None:
                    still_admin = (UserItem.role == "admin") & (
                        UserItem.disabled.does_not_exist() | (UserItem.disabled == False)  # noqa: E712
                    )
                    tx.condition_check(UserItem, keeping_admin.pk, keeping_admin.sk, condition=still_admin)

        return written(write)

    def end_all_sessions(self, tenant_id: str, user_id: str) -> bool:
        """Move the user's session epoch: every session started before is over (refresh and authorizer check it)."""
        probe = UserItem(tenant_pk(tenant_id), user_sk(user_id))
        return written(
            lambda: probe.update(actions=[UserItem.session_epoch.add(1)], condition=UserItem.pk.exists())
        )

    def find_by_email(self, email: str) -> tuple[str, str] | None:
        """(tenant_id, user_id) for an e-mail, or None."""
        with storage_errors():
            try:
                claim = EmailIndexItem.get(email_pk(email), "EMAIL", consistent_read=True)
            except DoesNotExist:
                return None
        return claim.tenant_id, claim.user_id

    def email_exists(self, email: str) -> bool:
        return self.find_by_email(email) is not None

    def create(self, user: UserItem, tenant_id: str) -> None:
        claim = EmailIndexItem(email_pk(user.email), "EMAIL", tenant_id=tenant_id, user_id=user.user_id)

        def create() -> None:
            with transaction() as tx:
                tx.save(claim, condition=EmailIndexItem.pk.does_not_exist())
                tx.save(user, condition=UserItem.pk.does_not_exist())
                # The tenant must still exist (a concurrent DELETE /tenant must not leave orphan users).
                tx.condition_check(TenantItem, tenant_pk(tenant_id), "TENANT", condition=TenantItem.pk.exists())

        if not written(create):
            raise EmailTaken()

    def record_failed_login(self, user: UserItem, *, policy: LockoutPolicy, now: float | None = None) -> float:
        """Add a failure to the user's decaying score and lock from `policy.lock_after` on; the new score."""
        return _record_failure(UserItem, user, policy, policy.lock_after, now)

    def set_password_hash(self, user: UserItem, password_hash: str) -> None:
        with storage_errors():
            user.update(actions=[UserItem.password_hash.set(password_hash)])

    def release_email(self, user: UserItem, tenant_id: str) -> int:
        """Delete the user's global e-mail claim if it still points at this user; returns 1 when deleted."""
        claim = EmailIndexItem(email_pk(user.email), "EMAIL")
        condition = (EmailIndexItem.tenant_id == tenant_id) & (EmailIndexItem.user_id == user.user_id)
        return 1 if written(lambda: claim.delete(condition=condition)) else 0

    def reset_failed_logins(self, user: UserItem) -> None:
        if not user.failed_logins and not user.locked_until:
            return
        with storage_errors():
            user.update(
                actions=[UserItem.failed_logins.set(0), UserItem.failed_at.remove(), UserItem.locked_until.remove()]
            )
