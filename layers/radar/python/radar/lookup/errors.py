"""Lookup errors: domain subclasses of radar.errors, mapped to HTTP by radar.http."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from radar.errors import DependencyUnavailable, NotFound

if TYPE_CHECKING:
    from radar.cnpj import Cnpj
    from radar.lookup.schemas import ProviderAttempt

__all__ = ["CnpjNotFound", "ProvidersUnavailable"]


class CnpjNotFound(NotFound):
    """Final: every provider that could be reached said the CNPJ does not exist (or a cached negative says so)."""

    code = "cnpj_not_found"

    def __init__(self, cnpj: Cnpj, attempts: Sequence[ProviderAttempt] = ()) -> None:
        self.attempts = list(attempts)
        super().__init__(
            f"no provider has a record for CNPJ {cnpj.formatted}",
            details={"cnpj": cnpj.value, "attempts": [a.model_dump(mode="json") for a in self.attempts]},
        )


class ProvidersUnavailable(DependencyUnavailable):
    """Transient: no provider gave an answer (rate-limited, circuit open, down); ask again later.

    `waiting_for_capacity`: no provider was called at all (every one had no slot in the wait budget, or its circuit
    was open), so the check only waits; `eta_seconds` is when the earliest slot starts (the capacity model's guess).
    """

    code = "providers_unavailable"

    def __init__(
        self,
        attempts: Sequence[ProviderAttempt],
        retry_after_seconds: int,
        *,
        waiting_for_capacity: bool = False,
        eta_seconds: float | None = None,
    ) -> None:
        self.attempts = list(attempts)
        self.retry_after_seconds = retry_after_seconds
        self.waiting_for_capacity = waiting_for_capacity
        self.eta_seconds = float(retry_after_seconds) if eta_seconds is None else eta_seconds
        super().__init__(
            "no CNPJ provider is available right now; try again later",
            details={
                "retry_after_seconds": retry_after_seconds,
                "attempts": [a.model_dump(mode="json") for a in self.attempts],
            },
        )
