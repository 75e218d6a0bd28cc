"""EventBridge schedules of the template: every AWS::Events::Rule with a ScheduleExpression invokes its function
targets with their constant Input, as EventBridge does: at its rate (`rate(...)`; a `cron(...)` rule only when fired),
and on demand through the gateway's local-only control (no such path exists on AWS):

    GET  /_localcloud/schedules          the rules, their expressions, targets and last runs
    POST /_localcloud/schedules/<rule>   fire one now (logical id or rule name); answers each target's result

`make schedule RULE=BillingSweepSchedule` posts the second on the running local cloud.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from scripts.localcloud.gateway import Request, Response
from scripts.localcloud.runtime import FunctionRuntime
from scripts.localcloud.template import Template

__all__ = ["CONTROL_PATH", "ScheduleSpec", "Scheduler", "rate_seconds", "schedule_specs"]

logger = logging.getLogger("localcloud.schedules")

CONTROL_PATH = "/_localcloud/schedules"
_UNITS = {"minute": 60, "minutes": 60, "hour": 3600, "hours": 3600, "day": 86400, "days": 86400}


def rate_seconds(expression: str) -> float | None:
    """Seconds between runs of `rate(N unit)` (EventBridge's spelling: 1 hour, 5 minutes); None for cron()."""
    match = re.fullmatch(r"rate\((\d+)\s+(minutes?|hours?|days?)\)", expression.strip())
    if match is None:
        return None
    amount, unit = int(match.group(1)), match.group(2)
    if amount < 1 or (amount == 1) != (not unit.endswith("s")):
        raise ValueError(f"EventBridge refuses {expression!r} (1 takes a singular unit, more a plural one)")
    return float(amount * _UNITS[unit])


@dataclass
class ScheduleSpec:
    logical_id: str
    name: str
    expression: str
    enabled: bool
    targets: list[tuple[str, Any]]  # (function logical id, the event it gets)
    runs: list[dict[str, Any]] = field(default_factory=list)

    @property
    def period(self) -> float | None:
        return rate_seconds(self.expression)


def schedule_specs(template: Template) -> list[ScheduleSpec]:
    specs = []
    for logical_id, resource in template.of_type("AWS::Events::Rule"):
        raw = resource.get("Properties", {})
        expression = raw.get("ScheduleExpression")
        if not expression:
            continue  # an event-pattern rule: nothing here emits those events
        targets = []
        for target in raw.get("Targets", []):
            function = template.function_behind(target.get("Arn"))
            if function is None:
                continue
            given = template.try_resolve(target.get("Input"))
            # Without Input, EventBridge sends its own Scheduled Event.
            event = json.loads(given) if isinstance(given, str) else {
                "version": "0", "detail-type": "Scheduled Event", "source": "aws.events", "detail": {},
                "resources": [str(template.try_resolve({"Fn::GetAtt": [logical_id, "Arn"]}) or "")]}
            targets.append((function, event))
        specs.append(ScheduleSpec(logical_id=logical_id, name=str(template.refs.get(logical_id, logical_id)),
                                  expression=str(expression), enabled=raw.get("State", "ENABLED") == "ENABLED",
                                  targets=targets))
    return specs


class Scheduler:
    """Fires each enabled rate() rule every period (the first run one period after the start, as EventBridge), and
    any rule on demand."""

    def __init__(self, specs: list[ScheduleSpec], runtimes: dict[str, FunctionRuntime], *,
                 time_scale: float = 1.0) -> None:
        self.specs = {spec.logical_id: spec for spec in specs}
        self.time_scale = time_scale  # > 1 runs the rates faster (tests); the local cloud keeps real time
        self.runtimes = runtimes
        self.stop_event = threading.Event()
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()

    def find(self, rule: str) -> ScheduleSpec | None:
        return self.specs.get(rule) or next((s for s in self.specs.values() if s.name == rule), None)

    def fire(self, spec: ScheduleSpec, trigger: str) -> list[dict[str, Any]]:
        results = []
        for function, event in spec.targets:
            runtime = self.runtimes.get(function)
            if runtime is None:
                continue
            outcome = runtime.invoke(event)
            results.append({"function": runtime.spec.name, "ok": outcome.ok,
                            "result": outcome.payload if outcome.ok else outcome.error})
        with self.lock:
            spec.runs = [{"at": time.time(), "trigger": trigger, "results": results}, *spec.runs][:10]
        return results

    def start(self) -> None:
        timed = [s for s in self.specs.values() if s.enabled and s.period]
        if not timed:
            return
        self.thread = threading.Thread(target=self._loop, args=(timed,), name="schedules", daemon=True)
        self.thread.start()

    def _loop(self, timed: list[ScheduleSpec]) -> None:
        period = {spec.logical_id: float(spec.period or 0) / self.time_scale for spec in timed}
        due = {spec.logical_id: time.monotonic() + period[spec.logical_id] for spec in timed}
        while not self.stop_event.is_set():
            spec = min(timed, key=lambda s: due[s.logical_id])
            if self.stop_event.wait(max(0.0, due[spec.logical_id] - time.monotonic())):
                return
            due[spec.logical_id] += period[spec.logical_id]
            try:
                self.fire(spec, "schedule")
            except Exception:  # a failed run is retried at the next one, as a schedule would
                logger.exception("scheduled rule %s failed", spec.logical_id)

    def stop(self) -> None:
        self.stop_event.set()
        if self.thread is not None:
            self.thread.join(timeout=5)

    def route(self, request: Request) -> Response:
        rule = request.path[len(CONTROL_PATH):].strip("/")
        if not rule and request.method == "GET":
            with self.lock:
                listed = [{"rule": s.logical_id, "name": s.name, "expression": s.expression, "enabled": s.enabled,
                           "targets": [f for f, _ in s.targets], "runs": s.runs} for s in self.specs.values()]
            return _json(200, {"schedules": listed})
        spec = self.find(rule) if rule else None
        if spec is None:
            return _json(404, {"error": {"code": "not_found", "message": f"no scheduled rule {rule!r}",
                                         "details": {"rules": sorted(self.specs)}}})
        if request.method != "POST":
            return _json(405, {"error": {"code": "method_not_allowed", "message": "POST fires the rule"}})
        results = self.fire(spec, "manual")
        return _json(200 if all(r["ok"] for r in results) else 502, {"rule": spec.logical_id, "results": results})


def _json(status: int, body: Any) -> Response:
    return Response(status, {"Content-Type": "application/json"}, json.dumps(body, default=str).encode())
