"""Deployment settings read once from CDK context (`-c radar:<key>=...`) or the environment, with safe defaults."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

from constructs import Construct

__all__ = ["PROVIDER_NAMES", "PYTHON_VERSION", "STACK_ID", "Settings"]

STACK_ID = "CnpjRadar"
# One Python version for the runtime and for the wheels pip picks for the deps layer; bump both together.
PYTHON_VERSION = "3.12"
# Provider order as data: PROVIDER_ORDER for the functions, and the provider panels of the dashboard.
PROVIDER_NAMES: tuple[str, ...] = ("cnpjws", "brasilapi", "receitaws")


def _split_origins(raw: object) -> tuple[str, ...]:
    if isinstance(raw, list | tuple):
        items = [str(item) for item in raw]
    else:
        text = str(raw or "").strip()
        items = json.loads(text) if text.startswith("[") else text.split(",")
    return tuple(origin.strip() for origin in items if str(origin).strip())


@dataclass(frozen=True)
class Settings:
    cors_allowed_origins: tuple[str, ...] = ()
    log_retention_days: int = 30
    log_level: str = "INFO"
    stage_name: str = "v1"
    stage_rate_limit: float = 500.0
    stage_burst_limit: int = 1000
    alarm_email: str | None = None
    runbook_base_url: str = "docs/runbooks"
    allow_mock_fallback: bool = False

    @classmethod
    def from_scope(cls, scope: Construct) -> Settings:
        """Context first, then the environment (`RADAR_<KEY>` or `CORS_ALLOWED_ORIGINS`), then the defaults above."""

        def value(key: str, env: str) -> object:
            found = scope.node.try_get_context(f"radar:{key}")
            return found if found is not None else os.environ.get(env)

        defaults = cls()
        retention = value("logRetentionDays", "RADAR_LOG_RETENTION_DAYS")
        rate = value("stageRateLimit", "RADAR_STAGE_RATE_LIMIT")
        burst = value("stageBurstLimit", "RADAR_STAGE_BURST_LIMIT")
        mock = value("allowMockFallback", "RADAR_ALLOW_MOCK_FALLBACK")
        return cls(
            cors_allowed_origins=_split_origins(value("corsAllowedOrigins", "CORS_ALLOWED_ORIGINS")),
            log_retention_days=int(str(retention)) if retention is not None else defaults.log_retention_days,
            log_level=str(value("logLevel", "RADAR_LOG_LEVEL") or defaults.log_level),
            stage_rate_limit=float(str(rate)) if rate is not None else defaults.stage_rate_limit,
            stage_burst_limit=int(str(burst)) if burst is not None else defaults.stage_burst_limit,
            alarm_email=str(value("alarmEmail", "RADAR_ALARM_EMAIL") or "") or None,
            runbook_base_url=str(value("runbookBaseUrl", "RADAR_RUNBOOK_BASE_URL") or defaults.runbook_base_url),
            allow_mock_fallback=str(mock).lower() == "true" if mock is not None else False,
        )

    def runbook_url(self, alarm_name: str) -> str:
        return f"{self.runbook_base_url.rstrip('/')}/{alarm_name}.md"
