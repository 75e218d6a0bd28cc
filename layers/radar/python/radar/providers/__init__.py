"""CNPJ data providers (CNPJ.ws, BrasilAPI, ReceitaWS, minha-receita, OpenCNPJ, CNPJá, and the opt-in mock) behind
one Provider protocol.

Each provider module holds its client and its settings; which providers the lookup knows is radar.lookup.registry.
Imports: cnpj, errors, normalize, observability, report, settings.
"""

from __future__ import annotations

from radar.providers.base import HttpProvider, Provider, ProviderSettings
from radar.providers.errors import (
    Outcome,
    ProviderBadResponse,
    ProviderBlocked,
    ProviderError,
    ProviderInvalidCnpj,
    ProviderNotFound,
    ProviderRateLimited,
    ProviderTransient,
)

__all__ = [
    "HttpProvider",
    "Outcome",
    "Provider",
    "ProviderBadResponse",
    "ProviderBlocked",
    "ProviderError",
    "ProviderInvalidCnpj",
    "ProviderNotFound",
    "ProviderRateLimited",
    "ProviderSettings",
    "ProviderTransient",
]
