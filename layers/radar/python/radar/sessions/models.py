"""PynamoDB item of a refresh token in the main table (keys per docs/architecture.md)."""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute

from radar.store import MainTableModel

__all__ = ["RefreshTokenItem", "refresh_sk"]


def refresh_sk(token_hash: str) -> str:
    return f"REFRESH#{token_hash}"


class RefreshTokenItem(MainTableModel):
    family_id = UnicodeAttribute()
    user_id = UnicodeAttribute()
    status = UnicodeAttribute(default="active")  # active | rotated | revoked
    expires_at = NumberAttribute()
    created_at = UnicodeAttribute()
