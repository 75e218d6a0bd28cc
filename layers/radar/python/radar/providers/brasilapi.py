"""BrasilAPI (proxies minha-receita): free, no documented limit, behind Cloudflare; 404 is weak evidence."""

from __future__ import annotations

import os
from typing import Any

from radar.cnpj import Cnpj
from radar.normalize.brasilapi import normalize_brasilapi
from radar.providers.base import HttpProvider, LazyClient, env_float, normalized
from radar.report import Report

__all__ = ["DEFAULT_BASE_URL", "BrasilApiProvider"]

DEFAULT_BASE_URL = "https://brasilapi.com.br/api/cnpj/v1"
_HTTP = LazyClient()


class BrasilApiProvider(HttpProvider):
    """GET {base}/{cnpj}. No token: BrasilAPI has no paid tier."""

    name = "brasilapi"

    def __init__(self, *, base_url: str = DEFAULT_BASE_URL, **options: Any) -> None:
        options.setdefault("client", _HTTP)
        super().__init__(base_url=base_url, **options)

    @classmethod
    def from_env(cls, **options: Any) -> BrasilApiProvider:
        return cls(
            base_url=os.environ.get("BRASILAPI_BASE_URL") or DEFAULT_BASE_URL,
            connect_timeout=env_float("PROVIDER_CONNECT_TIMEOUT", 2.0),
            read_timeout=env_float("PROVIDER_READ_TIMEOUT", 5.0),
            **options,
        )

    def build_request(self, cnpj: Cnpj, token: str | None) -> tuple[str, dict[str, str], dict[str, str]]:
        return f"{self.base_url}/{cnpj.value}", {}, {}

    def read_success(self, payload: Any, cnpj: Cnpj, status: int) -> Report:
        return normalized(self.name, lambda: normalize_brasilapi(payload, expected_cnpj=cnpj.value))
