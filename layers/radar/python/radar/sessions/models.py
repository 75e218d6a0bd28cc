"""PynamoDB items of a session (a refresh-token family) and its refresh tokens (docs/architecture.md)."""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute

from radar.store import MainTableModel

__all__ = ["RefreshTokenItem", "SessionItem", "refresh_sk", "session_sk"]


def refresh_sk(token_hash: str) -> str:
    return f"REFRESH#{token_hash}"


def session_sk(session_id: str) -> str:
    return f"SESSION#{session_id}"


class SessionItem(MainTableModel):
    """The one truth about a session: its state and the generation of its only usable refresh token. A refresh is a
    conditional write on this item (state active, generation unchanged), a revocation one update of it, so no
    concurrent rotation or revocation is ever lost. Kept while any of its tokens could still be presented."""

    session_id = UnicodeAttribute()
    user_id = UnicodeAttribute()
    state = UnicodeAttribute(default="active")  # active | revoked
    generation = NumberAttribute(default=0)
    user_epoch = NumberAttribute(default=0)  # the user's session epoch at login: "sign out everywhere" moves it
    created_at = UnicodeAttribute()
    revoked_at = UnicodeAttribute(null=True)
    expires_at = NumberAttribute()


class RefreshTokenItem(MainTableModel):
    """One refresh token (stored by hash): the session it belongs to and its generation there."""

    family_id = UnicodeAttribute()
    user_id = UnicodeAttribute()
    generation = NumberAttribute(default=0)
    expires_at = NumberAttribute()
    created_at = UnicodeAttribute()
