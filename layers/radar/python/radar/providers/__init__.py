"""CNPJ data providers (CNPJ.ws, BrasilAPI, ReceitaWS, and the opt-in mock) behind one Provider protocol."""

from __future__ import annotations

from radar.providers.base import (
    HttpProvider,
    Outcome,
    Provider,
    ProviderBadResponse,
    ProviderError,
    ProviderInvalidCnpj,
    ProviderNotFound,
    ProviderRateLimited,
    ProviderTransient,
)

__all__ = [
    "PROVIDER_NAMES",
    "HttpProvider",
    "Outcome",
    "Provider",
    "ProviderBadResponse",
    "ProviderError",
    "ProviderInvalidCnpj",
    "ProviderNotFound",
    "ProviderRateLimited",
    "ProviderTransient",
]

PROVIDER_NAMES: tuple[str, ...] = ("cnpjws", "brasilapi", "receitaws")
