"""Run a check that is `running`: look the CNPJ up, diff against the previous report, record the outcome."""

from __future__ import annotations

import time
from typing import Any

from radar.checks.diff import diff_reports
from radar.checks.errors import StaleTransition
from radar.checks.models import CheckModel, CheckStatus
from radar.checks.repository import CheckRepository
from radar.cnpj import Cnpj
from radar.errors import DependencyUnavailable, NotFound
from radar.lookup.schemas import attempt_errors, report_json
from radar.lookup.service import Lookup
from radar.observability import logger, metrics
from radar.targets.repository import TargetRepository
from radar.timestamps import utc_iso

__all__ = ["CheckRunner"]


class CheckRunner:
    def __init__(self, checks: CheckRepository, targets: TargetRepository, lookup: Lookup) -> None:
        self._checks = checks
        self._targets = targets
        self._lookup = lookup

    def execute(self, check: CheckModel, *, remaining_ms: int | None = None) -> CheckModel:
        """Look up and record success, or a final not-found.

        Transient provider outages (DependencyUnavailable) propagate:
        the caller decides between failing now (sync) and retrying later (worker).
        """
        from aws_lambda_powertools.metrics import MetricUnit

        started = time.monotonic()
        try:
            freshness = {
                name: float(value)
                for name, value in (("max_age", check.max_age), ("max_stale", check.max_stale))
                if value is not None
            }
            result = self._lookup.lookup(
                Cnpj(str(check.cnpj)), remaining_ms=remaining_ms, force_refresh=bool(check.bypass_cache), **freshness
            )
        except NotFound as exc:
            errors = attempt_errors(getattr(exc, "attempts", None)) or [
                {
                    "provider": None,
                    "outcome": "not_found",
                    "status": 404,
                    "message": exc.message,
                    "duration_ms": None,
                }
            ]
            return self.fail(check, reason="cnpj_not_found", errors=errors)
        finally:
            metrics.add_metric(
                name="CheckDuration", unit=MetricUnit.Milliseconds, value=(time.monotonic() - started) * 1000
            )
        report = report_json(result.report)
        previous = self._previous_success(check)
        diff = diff_reports(
            previous.report if previous else None,
            report,
            previous_check_id=str(previous.check_id) if previous else None,
        )
        finished = self._finish(
            check,
            CheckStatus.SUCCEEDED,
            {
                "report": report,
                "source": result.source,
                "cached": bool(result.cached),
                "stale": True if result.stale else None,
                "diff": diff,
                # A stale answer says why: the provider attempts that failed.
                "errors": attempt_errors(result.attempts) if result.stale else None,
                "failure_reason": None,
                "retry_at": None,
                "lease_until": None,
                "finished_at": utc_iso(),
            },
        )
        metrics.add_metric(name="ChecksSucceeded", unit=MetricUnit.Count, value=1)
        if finished.status == CheckStatus.SUCCEEDED:
            self._point_target_at(finished)
        # Counts only: the diff itself holds partner names and documents.
        logger.info(
            "check succeeded",
            extra={
                "check_id": check.check_id,
                "source": result.source,
                "cached": bool(result.cached),
                "changed_fields": len(diff["changes"]),
                "partners_in": len(diff["partners_in"]),
                "partners_out": len(diff["partners_out"]),
            },
        )
        return finished

    def _previous_success(self, check: CheckModel) -> CheckModel | None:
        """The newest succeeded check of the target created before this one: the target's pointer when it is
        older than this check, else (a target from before the pointer, or a newer check finished first) the
        target's history."""
        pointer = self._targets.last_success(str(check.tenant_id), str(check.target_id))
        if pointer is None or pointer.order >= str(check.gsi1sk):
            return self._checks.previous_success(check)
        if pointer.check_id is None:
            return None
        previous = self._checks.find(str(check.tenant_id), pointer.check_id)
        # Gone means expired by retention: every older success of the target expired before it.
        return previous if previous is not None and previous.status == CheckStatus.SUCCEEDED else None

    def _point_target_at(self, check: CheckModel) -> None:
        try:
            self._targets.record_success(
                str(check.tenant_id), str(check.target_id), check_id=str(check.check_id), order=str(check.gsi1sk)
            )
        except DependencyUnavailable:
            # The check itself is recorded (botocore already retried): only the target's next diff will compare
            # against the success before this one. Rare, and logged so it can be told apart.
            logger.warning("could not point the target at its newest success", extra={"check_id": check.check_id})

    def fail(self, check: CheckModel, *, reason: str, errors: list[dict[str, Any]]) -> CheckModel:
        return self.record_failure(check, reason=reason, errors=errors)[0]

    def record_failure(
        self, check: CheckModel, *, reason: str, errors: list[dict[str, Any]]
    ) -> tuple[CheckModel, bool]:
        """Record the check failed; also say whether this call made the transition (a duplicate's is stale), so
        exactly one caller gives the allowance back."""
        from aws_lambda_powertools.metrics import MetricUnit

        finished, landed = self._finish_once(
            check,
            CheckStatus.FAILED,
            {
                "errors": errors,
                "failure_reason": reason,
                "retry_at": None,
                "lease_until": None,
                "finished_at": utc_iso(),
            },
        )
        if landed:
            metrics.add_metric(name="ChecksFailed", unit=MetricUnit.Count, value=1)
            logger.info("check failed", extra={"check_id": check.check_id, "failure_reason": reason})
        return finished, landed

    def _finish(self, check: CheckModel, status: str, fields: dict[str, Any]) -> CheckModel:
        return self._finish_once(check, status, fields)[0]

    def _finish_once(self, check: CheckModel, status: str, fields: dict[str, Any]) -> tuple[CheckModel, bool]:
        try:
            finished = self._checks.transition(
                str(check.tenant_id),
                str(check.check_id),
                expected=[CheckStatus.RUNNING],
                to=status,
                fields=fields,
                batch=(str(check.batch_id), CheckStatus.RUNNING) if check.batch_id else None,
                known=check,
            )
        except StaleTransition:
            logger.warning("check already finished elsewhere", extra={"check_id": check.check_id})
            return self._checks.get(str(check.tenant_id), str(check.check_id)), False
        return finished, True
