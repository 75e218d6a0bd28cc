"""The local cloud runs the template's EventBridge schedules: which rules, which function behind a target (the `live`
alias), which event it gets, their rate, and the gateway's local-only control that fires one on demand."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from scripts.localcloud.gateway import Request
from scripts.localcloud.runtime import InvokeResult
from scripts.localcloud.schedules import CONTROL_PATH, Scheduler, rate_seconds, schedule_specs
from scripts.localcloud.template import Template

ALIAS = {"Ref": "PurgeFunctionLiveAlias"}
RESOURCES = {
    "PurgeFunction": {"Type": "AWS::Lambda::Function", "Properties": {"FunctionName": "CnpjRadar-purge"}},
    "PurgeFunctionLiveAlias": {"Type": "AWS::Lambda::Alias", "Properties": {
        "FunctionName": {"Ref": "PurgeFunction"}, "Name": "live"}},
    # As CDK writes events.Rule(schedule=rate, targets=[LambdaFunction(alias, event=from_object(...))]).
    "BillingSweepSchedule": {"Type": "AWS::Events::Rule", "Properties": {
        "ScheduleExpression": "rate(1 hour)", "State": "ENABLED",
        "Targets": [{"Arn": ALIAS, "Id": "Target0", "Input": json.dumps({"action": "billing.sweep"})}]}},
    "NightlyRule": {"Type": "AWS::Events::Rule", "Properties": {
        "ScheduleExpression": "cron(0 3 * * ? *)", "State": "DISABLED", "Targets": [{"Arn": ALIAS, "Id": "T"}]}},
    "PatternRule": {"Type": "AWS::Events::Rule", "Properties": {
        "EventPattern": {"source": ["aws.backup"]}, "Targets": [{"Arn": ALIAS, "Id": "T"}]}},
}


class Recorder:
    """Stands in for a function runtime: records the events it is invoked with."""

    class spec:
        name = "CnpjRadar-purge"

    def __init__(self) -> None:
        self.events: list[Any] = []
        self.called = threading.Event()

    def invoke(self, event: Any) -> InvokeResult:
        self.events.append(event)
        self.called.set()
        return InvokeResult(ok=True, payload={"due": 0, "settled": 0, "failed": 0, "more": False})


@pytest.fixture
def template() -> Template:
    return Template(path=Path("CnpjRadar.template.json"), body={"Resources": RESOURCES}, stack_name="CnpjRadar")


@pytest.mark.parametrize(("expression", "seconds"), [
    ("rate(1 hour)", 3600), ("rate(5 minutes)", 300), ("rate(1 minute)", 60), ("rate(2 days)", 172800),
    ("cron(0 3 * * ? *)", None),
])
def test_rate_expressions_as_eventbridge_spells_them(expression: str, seconds: float | None) -> None:
    assert rate_seconds(expression) == seconds


@pytest.mark.parametrize("expression", ["rate(1 hours)", "rate(5 minute)"])
def test_rate_expressions_eventbridge_refuses_are_refused(expression: str) -> None:
    with pytest.raises(ValueError, match="singular"):
        rate_seconds(expression)


def test_schedule_rules_target_the_function_behind_the_alias_with_their_input(template: Template) -> None:
    specs = {s.logical_id: s for s in schedule_specs(template)}
    assert set(specs) == {"BillingSweepSchedule", "NightlyRule"}  # an event-pattern rule is not a schedule
    sweep = specs["BillingSweepSchedule"]
    assert sweep.enabled and sweep.period == 3600
    assert sweep.targets == [("PurgeFunction", {"action": "billing.sweep"})]
    nightly = specs["NightlyRule"]
    assert not nightly.enabled and nightly.period is None
    (function, event), = nightly.targets  # no Input: EventBridge's own Scheduled Event
    assert function == "PurgeFunction" and event["detail-type"] == "Scheduled Event" and event["source"] == "aws.events"


def _request(method: str, path: str) -> Request:
    return Request(method=method, path=path, query=[], headers=[], body=b"", source_ip="127.0.0.1")


def test_the_control_lists_the_rules_and_fires_one_on_demand(template: Template) -> None:
    recorder = Recorder()
    template.refs["BillingSweepSchedule"] = "CnpjRadar-BillingSweepSchedule"  # its physical name, once provisioned
    scheduler = Scheduler(schedule_specs(template), {"PurgeFunction": recorder})  # type: ignore[dict-item]
    listed = json.loads(scheduler.route(_request("GET", CONTROL_PATH)).body)
    assert {s["rule"] for s in listed["schedules"]} == {"BillingSweepSchedule", "NightlyRule"}

    fired = scheduler.route(_request("POST", f"{CONTROL_PATH}/BillingSweepSchedule"))
    assert fired.status == 200
    assert json.loads(fired.body)["results"] == [{"function": "CnpjRadar-purge", "ok": True, "result": {
        "due": 0, "settled": 0, "failed": 0, "more": False}}]
    assert recorder.events == [{"action": "billing.sweep"}]
    # By its physical name too; an unknown rule is a 404 naming the known ones; GET never fires.
    assert scheduler.route(_request("POST", f"{CONTROL_PATH}/CnpjRadar-BillingSweepSchedule")).status == 200
    missing = scheduler.route(_request("POST", f"{CONTROL_PATH}/NoSuchRule"))
    assert missing.status == 404 and "BillingSweepSchedule" in json.loads(missing.body)["error"]["details"]["rules"]
    assert scheduler.route(_request("GET", f"{CONTROL_PATH}/BillingSweepSchedule")).status == 405
    assert len(recorder.events) == 2
    runs = json.loads(scheduler.route(_request("GET", CONTROL_PATH)).body)["schedules"]
    assert next(s for s in runs if s["rule"] == "BillingSweepSchedule")["runs"][0]["trigger"] == "manual"


def test_an_enabled_rate_rule_fires_by_itself_every_period(template: Template) -> None:
    recorder = Recorder()
    # rate(1 hour) at 36,000 times real speed: a period of 0.1 s.
    scheduler = Scheduler(schedule_specs(template), {"PurgeFunction": recorder},  # type: ignore[dict-item]
                          time_scale=36_000)
    scheduler.start()
    try:
        deadline = time.monotonic() + 10
        while len(recorder.events) < 3 and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        scheduler.stop()
    assert recorder.events[:3] == [{"action": "billing.sweep"}] * 3  # the disabled cron rule never fired
    assert scheduler.thread is not None and not scheduler.thread.is_alive()
    runs = scheduler.specs["BillingSweepSchedule"].runs
    assert {r["trigger"] for r in runs} == {"schedule"}


def test_make_schedule_fires_a_rule_of_the_running_cloud_named_by_its_state_file(
    template: Template, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`python -m scripts.localcloud schedule <rule>` (make schedule RULE=...) posts to the gateway's control."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from scripts.localcloud.__main__ import main

    recorder = Recorder()
    scheduler = Scheduler(schedule_specs(template), {"PurgeFunction": recorder})  # type: ignore[dict-item]

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            response = scheduler.route(_request(self.command, self.path))
            self.send_response(response.status)
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            self.wfile.write(response.body)

        do_GET = do_POST = _answer

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        state = tmp_path / "state.json"
        state.write_text(json.dumps({"api_url": f"http://127.0.0.1:{server.server_address[1]}"}), encoding="utf-8")
        assert main(["schedule", "BillingSweepSchedule", "--state", str(state)]) == 0
        assert json.loads(capsys.readouterr().out)["rule"] == "BillingSweepSchedule"
        assert recorder.events == [{"action": "billing.sweep"}]
        assert main(["schedule", "--state", str(state)]) == 0  # no rule: the list
        assert {s["rule"] for s in json.loads(capsys.readouterr().out)["schedules"]} >= {"BillingSweepSchedule"}
        assert main(["schedule", "Nope", "--state", str(state)]) == 1
        assert main(["schedule", "BillingSweepSchedule", "--state", str(tmp_path / "none.json")]) == 1
        assert len(recorder.events) == 1
    finally:
        server.shutdown()
        server.server_close()
