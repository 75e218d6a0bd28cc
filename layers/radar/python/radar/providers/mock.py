"""A deterministic stand-in provider for demos and outages; only used when ALLOW_MOCK_FALLBACK is on."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta

from radar.cnpj import Cnpj
from radar.providers.base import RemainingMs
from radar.report import Address, LegalNature, Report

__all__ = ["MockProvider"]

_CITIES = (
    ("SAO PAULO", "3550308", "SP"),
    ("RIO DE JANEIRO", "3304557", "RJ"),
    ("BELO HORIZONTE", "3106200", "MG"),
    ("CURITIBA", "4106902", "PR"),
    ("BRASILIA", "5300108", "DF"),
)


class MockProvider:
    """Synthesizes a plausible, clearly labelled report from the CNPJ alone (same CNPJ, same report)."""

    name = "mock"

    def lookup(self, cnpj: Cnpj, *, remaining_ms: RemainingMs | None = None) -> Report:
        seed = int.from_bytes(hashlib.sha256(cnpj.value.encode()).digest()[:8], "big")
        city, ibge, state = _CITIES[seed % len(_CITIES)]
        opened = date(2000, 1, 1) + timedelta(days=seed % 9000)
        return Report(
            cnpj=cnpj.value,
            cnpj_formatted=cnpj.formatted,
            legal_name=f"EMPRESA DEMONSTRACAO {cnpj.root} LTDA",
            trade_name=None,
            status="ATIVA",
            status_date=opened,
            opened_on=opened,
            head_office=None,
            main_cnae="6201501",
            main_cnae_description="Desenvolvimento de programas de computador sob encomenda",
            legal_nature=LegalNature(code="2062", description="Sociedade Empresária Limitada"),
            size="MICRO_EMPRESA",
            share_capital=f"{(seed % 1000) * 1000}.00",
            address=Address(city=city, city_ibge_code=ibge, state=state, country="Brasil"),
            source="mock",
            fetched_at=datetime.now(UTC),
            partial=True,
            partial_reasons=["synthetic_mock_data"],
        )
