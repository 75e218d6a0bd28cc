"""`make ops`: the dashboards' figures in the terminal (alarms with states, each widget's latest values)."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

__all__ = ["format_dashboard", "main", "read_state"]

REPO = Path(__file__).resolve().parents[2]
_STATE_MARK = {"OK": "ok   ", "ALARM": "ALARM", "INSUFFICIENT_DATA": "insuf", "UNKNOWN": "?    "}


def read_state(path: Path | None = None) -> dict[str, Any]:
    """The running local cloud's state file (RADAR_STATE_FILE, default .local/state.json)."""
    path = path or Path(os.environ.get("RADAR_STATE_FILE", str(REPO / ".local" / "state.json")))
    if not path.exists():
        raise FileNotFoundError(f"{path} not found: start the local cloud first (make up)")
    return dict(json.loads(path.read_text(encoding="utf-8")))


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:,.0f}" if abs(value) >= 1000 or float(value).is_integer() else f"{value:.3g}"


def _clock(epoch: float) -> str:
    return datetime.fromtimestamp(epoch).strftime("%H:%M:%S")


def format_dashboard(name: str, rendered: dict[str, Any]) -> list[str]:
    """One dashboard as text: widgets in grid order (top to bottom, left to right), latest value per series."""
    period = rendered.get("period")
    lines = [f"Dashboard {name}  (last {rendered['range'] // 60} min, "
             f"{'template periods' if period is None else f'{period} s periods'})"]
    for widget in sorted(rendered["widgets"], key=lambda w: (w["y"], w["x"])):
        if widget["type"] == "text":
            first = next((line.lstrip("# ") for line in widget.get("markdown", "").splitlines() if line.strip()), "")
            lines.append(f"  [{first}]")
        elif widget["type"] == "alarm":
            states = [a["state"] for a in widget["alarms"]]
            summary = ", ".join(f"{states.count(s)} {s}" for s in sorted(set(states)))
            lines.append(f"  {widget['title'] or 'Alarms'}: {summary}")
        elif widget["type"] == "metric":
            timeline = widget.get("period") and widget["view"] != "singleValue"
            per = f"  ({widget['period']} s periods)" if timeline else ""
            lines.append(f"  {widget['title']}{per}")
            if not widget["series"]:
                lines.append("      (no series)")
            for series in widget["series"]:
                points = series["points"]
                latest = f"{_number(points[-1][1]):>12}  at {_clock(points[-1][0])}" if points else f"{'-':>12}"
                stale = "  (stale: nothing since)" if (series.get("last") or {}).get("stale") else ""
                lines.append(f"      {series['label'][:44]:<44} {latest}{stale}")
            for line in widget.get("thresholds", []):
                lines.append(f"      alarm {line['alarm']}: {line['state']} when {line['detail']} "
                             f"{line['comparison']} {_number(line['value'])}")
            for error in widget.get("errors", []):
                lines.append(f"      ! {error}")
    return lines


def _lag(seconds: float | None) -> str:
    """A data lag as people say it: `live` for none, else whole days or hours."""
    if not seconds:
        return "live"
    return f"{seconds / 86400:g} d" if seconds >= 86400 else f"{seconds / 3600:g} h"


def provider_lines(state: dict[str, Any]) -> list[str]:
    """Each provider's capacity now, its breaker and its declared data lag, as the API's readiness reports them (the
    chain's own items)."""
    import httpx

    try:
        body = httpx.get(f"{state['api_url']}/health/ready", timeout=5).json()
    except (httpx.HTTPError, KeyError, ValueError) as exc:
        return [f"\nProviders: readiness unreadable ({type(exc).__name__})"]
    providers = body.get("providers") or []
    lines = [f"\nProviders ({len(providers)}, in the chain's order): per minute, slots free now, next slot, breaker, "
             "data lag"]
    for p in providers:
        slots = "unlimited" if p.get("slots_now") is None else _number(p["slots_now"])
        lines.append(f"  {p['name']:<14} {_number(p.get('per_minute')):>8}/min  {slots:>9} free  "
                     f"next in {_number(p['next_slot_seconds'])} s  breaker {p['breaker']} ({p['outage_group']})  "
                     f"lag {_lag(p.get('data_lag_seconds'))}")
    return lines


def _report(state: dict[str, Any], args: argparse.Namespace, out: TextIO) -> None:
    from scripts.localcloud.ops import alarm_states, dashboard_names, load_dashboard, render_dashboard

    alarms = alarm_states()
    print(f"cnpj-radar local cloud  emulator {state.get('endpoint')}  page {state.get('ops_url') or '-'}", file=out)
    counts = ", ".join(f"{sum(a['state'] == s for a in alarms)} {s}" for s in sorted({a["state"] for a in alarms}))
    print(f"\nAlarms ({len(alarms)}): {counts or 'none'}", file=out)
    for alarm in alarms:  # worst first
        reason = alarm["reason"].removeprefix("Local evaluation: ")
        print(f"  {_STATE_MARK.get(alarm['state'], alarm['state'])}  {alarm['name']:<44} {reason[:90]}", file=out)
    for line in provider_lines(state):
        print(line, file=out)
    names = dashboard_names(first=[n for n in state.get("dashboards", []) if isinstance(n, str)])
    chosen = [n for n in names if not args.dashboard or args.dashboard.lower() in n.lower()]
    for name in chosen:
        period = None if args.period == "template" else int(args.period)
        rendered = render_dashboard(load_dashboard(name), range_s=args.range, period=period)
        print("", *format_dashboard(name, rendered), sep="\n", file=out, flush=True)


def main(argv: list[str] | None = None, out: TextIO = sys.stdout) -> int:
    parser = argparse.ArgumentParser(prog="make ops", description=__doc__)
    parser.add_argument("--dashboard", help="only dashboards whose name contains this")
    parser.add_argument("--range", type=int, default=3600, help="seconds of history (default 3600)")
    parser.add_argument("--period", default="60", help="seconds per datapoint, or 'template' (default 60)")
    parser.add_argument("--watch", type=float, default=0, help="repeat every N seconds")
    parser.add_argument("--state", type=Path, default=None, help="state file (default .local/state.json)")
    args = parser.parse_args(argv)
    try:
        state = read_state(args.state)
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 1
    os.environ.update(
        {
            "AWS_ENDPOINT_URL": str(state["endpoint"]),
            "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION", "us-east-1"),
            "AWS_ACCESS_KEY_ID": os.environ.get("AWS_ACCESS_KEY_ID", "testing"),
            "AWS_SECRET_ACCESS_KEY": os.environ.get("AWS_SECRET_ACCESS_KEY", "testing"),
        }
    )
    from botocore.exceptions import BotoCoreError, ClientError

    while True:
        try:
            _report(state, args, out)
        except (BotoCoreError, ClientError) as exc:
            endpoint = state["endpoint"]
            print(f"cannot read the emulator at {endpoint} (is the local cloud running?): {exc}", file=sys.stderr)
            return 1
        if not args.watch:
            return 0
        time.sleep(args.watch)
        print("\n" + "-" * 100, file=out)


if __name__ == "__main__":
    sys.exit(main())
