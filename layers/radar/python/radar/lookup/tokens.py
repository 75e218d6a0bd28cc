"""Provider API tokens from the secret named by PROVIDER_TOKENS_SECRET_ARN (Powertools Parameters, cached).

Fail closed: a configured secret that cannot be read, or that is not a JSON object of strings, is an error for the
providers that use a token (their attempt fails, the chain asks the next provider), counted in the
`ProviderTokenSecretBroken` metric that the CnpjRadar-ProviderTokens-Broken alarm watches. It is never a silent
fallback to the public tiers, which would hide the fault behind lower limits. An empty string for a provider is the
documented way to ask it on its public tier.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from radar.observability import logger, metrics
from radar.providers.errors import ProviderBadResponse
from radar.settings import EnvSettings

__all__ = [
    "TOKEN_MAX_AGE_SECONDS",
    "TokenSecretBroken",
    "TokenSettings",
    "provider_token",
    "provider_tokens",
    "token_source",
]

TOKEN_MAX_AGE_SECONDS = 300


class TokenSettings(EnvSettings):
    """Where the provider tokens live; unset, every provider is asked on its public tier."""

    provider_tokens_secret_arn: str | None = Field(default=None, alias="PROVIDER_TOKENS_SECRET_ARN")


class TokenSecretBroken(ProviderBadResponse):
    """The provider tokens secret is configured but unreadable or malformed: this provider's attempt fails."""

    code = "provider_token_secret_broken"


class _Broken(Exception):
    """Why the secret cannot be used (its content is never part of the reason)."""


def provider_tokens() -> dict[str, str]:
    """{"cnpjws": ..., "receitaws": ...} with empty values dropped; {} when the secret is not configured.

    Raises TokenSecretBroken (provider "tokens") when the configured secret cannot be read or is not a JSON object of
    strings. Powertools caches the secret for five minutes, so warm invocations do not call Secrets Manager and a
    rotated token is picked up within that time.
    """
    try:
        return _read_tokens()
    except _Broken as exc:
        raise TokenSecretBroken(str(exc), provider="tokens") from exc


def _read_tokens() -> dict[str, str]:
    arn = TokenSettings.from_environ().provider_tokens_secret_arn
    if not arn:
        return {}
    from aws_lambda_powertools.utilities import parameters

    try:
        value: Any = parameters.get_secret(arn, transform="json", max_age=TOKEN_MAX_AGE_SECONDS)
    except Exception as exc:
        _report_broken("provider tokens secret unreadable", type(exc).__name__)
        raise _Broken(f"provider tokens secret unreadable ({type(exc).__name__})") from exc
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        _report_broken("provider tokens secret is not a JSON object of strings", type(value).__name__)
        raise _Broken("provider tokens secret is not a JSON object of strings")
    return {str(k): v.strip() for k, v in value.items() if v.strip()}


def _report_broken(message: str, kind: str) -> None:
    from aws_lambda_powertools.metrics import MetricUnit

    # The kind of failure only: the secret's value never reaches a log line.
    logger.error(message, extra={"error_type": kind})
    metrics.add_metric(name="ProviderTokenSecretBroken", unit=MetricUnit.Count, value=1)


def provider_token(provider: str) -> str | None:
    """`provider`'s token (None: its public tier); TokenSecretBroken naming `provider` when the secret is broken."""
    try:
        return _read_tokens().get(provider)
    except _Broken as exc:
        raise TokenSecretBroken(str(exc), provider=provider) from exc


def token_source(provider: str) -> Any:
    """A zero-argument callable reading `provider`'s token at call time (so rotation needs no redeploy)."""
    return lambda: provider_token(provider)
