"""The ops dashboards in headless Chromium after real traffic: charts with data, a forced alarm shown as ALARM."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest

from tests.support.browser import chromium
from tests.support.cloud import RunningCloud, Tenant

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "artifacts"
CNPJS = ("11222333000181", "19131243000197")


def _wait(predicate: Any, what: str, timeout: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.5)


def _series_total(body: dict[str, Any], title: str) -> float:
    widget = next(w for w in body["widgets"] if w.get("title") == title)
    return sum(v for series in widget["series"] for _, v in series["points"])


@pytest.fixture(scope="module")
def traffic(cloud: RunningCloud) -> Tenant:
    """A tenant with targets and checks (sync and async), plus reads: every function runs at least once."""
    tenant = cloud.signup()
    tenant.upgrade("business")  # a burst of calls: more than the free plan's 2 requests a second
    with tenant.client() as api:
        for cnpj in CNPJS:
            created = api.post("/targets", json={"cnpj": cnpj, "label": "ops e2e"})
            assert created.status_code == 201, created.text
            target_id = created.json()["id"]
            assert api.post(f"/targets/{target_id}/checks").status_code == 201
            assert api.post(f"/targets/{target_id}/checks", params={"async": "true"}).status_code == 202
        assert api.get("/usage").status_code == 200
        assert api.get("/targets").status_code == 200
    ops_url = cloud.state["ops_url"]

    def charts_have_data() -> bool:
        ops = httpx.get(f"{ops_url}/api/dashboard", params={"name": "CnpjRadar-Ops"}, timeout=30).json()
        business = httpx.get(f"{ops_url}/api/dashboard", params={"name": "CnpjRadar-Business"}, timeout=30).json()
        return (
            _series_total(ops, "API requests") > 0
            and _series_total(ops, "Invocations") > 0
            and _series_total(business, "Checks per hour") > 0
        )

    _wait(charts_have_data, "metrics from the traffic on both dashboards")
    return tenant


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


# Every drawn line has the colour its legend entry shows (a series with no data keeps its place and colour).
_COLOUR_MISMATCHES = """() => {
  const wrong = [];
  for (const section of document.querySelectorAll('section[data-type="metric"]')) {
    const legend = {};
    for (const item of section.querySelectorAll('.legend span')) {
      legend[item.dataset.series] = item.style.getPropertyValue('--c').trim();
    }
    for (const line of section.querySelectorAll('polyline[data-series]')) {
      if (legend[line.dataset.series] !== line.getAttribute('stroke')) {
        wrong.push(`${section.dataset.title}: ${line.dataset.series}`);
      }
    }
  }
  return wrong;
}"""


def test_dashboards_show_data_and_a_forced_alarm(cloud: RunningCloud, traffic: Tenant, browser: Any) -> None:
    ops_url = cloud.state["ops_url"]
    forced = "CnpjRadar-Worker-Errors"
    boto3.client("cloudwatch").set_alarm_state(
        AlarmName=forced, StateValue="ALARM", StateReason="forced by the ops dashboard e2e test"
    )
    page = browser.new_page(viewport={"width": 1600, "height": 1400})
    requests_outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(ops_url) else requests_outside.append(r.url))

    page.goto(f"{ops_url}/?range=900&period=60")  # no dashboard named: the page opens on the operations one
    page.wait_for_selector('main[data-dashboard="CnpjRadar-Ops"]', timeout=60_000)  # 12 provider panels, on a loaded CI
    first_tab = page.get_attribute("nav a:first-child", "data-dashboard")
    page.wait_for_selector(f'[data-alarm="{forced}"][data-state="ALARM"]', timeout=20_000)
    forced_colour = page.eval_on_selector(f'[data-alarm="{forced}"]', "e => getComputedStyle(e).backgroundColor")
    ok_colour = page.eval_on_selector('[data-state="OK"]', "e => getComputedStyle(e).backgroundColor")
    chips = page.eval_on_selector_all(
        'section[data-type="alarm"] .alarm-chip',
        "els => els.map(e => [e.dataset.alarm, e.dataset.state, e.getAttribute('href')])",
    )
    api_points = int(page.get_attribute('section[data-title="API requests"] svg', "data-points") or 0)
    invocation_points = int(page.get_attribute('section[data-title="Invocations"] svg', "data-points") or 0)
    shapes = page.locator('section[data-title="Invocations"] svg circle').count()
    thresholds = page.locator(f'section[data-title="Errors"] [data-threshold~="{forced}"]').count()
    wrong_stat = page.locator('section[data-title="API errors"] [data-threshold]').count()
    colour_mismatches = page.evaluate(_COLOUR_MISMATCHES)
    page.hover('section[data-title="Invocations"] rect[data-hover]')
    page.wait_for_selector('section[data-title="Invocations"] .tooltip', state="visible")
    tooltip = page.inner_text('section[data-title="Invocations"] .tooltip')
    invocation_labels = page.eval_on_selector_all(
        'section[data-title="Invocations"] .legend span', "els => els.map(e => e.dataset.series)"
    )
    ARTIFACTS.mkdir(exist_ok=True)
    ops_shot = ARTIFACTS / "ops-dashboard.png"
    page.screenshot(path=str(ops_shot), full_page=True)
    print(f"ops dashboard screenshot (tooltip on Invocations): {ops_shot}")

    runbook_href = next(href for name, _, href in chips if name == forced)
    page.goto(f"{ops_url}{runbook_href}")
    runbook_title = page.inner_text("h1")
    runbook_shot = ARTIFACTS / "ops-runbook.png"
    page.screenshot(path=str(runbook_shot), full_page=True)
    print(f"runbook page screenshot: {runbook_shot}")

    page.goto(f"{ops_url}/?range=900&period=60")
    page.wait_for_selector('main[data-dashboard="CnpjRadar-Ops"]', timeout=60_000)  # 12 provider panels, on a loaded CI
    page.click('nav a[data-dashboard="CnpjRadar-Business"]')
    page.wait_for_selector('main[data-dashboard="CnpjRadar-Business"] section[data-title="Checks per hour"]')
    checks_points = int(page.get_attribute('section[data-title="Checks per hour"] svg', "data-points") or 0)
    checks_period = page.get_attribute('section[data-title="Checks per hour"]', "data-period")
    checks_heading = page.inner_text('section[data-title="Checks per hour"] h2')
    checks_x = page.eval_on_selector_all(
        'section[data-title="Checks per hour"] svg circle', "els => els.map(e => Number(e.getAttribute('cx')))"
    )
    business_colour_mismatches = page.evaluate(_COLOUR_MISMATCHES)
    business_shot = ARTIFACTS / "business-dashboard.png"
    page.screenshot(path=str(business_shot), full_page=True)
    print(f"business dashboard screenshot: {business_shot}")
    page.close()

    assert first_tab == "CnpjRadar-Ops"
    assert forced_colour == "rgb(209, 50, 18)"  # drawn in the alarm red, not just labelled
    assert ok_colour == "rgb(29, 129, 2)"
    states = [state for _, state, _ in chips]
    assert states == sorted(states, key=lambda s: {"ALARM": 0, "INSUFFICIENT_DATA": 1, "UNKNOWN": 2, "OK": 3}[s])
    assert states[0] == "ALARM" and forced in [name for name, state, _ in chips if state == "ALARM"]
    assert all(href == f"/runbooks/{name}" for name, _, href in chips)  # every alarm has its runbook
    assert runbook_title == forced
    assert api_points > 0
    assert invocation_points > 0
    assert shapes > 0
    assert thresholds == 1  # the worker's error alarm on the Errors widget
    assert wrong_stat == 0  # the 5XX-rate alarm (an Average) is not drawn over the 5XX counts (Sums)
    assert colour_mismatches == [] and business_colour_mismatches == []
    assert re.match(r"\d\d:\d\d", tooltip) and all(label in tooltip for label in invocation_labels)
    assert checks_points > 0
    assert checks_period == "3600" and "per hour" in checks_heading  # hourly, whatever the page's period
    assert checks_x and min(checks_x) >= 0  # an hour that began before the 15 min range is still drawn
    assert requests_outside == []  # the page works offline: nothing but its own server
    assert ops_shot.stat().st_size > 10_000 and runbook_shot.stat().st_size > 5_000


def test_alarms_are_evaluated_on_the_local_metrics(cloud: RunningCloud, traffic: Tenant) -> None:
    """The evaluator has looked at every alarm: each has left moto's initial state with a reason of its own."""
    cloudwatch: Any = boto3.client("cloudwatch")

    def evaluated() -> list[dict[str, Any]] | None:
        alarms: list[dict[str, Any]] = cloudwatch.describe_alarms(AlarmNamePrefix="CnpjRadar-")["MetricAlarms"]
        fresh = [a for a in alarms if str(a["StateReason"]).startswith("Unchecked")]
        return alarms if alarms and not fresh else None

    alarms = _wait(evaluated, "every alarm evaluated", timeout=30)
    by_name = {a["AlarmName"]: a for a in alarms}
    assert by_name["CnpjRadar-Api-5xxRate"]["StateValue"] == "OK"
    assert "datapoints" in by_name["CnpjRadar-Api-5xxRate"]["StateReason"]


def test_a_checks_trace_can_be_listed(cloud: RunningCloud, traffic: Tenant) -> None:
    xray = boto3.client("xray")
    now = datetime.now(UTC)
    summaries = xray.get_trace_summaries(StartTime=now - timedelta(minutes=15), EndTime=now + timedelta(minutes=1))
    trace_ids = [s["Id"] for s in summaries["TraceSummaries"]]
    assert trace_ids
    names: set[str] = set()
    for start in range(0, len(trace_ids), 5):
        for trace in xray.batch_get_traces(TraceIds=trace_ids[start : start + 5])["Traces"]:
            names |= {json.loads(segment["Document"])["name"] for segment in trace["Segments"]}
    assert {"cnpj-radar-checks", "cnpj-radar-worker", "## lambda_handler"} <= names
