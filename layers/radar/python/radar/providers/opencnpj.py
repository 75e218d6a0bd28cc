"""OpenCNPJ (api.opencnpj.org): free, no fixed quota; sustained volume gets 429, then a Cloudflare challenge."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from radar.normalize.opencnpj import normalize_opencnpj
from radar.providers.base import BaseUrlSettings, KeylessProvider, LazyClient
from radar.report import Report

__all__ = ["DEFAULT_BASE_URL", "OpenCnpjProvider", "OpenCnpjSettings"]

DEFAULT_BASE_URL = "https://api.opencnpj.org"


class OpenCnpjSettings(BaseUrlSettings):
    base_url: str = Field(default=DEFAULT_BASE_URL, alias="OPENCNPJ_BASE_URL")


class OpenCnpjProvider(KeylessProvider):
    """GET {base}/{cnpj} (the Receita dataset, its default). No token.

    400 `{"error":"invalid cnpj"}`, 404 `{"error":"not found"}` (also for a bad check digit: OpenCNPJ does not check
    them, we do first), 429 from Cloudflare with Retry-After, 403 `cf-mitigated: challenge` (ProviderBlocked), 502
    `{"error":"invalid shard payload"}`: the base class's mapping.
    """

    name = "opencnpj"
    settings_class = OpenCnpjSettings
    default_base_url = DEFAULT_BASE_URL
    http: ClassVar[LazyClient] = LazyClient()

    def normalize(self, payload: Any, expected_cnpj: str) -> Report:
        return normalize_opencnpj(payload, expected_cnpj=expected_cnpj)
