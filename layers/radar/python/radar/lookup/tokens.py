"""Provider API tokens from the secret named by PROVIDER_TOKENS_SECRET_ARN (Powertools Parameters, cached)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from radar.observability import logger
from radar.settings import EnvSettings

__all__ = ["TOKEN_MAX_AGE_SECONDS", "TokenSettings", "provider_token", "provider_tokens", "token_source"]

TOKEN_MAX_AGE_SECONDS = 300


class TokenSettings(EnvSettings):
    """Where the provider tokens live; unset, every provider is asked on its public tier."""

    provider_tokens_secret_arn: str | None = Field(default=None, alias="PROVIDER_TOKENS_SECRET_ARN")


def provider_tokens() -> dict[str, str]:
    """{"cnpjws": ..., "receitaws": ...} with empty values dropped; {} when the secret is not configured.

    Powertools caches the secret for five minutes, so warm invocations do not call Secrets Manager and a
    rotated token is picked up within that time.
    """
    arn = TokenSettings.from_environ().provider_tokens_secret_arn
    if not arn:
        return {}
    from aws_lambda_powertools.utilities import parameters

    try:
        value: Any = parameters.get_secret(arn, transform="json", max_age=TOKEN_MAX_AGE_SECONDS)
    except Exception as exc:
        # Without tokens the public tiers still answer (at lower limits): degrade, and say so.
        logger.warning("provider tokens unavailable, using public tiers", extra={"error_type": type(exc).__name__})
        return {}
    if not isinstance(value, dict):
        logger.warning("provider tokens secret is not a JSON object, using public tiers")
        return {}
    return {str(k): v.strip() for k, v in value.items() if isinstance(v, str) and v.strip()}


def provider_token(provider: str) -> str | None:
    return provider_tokens().get(provider)


def token_source(provider: str) -> Any:
    """A zero-argument callable reading `provider`'s token at call time (so rotation needs no redeploy)."""
    return lambda: provider_token(provider)
