"""Per-provider mapping of raw payloads to the one normalized Report (providers.md section 2.4).

Imports: cnpj, errors, report.
"""

from __future__ import annotations

from radar.normalize.brasilapi import normalize_brasilapi
from radar.normalize.cnpja import normalize_cnpja
from radar.normalize.cnpjws import normalize_cnpjws
from radar.normalize.common import MalformedPayload
from radar.normalize.minhareceita import normalize_minhareceita
from radar.normalize.opencnpj import normalize_opencnpj
from radar.normalize.receitaws import normalize_receitaws

__all__ = [
    "MalformedPayload",
    "normalize_brasilapi",
    "normalize_cnpja",
    "normalize_cnpjws",
    "normalize_minhareceita",
    "normalize_opencnpj",
    "normalize_receitaws",
]
