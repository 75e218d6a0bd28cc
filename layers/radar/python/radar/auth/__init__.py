"""Authentication: password hashing, access and refresh tokens, machine API keys, the authorizer."""

from __future__ import annotations

__all__: list[str] = []
