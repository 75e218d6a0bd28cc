"""Sessions: login, refresh-token rotation (reuse revokes the family), logout, access tokens and signing keys.

The root stays light (no pynamodb, no jwt): radar.sessions.service and radar.sessions.tokens do the work.
Imports: accounts, audit, aws, context, errors, observability, schema, settings, store, tables, timestamps.
"""

from __future__ import annotations

from radar.sessions.errors import InvalidCredentials, InvalidToken

__all__ = ["InvalidCredentials", "InvalidToken"]
