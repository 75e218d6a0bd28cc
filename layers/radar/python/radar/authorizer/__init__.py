"""The REQUEST authorizer: an API key or a bearer token becomes a wildcard policy, tenant context and usage key.

The root stays light: the authorizer function imports it at cold start; radar.authorizer.service does the work.
Imports: accounts, apikeys, audit, errors, observability, sessions, settings, tiers.
"""

from __future__ import annotations

from radar.authorizer.settings import AuthorizerEnv

__all__ = ["AuthorizerEnv"]
