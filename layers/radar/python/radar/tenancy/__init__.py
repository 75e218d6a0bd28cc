"""Tenancy: tenants, users, API keys, refresh tokens, usage keys and plans, in the main table."""

from __future__ import annotations

__all__: list[str] = []
