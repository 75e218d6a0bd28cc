"""PynamoDB items of an account: the tenant, its users and their global e-mail claims (docs/architecture.md)."""

from __future__ import annotations

from pynamodb.attributes import BooleanAttribute, NumberAttribute, UnicodeAttribute

from radar.store import MainTableModel

__all__ = ["EmailIndexItem", "LoginSourceItem", "TenantItem", "UserItem", "email_pk", "login_source_pk", "user_sk"]


def email_pk(email: str) -> str:
    return f"EMAIL#{email.lower()}"


def user_sk(user_id: str) -> str:
    return f"USER#{user_id}"


class TenantItem(MainTableModel):
    sk = UnicodeAttribute(range_key=True, default="TENANT")
    tenant_id = UnicodeAttribute()
    name = UnicodeAttribute()
    plan = UnicodeAttribute()
    usage_key_id = UnicodeAttribute()
    usage_key_value = UnicodeAttribute()
    retention_days = NumberAttribute()
    created_at = UnicodeAttribute()


class UserItem(MainTableModel):
    user_id = UnicodeAttribute()
    email = UnicodeAttribute()
    role = UnicodeAttribute()
    password_hash = UnicodeAttribute()
    failed_logins = NumberAttribute(default=0)  # a decaying score (radar.accounts.lockout), as of failed_at
    failed_at = NumberAttribute(null=True)
    locked_until = NumberAttribute(null=True)
    # Sessions carry the epoch they were started in; moving it ends them all at once ("sign out everywhere").
    session_epoch = NumberAttribute(default=0)
    disabled = BooleanAttribute(default=False)
    disabled_at = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()


class EmailIndexItem(MainTableModel):
    sk = UnicodeAttribute(range_key=True, default="EMAIL")
    tenant_id = UnicodeAttribute()
    user_id = UnicodeAttribute()


def login_source_pk(source_ip: str) -> str:
    return f"LOGINSOURCE#{source_ip}"


class LoginSourceItem(MainTableModel):
    """Failed logins from one source IP (any account): the same decaying score as a user's; expires a day after the
    last failure (TTL), so an address is kept no longer than the backoff needs it."""

    sk = UnicodeAttribute(range_key=True, default="LOGIN")
    failed_logins = NumberAttribute(default=0)
    failed_at = NumberAttribute(null=True)
    locked_until = NumberAttribute(null=True)
    expires_at = NumberAttribute(null=True)
