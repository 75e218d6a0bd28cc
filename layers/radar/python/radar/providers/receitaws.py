"""ReceitaWS: public (3 requests/min) or paid with a bearer token; errors may come as HTTP 200 + ERROR."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

from pydantic import Field

from radar.cnpj import Cnpj
from radar.normalize.receitaws import normalize_receitaws
from radar.providers.base import HttpProvider, LazyClient, ProviderSettings, TokenSource, body_excerpt, normalized
from radar.providers.errors import (
    ProviderBadResponse,
    ProviderError,
    ProviderInvalidCnpj,
    ProviderNotFound,
    ProviderRateLimited,
    ProviderTransient,
)
from radar.report import Report

__all__ = ["DEFAULT_BASE_URL", "ReceitaWsProvider", "ReceitaWsSettings", "error_for_message"]

DEFAULT_BASE_URL = "https://www.receitaws.com.br/v1"
_HTTP = LazyClient()
# ReceitaWS's "wait a minute" refusal: HTTP 200, {"status": "ERROR", "message": "Espere um minuto para tentar fazer
# uma nova requisição!", "errorCode": 101}. A rate limit that clears after about a minute.
WAIT_A_MINUTE_CODE = 101
WAIT_A_MINUTE_SECONDS = 60.0


class ReceitaWsSettings(ProviderSettings):
    base_url: str = Field(default=DEFAULT_BASE_URL, alias="RECEITAWS_BASE_URL")
    # The paid API serves a record at most this old (it refetches from the Receita Federal otherwise).
    max_age_days: int = Field(default=30, ge=0, alias="RECEITAWS_MAX_AGE_DAYS")


def _fold(text: str) -> str:
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return " ".join(plain.upper().split())


def error_for_message(message: Any, *, status: int = 200, error_code: Any = None) -> ProviderError:
    """The typed error for a `{"status": "ERROR", "message": ..., "errorCode"?: ...}` body."""
    text = message if isinstance(message, str) else ""
    folded = _fold(text)
    common: dict[str, Any] = {"provider": "receitaws", "status": status, "body_excerpt": body_excerpt(text)}
    if str(error_code).strip() == str(WAIT_A_MINUTE_CODE) or folded.startswith("ESPERE UM MINUTO"):
        return ProviderRateLimited(
            "ReceitaWS asks to wait a minute (rate limit)", retry_after=WAIT_A_MINUTE_SECONDS, **common
        )
    if "CNPJ" in folded and "INVALIDO" in folded:
        return ProviderInvalidCnpj("ReceitaWS says the CNPJ is invalid", **common)
    if "REJEITADO" in folded or "NAO ENCONTRADO" in folded or "NAO EXISTE" in folded:
        # "CNPJ rejeitado pela Receita Federal": RF has no such establishment (ReceitaWS caches this answer).
        return ProviderNotFound("ReceitaWS says the CNPJ was rejected by the Receita Federal", **common)
    if "TIMEOUT" in folded:
        return ProviderTransient("ReceitaWS timed out fetching from the Receita Federal", **common)
    if "TOO MANY" in folded or "LIMITE" in folded or "ESPERE UM MINUTO" in folded:
        # "Espere um minuto para tentar fazer uma nova requisição" (errorCode 101): the public limit, on HTTP 200.
        return ProviderRateLimited("ReceitaWS rate limit reached", **common)
    return ProviderBadResponse("ReceitaWS answered status ERROR", **common)


class ReceitaWsProvider(HttpProvider):
    """GET {base}/cnpj/{cnpj}; paid: GET {base}/cnpj/{cnpj}/days/{max_age_days} with Authorization: Bearer."""

    name = "receitaws"

    def __init__(
        self,
        *,
        base_url: str = DEFAULT_BASE_URL,
        token_source: TokenSource | None = None,
        max_age_days: int = 30,
        **options: Any,
    ) -> None:
        options.setdefault("client", _HTTP)
        super().__init__(base_url=base_url, token_source=token_source, **options)
        self.max_age_days = max_age_days

    @classmethod
    def from_environ(
        cls, environ: Mapping[str, str] | None = None, *, token_source: TokenSource | None = None, **options: Any
    ) -> ReceitaWsProvider:
        settings = ReceitaWsSettings.from_environ(environ)
        return cls(
            base_url=settings.base_url,
            token_source=token_source,
            max_age_days=settings.max_age_days,
            **settings.timeouts(),
            **options,
        )

    def build_request(self, cnpj: Cnpj, token: str | None) -> tuple[str, dict[str, str], dict[str, str]]:
        if token:
            url = f"{self.base_url}/cnpj/{cnpj.value}/days/{self.max_age_days}"
            return url, {}, {"Authorization": f"Bearer {token}"}
        return f"{self.base_url}/cnpj/{cnpj.value}", {}, {}

    def read_success(self, payload: Any, cnpj: Cnpj, status: int) -> Report:
        if isinstance(payload, dict) and str(payload.get("status", "")).upper() == "ERROR":
            raise error_for_message(payload.get("message"), status=status, error_code=payload.get("errorCode"))
        return normalized(self.name, lambda: normalize_receitaws(payload, expected_cnpj=cnpj.value))

    def classify_error(self, status: int, payload: Any, excerpt: str, headers: Any) -> ProviderError:
        # ReceitaWS does not use 400/404 for CNPJ errors; a non-200 ERROR body still says what happened.
        # Auth failures (401/403), 429 and 5xx keep their usual meaning whatever the body says.
        is_error_body = isinstance(payload, dict) and str(payload.get("status", "")).upper() == "ERROR"
        if is_error_body and status < 500 and status not in (401, 403, 429):
            return error_for_message(payload.get("message"), status=status, error_code=payload.get("errorCode"))
        return super().classify_error(status, payload, excerpt, headers)
