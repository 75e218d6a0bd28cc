"""Run a check that is `running`: look the CNPJ up, diff against the previous report, record the outcome."""

from __future__ import annotations

import time
from typing import Any

from radar.checks.diff import VOLATILE_KEYS, diff_reports
from radar.checks.errors import StaleTransition
from radar.checks.models import CheckModel, CheckStatus
from radar.checks.repository import CheckRepository, is_expired
from radar.cnpj import Cnpj
from radar.errors import NotFound
from radar.lookup.schemas import LookupResult, attempt_errors, report_json
from radar.lookup.service import Lookup
from radar.observability import logger, metrics
from radar.targets.models import TargetModel
from radar.targets.repository import TargetRepository, last_success_of
from radar.timestamps import utc_iso

__all__ = ["CheckRunner", "report_digest"]


class CheckRunner:
    def __init__(self, checks: CheckRepository, targets: TargetRepository, lookup: Lookup) -> None:
        self._checks = checks
        self._targets = targets
        self._lookup = lookup

    def execute(
        self, check: CheckModel, *, remaining_ms: int | None = None, target: TargetModel | None = None
    ) -> CheckModel:
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
        fields = self.success_fields(check, result, target)
        finished = self._finish(check, CheckStatus.SUCCEEDED, fields, also=[self.pointer_write(check, fields)])
        metrics.add_metric(name="ChecksSucceeded", unit=MetricUnit.Count, value=1)
        self.log_success(finished)
        return finished

    def success_fields(
        self, check: CheckModel, result: LookupResult, target: TargetModel | None = None
    ) -> dict[str, Any]:
        """What a succeeded check records: its report, where it came from, and its diff against the target's previous
        success (`target`: the item as the caller read it; None: its pointer is read)."""
        report = report_json(result.report)
        return {
            "report": report,
            "source": result.source,
            "cached": bool(result.cached),
            "stale": True if result.stale else None,
            "diff": self._diff(check, report, target),
            # A stale answer says why: the provider attempts that failed.
            "errors": attempt_errors(result.attempts) if result.stale else None,
            "failure_reason": None,
            "retry_at": None,
            "lease_until": None,
            "finished_at": utc_iso(),
        }

    def pointer_write(self, check: CheckModel, fields: dict[str, Any]) -> dict[str, Any]:
        """The target's success pointer (with the report's digest) as a transaction entry, to commit with the
        check's success, so the two agree; it drops out when the target already points at a newer check."""
        return self._targets.success_write(
            str(check.tenant_id),
            str(check.target_id),
            check_id=str(check.check_id),
            order=str(check.gsi1sk),
            digest=report_digest(fields["report"]),
            expires_at=float(check.expires_at) if check.expires_at is not None else None,
        )

    @staticmethod
    def log_success(check: CheckModel) -> None:
        # Counts only: the diff itself holds partner names and documents.
        diff = check.diff or {}
        logger.info(
            "check succeeded",
            extra={
                "check_id": check.check_id,
                "source": check.source,
                "cached": bool(check.cached),
                "changed_fields": len(diff.get("changes", [])),
                "partners_in": len(diff.get("partners_in", [])),
                "partners_out": len(diff.get("partners_out", [])),
            },
        )

    def _diff(self, check: CheckModel, report: dict[str, Any], target: TargetModel | None) -> dict[str, Any]:
        """The diff against the newest succeeded check of the target created before this one. The target's pointer
        names it when it is older than this check; a report with the digest the pointer recorded is unchanged, so
        the old check is not read. Otherwise (a target from before the pointer, or a newer check finished first)
        the target's history is searched."""
        pointer = (
            last_success_of(target)
            if target is not None
            else self._targets.last_success(str(check.tenant_id), str(check.target_id))
        )
        if pointer is None or pointer.order >= str(check.gsi1sk):
            previous = self._checks.previous_success(check)
        elif pointer.check_id is None:
            previous = None
        elif pointer.digest is not None and pointer.digest == report_digest(report):
            if pointer.expires_at is not None and is_expired(pointer.expires_at):
                return diff_reports(None, report)  # expired by retention, like the check it names
            return diff_reports(report, report, previous_check_id=pointer.check_id)
        else:
            found = self._checks.find(str(check.tenant_id), pointer.check_id)
            # Gone means expired by retention: every older success of the target expired before it.
            previous = found if found is not None and found.status == CheckStatus.SUCCEEDED else None
        return diff_reports(
            previous.report if previous else None,
            report,
            previous_check_id=str(previous.check_id) if previous else None,
        )

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

    def _finish(
        self, check: CheckModel, status: str, fields: dict[str, Any], also: list[dict[str, Any]] | None = None
    ) -> CheckModel:
        return self._finish_once(check, status, fields, also)[0]

    def _finish_once(
        self, check: CheckModel, status: str, fields: dict[str, Any], also: list[dict[str, Any]] | None = None
    ) -> tuple[CheckModel, bool]:
        try:
            finished = self._checks.transition(
                str(check.tenant_id),
                str(check.check_id),
                expected=[CheckStatus.RUNNING],
                to=status,
                fields=fields,
                batch=(str(check.batch_id), CheckStatus.RUNNING) if check.batch_id else None,
                known=check,
                also=also or (),
            )
        except StaleTransition:
            logger.warning("check already finished elsewhere", extra={"check_id": check.check_id})
            return self._checks.get(str(check.tenant_id), str(check.check_id)), False
        return finished, True


def report_digest(report: dict[str, Any]) -> str:
    """A report's fingerprint without the fields that change on every fetch: two reports with the same digest
    differ in nothing a diff compares."""
    import hashlib
    import json

    stable = {key: value for key, value in report.items() if key not in VOLATILE_KEYS}
    text = json.dumps(stable, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()
