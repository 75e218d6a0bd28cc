"""CNPJ.ws: the public API (3 requests/min per IP) or, with a token, the commercial one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import Field

from radar.cnpj import Cnpj
from radar.normalize.cnpjws import normalize_cnpjws
from radar.providers.base import HttpProvider, LazyClient, ProviderSettings, TokenSource, normalized
from radar.report import Report

__all__ = ["DEFAULT_BASE_URL", "DEFAULT_COMMERCIAL_BASE_URL", "CnpjWsProvider", "CnpjWsSettings"]

DEFAULT_BASE_URL = "https://publica.cnpj.ws"
DEFAULT_COMMERCIAL_BASE_URL = "https://comercial.cnpj.ws"
_HTTP = LazyClient()


class CnpjWsSettings(ProviderSettings):
    base_url: str = Field(default=DEFAULT_BASE_URL, alias="CNPJWS_BASE_URL")
    commercial_base_url: str = Field(default=DEFAULT_COMMERCIAL_BASE_URL, alias="CNPJWS_COMMERCIAL_BASE_URL")


class CnpjWsProvider(HttpProvider):
    """GET {base}/cnpj/{cnpj}; with a token, GET {commercial}/cnpj/{cnpj}?token=..."""

    name = "cnpjws"

    def __init__(
        self,
        *,
        base_url: str = DEFAULT_BASE_URL,
        commercial_base_url: str = DEFAULT_COMMERCIAL_BASE_URL,
        token_source: TokenSource | None = None,
        **options: Any,
    ) -> None:
        options.setdefault("client", _HTTP)
        super().__init__(base_url=base_url, token_source=token_source, **options)
        self.commercial_base_url = commercial_base_url.rstrip("/")

    @classmethod
    def from_environ(
        cls, environ: Mapping[str, str] | None = None, *, token_source: TokenSource | None = None, **options: Any
    ) -> CnpjWsProvider:
        settings = CnpjWsSettings.from_environ(environ)
        return cls(
            base_url=settings.base_url,
            commercial_base_url=settings.commercial_base_url,
            token_source=token_source,
            **settings.timeouts(),
            **options,
        )

    def build_request(self, cnpj: Cnpj, token: str | None) -> tuple[str, dict[str, str], dict[str, str]]:
        if token:
            return f"{self.commercial_base_url}/cnpj/{cnpj.value}", {"token": token}, {}
        return f"{self.base_url}/cnpj/{cnpj.value}", {}, {}

    def read_success(self, payload: Any, cnpj: Cnpj, status: int) -> Report:
        return normalized(self.name, lambda: normalize_cnpjws(payload, expected_cnpj=cnpj.value))
