"""Helpers shared by the benchmarks: percentiles, process-tree memory, loading a function's handler in-process."""

from __future__ import annotations

import importlib.util
import json
import os
import statistics
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

__all__ = ["BenchContext", "child_pids", "emit", "load_handler", "percentile", "tree_rss_mb"]

REPO = Path(__file__).resolve().parents[2]


class BenchContext:
    """The Lambda context a handler called in-process gets: a fixed time budget of `remaining_ms`."""

    function_name = "bench"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:bench"
    aws_request_id = "bench"

    def __init__(self, remaining_ms: int = 28_000) -> None:
        self._remaining_ms = remaining_ms

    def get_remaining_time_in_millis(self) -> int:
        return self._remaining_ms


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def emit(name: str, value: float | str, unit: str = "") -> None:
    """One figure per line, `name: value`, as the benchmarks promise."""
    text = f"{value:.3f}" if isinstance(value, float) else str(value)
    print(f"{name}: {text}{(' ' + unit) if unit else ''}", flush=True)


def child_pids(pid: int) -> list[int]:
    """The direct children of a process (from /proc; a thread that ends meanwhile is skipped)."""
    found: list[int] = []
    task_dir = Path(f"/proc/{pid}/task")
    if not task_dir.exists():
        return found
    for task in task_dir.iterdir():
        try:
            found.extend(int(c) for c in (task / "children").read_text().split())
        except OSError:
            continue
    return found


def tree_rss_mb(root_pid: int) -> float:
    """Resident memory of a process and all its descendants, in MiB (from /proc, no extra dependency)."""
    total_kb = 0
    stack = [root_pid]
    seen: set[int] = set()
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
        except OSError:
            continue
        stack.extend(child_pids(pid))
    return total_kb / 1024


def load_handler(function: str, environment: dict[str, str]) -> ModuleType:
    """Import functions/<function>/app.py in this process with the function's environment, as Lambda would."""
    os.environ.update(environment)
    sys.path.insert(0, str(REPO / "layers" / "radar" / "python"))
    spec = importlib.util.spec_from_file_location(f"bench_fn_{function}", REPO / "functions" / function / "app.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_event(name: str) -> dict[str, Any]:
    return dict(json.loads((REPO / "events" / name).read_text()))
