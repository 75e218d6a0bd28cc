"""BrasilAPI (proxies minha-receita): free, no documented limit, behind Cloudflare; 404 is weak evidence."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import Field

from radar.cnpj import Cnpj
from radar.normalize.brasilapi import normalize_brasilapi
from radar.providers.base import HttpProvider, LazyClient, ProviderSettings, TokenSource, normalized
from radar.report import Report

__all__ = ["DEFAULT_BASE_URL", "BrasilApiProvider", "BrasilApiSettings"]

DEFAULT_BASE_URL = "https://brasilapi.com.br/api/cnpj/v1"
_HTTP = LazyClient()


class BrasilApiSettings(ProviderSettings):
    base_url: str = Field(default=DEFAULT_BASE_URL, alias="BRASILAPI_BASE_URL")


class BrasilApiProvider(HttpProvider):
    """GET {base}/{cnpj}. No token: BrasilAPI has no paid tier."""

    name = "brasilapi"

    def __init__(self, *, base_url: str = DEFAULT_BASE_URL, **options: Any) -> None:
        options.setdefault("client", _HTTP)
        super().__init__(base_url=base_url, **options)

    @classmethod
    def from_environ(
        cls, environ: Mapping[str, str] | None = None, *, token_source: TokenSource | None = None, **options: Any
    ) -> BrasilApiProvider:
        settings = BrasilApiSettings.from_environ(environ)
        return cls(base_url=settings.base_url, token_source=token_source, **settings.timeouts(), **options)

    def build_request(self, cnpj: Cnpj, token: str | None) -> tuple[str, dict[str, str], dict[str, str]]:
        return f"{self.base_url}/{cnpj.value}", {}, {}

    def read_success(self, payload: Any, cnpj: Cnpj, status: int) -> Report:
        return normalized(self.name, lambda: normalize_brasilapi(payload, expected_cnpj=cnpj.value))
