"""minha-receita's public instance (the source BrasilAPI proxies): free, no documented limit, behind Cloudflare."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from radar.normalize.minhareceita import normalize_minhareceita
from radar.providers.base import BaseUrlSettings, KeylessProvider, LazyClient
from radar.report import Report

__all__ = ["DEFAULT_BASE_URL", "MinhaReceitaProvider", "MinhaReceitaSettings"]

DEFAULT_BASE_URL = "https://minhareceita.org"


class MinhaReceitaSettings(BaseUrlSettings):
    base_url: str = Field(default=DEFAULT_BASE_URL, alias="MINHARECEITA_BASE_URL")


class MinhaReceitaProvider(KeylessProvider):
    """GET {base}/{cnpj}. No token. Its answers follow the REST meanings the base class maps: 400 invalid, 404 not
    found (for any database error too, so weak evidence), Cloudflare's 429 (error 1015, Retry-After) and 52x."""

    name = "minhareceita"
    settings_class = MinhaReceitaSettings
    default_base_url = DEFAULT_BASE_URL
    http: ClassVar[LazyClient] = LazyClient()

    def normalize(self, payload: Any, expected_cnpj: str) -> Report:
        return normalize_minhareceita(payload, expected_cnpj=expected_cnpj)
