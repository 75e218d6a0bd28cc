"""minha-receita payload (the same body BrasilAPI passes through) to the normalized report, as source minhareceita."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from radar.normalize.brasilapi import normalize_brasilapi
from radar.report import Report

__all__ = ["normalize_minhareceita"]


def normalize_minhareceita(
    payload: Any,
    *,
    expected_cnpj: str | None = None,
    fetched_at: datetime | None = None,
    source_updated_at: datetime | None = None,
) -> Report:
    """Map a minha-receita 200 body to a Report (BrasilAPI's mapping: the bodies are identical)."""
    return normalize_brasilapi(
        payload,
        expected_cnpj=expected_cnpj,
        fetched_at=fetched_at,
        source_updated_at=source_updated_at,
        source="minhareceita",
    )
