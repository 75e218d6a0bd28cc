"""Provider errors: what a provider call that produced no report says, and how the chain reads it (`outcome`)."""

from __future__ import annotations

from typing import ClassVar, Literal

from radar.errors import DependencyUnavailable

__all__ = [
    "BODY_EXCERPT_CHARS",
    "Outcome",
    "ProviderBadResponse",
    "ProviderBlocked",
    "ProviderError",
    "ProviderInvalidCnpj",
    "ProviderNotFound",
    "ProviderRateLimited",
    "ProviderTransient",
]

Outcome = Literal["ok", "not_found", "invalid", "rate_limited", "circuit_open", "transient", "error"]
BODY_EXCERPT_CHARS = 300


class ProviderError(DependencyUnavailable):
    """A provider call that produced no report: the provider, its HTTP status, a bounded body excerpt.

    `outcome` is how the chain reads it; `retryable` whether the same provider may be asked again right away.
    `http_status` is the provider's (None for timeouts); `status` stays this error's own mapping (503).
    """

    code = "provider_error"
    outcome: ClassVar[Outcome] = "error"
    retryable_by_default: ClassVar[bool] = False

    def __init__(
        self,
        message: str,
        *,
        provider: str,
        status: int | None = None,
        body_excerpt: str = "",
        retry_after: float | None = None,
        retryable: bool | None = None,
    ) -> None:
        super().__init__(f"{provider}: {message}", details={"provider": provider, "status": status})
        self.provider = provider
        self.http_status = status
        self.body_excerpt = body_excerpt[:BODY_EXCERPT_CHARS]
        self.retry_after = retry_after
        self.retryable = self.retryable_by_default if retryable is None else retryable


class ProviderNotFound(ProviderError):
    """The provider says it has no such CNPJ (BrasilAPI's 404 is weak evidence: outages look the same)."""

    code = "provider_not_found"
    outcome = "not_found"


class ProviderInvalidCnpj(ProviderError):
    """The provider rejects a CNPJ we validated locally (e.g. it does not support alphanumeric CNPJs yet)."""

    code = "provider_invalid_cnpj"
    outcome = "invalid"


class ProviderRateLimited(ProviderError):
    """HTTP 429 (or an equivalent message): the provider's quota for our IP or token is exhausted."""

    code = "provider_rate_limited"
    outcome = "rate_limited"
    retryable_by_default = True


class ProviderTransient(ProviderError):
    """5xx, timeouts, connection failures, bot challenges: the provider may answer later."""

    code = "provider_transient"
    outcome = "transient"
    retryable_by_default = True


class ProviderBlocked(ProviderTransient):
    """A bot-protection answer (Cloudflare's "Just a moment..." challenge, `cf-mitigated: challenge`) instead of data:
    the provider is unavailable to us for minutes to hours, so it is not retried within the call."""

    code = "provider_blocked"
    retryable_by_default = False


class ProviderBadResponse(ProviderError):
    """An answer we cannot use and that retrying will not fix: auth failures, unreadable 200 bodies."""

    code = "provider_bad_response"
    outcome = "error"
