"""Accounts: a tenant's record, its users, their global e-mail claims and passwords (argon2id).

The root stays light (no pynamodb, no argon2): storage is radar.accounts.repository, hashing radar.accounts.passwords.
Imports: audit, context, errors, schema, settings, store, tables, timestamps.
"""

from __future__ import annotations

from radar.accounts.errors import EmailTaken, WeakPassword

__all__ = ["EmailTaken", "WeakPassword"]
