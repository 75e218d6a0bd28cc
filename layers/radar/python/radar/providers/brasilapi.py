"""BrasilAPI (proxies minha-receita): free, no documented limit, behind Cloudflare; 404 is weak evidence."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from radar.normalize.brasilapi import normalize_brasilapi
from radar.providers.base import BaseUrlSettings, KeylessProvider, LazyClient
from radar.report import Report

__all__ = ["DEFAULT_BASE_URL", "BrasilApiProvider", "BrasilApiSettings"]

DEFAULT_BASE_URL = "https://brasilapi.com.br/api/cnpj/v1"


class BrasilApiSettings(BaseUrlSettings):
    base_url: str = Field(default=DEFAULT_BASE_URL, alias="BRASILAPI_BASE_URL")


class BrasilApiProvider(KeylessProvider):
    """GET {base}/{cnpj}. No token: BrasilAPI has no paid tier."""

    name = "brasilapi"
    settings_class = BrasilApiSettings
    default_base_url = DEFAULT_BASE_URL
    http: ClassVar[LazyClient] = LazyClient()

    def normalize(self, payload: Any, expected_cnpj: str) -> Report:
        return normalize_brasilapi(payload, expected_cnpj=expected_cnpj)
