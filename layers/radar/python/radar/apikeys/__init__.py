"""API keys: high-entropy machine keys, shown once, stored as a SHA-256 hash, listed by prefix, revocable.

The root stays light (no pynamodb): storage is radar.apikeys.repository.
Imports: accounts, audit, context, errors, schema, store, tables, timestamps.
"""

from __future__ import annotations

from radar.apikeys.errors import ApiKeyNotFound

__all__ = ["ApiKeyNotFound"]
