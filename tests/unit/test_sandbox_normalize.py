"""Generated sandbox payloads go through the real normalizers, and the three providers agree on the company."""

from __future__ import annotations

import pytest

from radar.cnpj import check_digits
from radar.normalize import normalize_brasilapi, normalize_cnpjws, normalize_receitaws
from scripts.sandbox.generator import render

_BODIES = [f"{n:08d}0001" for n in range(11222333, 11222333 + 40 * 7919, 7919)] + ["12ABC34501DE", "556677880002"]
_AGREED = ("cnpj", "legal_name", "trade_name", "status", "status_date", "opened_on", "head_office", "main_cnae")


@pytest.mark.parametrize("body", _BODIES)
def test_generated_payloads_normalize_to_the_same_company(body: str) -> None:
    cnpj = body + check_digits(body)
    reports = [
        normalize_cnpjws(render("cnpjws", cnpj), expected_cnpj=cnpj),
        normalize_brasilapi(render("brasilapi", cnpj), expected_cnpj=cnpj),
        normalize_receitaws(render("receitaws", cnpj), expected_cnpj=cnpj),
    ]
    dumped = [report.model_dump(mode="json") for report in reports]

    assert dumped[0]["cnpj"] == cnpj and dumped[0]["legal_name"]
    for field in _AGREED:
        assert len({repr(d[field]) for d in dumped}) == 1, (field, [d[field] for d in dumped])
    assert dumped[0]["share_capital"] == dumped[2]["share_capital"]  # both decimal strings upstream
