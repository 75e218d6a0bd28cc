"""LGPD retention: how long a tenant's checks and reports live (tenant setting, else the plan's default)."""

from __future__ import annotations

import time

from radar.metering.service import TenantSettings
from radar.tiers import TiersConfig, load_tiers

__all__ = ["RetentionPolicy"]

DAY_SECONDS = 86_400


class RetentionPolicy:
    """Pure: the tenant's settings come from the one read that also meters the check (UsageMeter.tenant_settings)."""

    def __init__(self, *, tiers: TiersConfig | None = None) -> None:
        self._tiers = tiers or load_tiers()

    def days(self, settings: TenantSettings) -> int:
        """The tenant's retention_days when set, else its plan's retention_days."""
        if settings.retention_days:
            return settings.retention_days
        tier = self._tiers.tiers.get(settings.plan) or self._tiers.get(self._tiers.default_plan)
        return tier.retention_days

    def expires_at(self, settings: TenantSettings, *, now: float | None = None) -> int:
        return int((now if now is not None else time.time()) + self.days(settings) * DAY_SECONDS)
