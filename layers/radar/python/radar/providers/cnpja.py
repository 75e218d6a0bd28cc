"""CNPJá's open API (open.cnpja.com): free, 5 queries a minute per IP, answers from CNPJá's own cache."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from pydantic import Field

from radar.normalize.cnpja import normalize_cnpja
from radar.providers.base import BaseUrlSettings, KeylessProvider, LazyClient
from radar.providers.errors import ProviderError, ProviderRateLimited
from radar.report import Report

__all__ = ["DEFAULT_BASE_URL", "RATE_LIMIT_BACKOFF_SECONDS", "CnpjaProvider", "CnpjaSettings"]

DEFAULT_BASE_URL = "https://open.cnpja.com"
# CNPJá's 429 carries no Retry-After; its clients back off a minute (the limit is per minute).
RATE_LIMIT_BACKOFF_SECONDS = 60.0


class CnpjaSettings(BaseUrlSettings):
    base_url: str = Field(default=DEFAULT_BASE_URL, alias="CNPJA_BASE_URL")


class CnpjaProvider(KeylessProvider):
    """GET {base}/office/{taxId} (14 characters, no punctuation). No token: the open API has none.

    Errors are `{code, message}`: 400 (validation), 404 (not registered), 429 (rate limit exceeded), 500/503.
    """

    name = "cnpja"
    settings_class = CnpjaSettings
    default_base_url = DEFAULT_BASE_URL
    http: ClassVar[LazyClient] = LazyClient()
    path = "/office/{cnpj}"

    def normalize(self, payload: Any, expected_cnpj: str) -> Report:
        return normalize_cnpja(payload, expected_cnpj=expected_cnpj)

    def classify_error(self, status: int, payload: Any, excerpt: str, headers: Mapping[str, str]) -> ProviderError:
        error = super().classify_error(status, payload, excerpt, headers)
        if isinstance(error, ProviderRateLimited) and error.retry_after is None:
            # Without a hint, waiting less than a minute only meets the same full window.
            error.retry_after = RATE_LIMIT_BACKOFF_SECONDS
        return error
