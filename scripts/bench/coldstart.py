"""Cold start: import+init time of each function's handler module in a fresh process, against a Powertools baseline."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from scripts.bench.common import REPO, median

__all__ = [
    "BASELINE",
    "ImportCost",
    "ModuleSpec",
    "direct_imports",
    "extra_import_ms",
    "function_specs",
    "import_costs",
    "measure_import_ms",
    "median_import_ms",
    "parse_importtime",
]

# Times `import <module>` only: interpreter start-up is the same for every function and not ours to shorten.
_PROBE = (
    "import sys, time, json\n"
    "paths = json.loads(sys.argv[1])\n"
    "sys.path[:0] = paths\n"
    "started = time.perf_counter()\n"
    "__import__(sys.argv[2])  # the C import path, which -X importtime times\n"
    "print(json.dumps({'ms': (time.perf_counter() - started) * 1000}))\n"
)


@dataclass(frozen=True)
class ModuleSpec:
    """A handler module as Lambda loads it: its code paths first on sys.path, and its environment."""

    name: str
    module: str
    paths: tuple[str, ...]
    environment: dict[str, str]


BASELINE = ModuleSpec(
    name="baseline", module="baseline_handler", paths=(str(REPO / "scripts" / "bench"),), environment={}
)


def _env(spec: ModuleSpec, aws: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POWERTOOLS_", "RADAR_"))}
    env.update(aws)
    env.update(spec.environment)
    # As on Lambda: code folders are read-only; only the bytecode shipped in the assets (infra_cdk/bundling.py) counts.
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _probe(spec: ModuleSpec, aws: dict[str, str], *python_options: str) -> subprocess.CompletedProcess[str]:
    """A fresh interpreter that imports the module as Lambda would (its paths, its environment)."""
    return subprocess.run(
        [sys.executable, *python_options, "-c", _PROBE, json.dumps(list(spec.paths)), spec.module],
        env=_env(spec, aws),
        cwd=spec.paths[0],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def measure_import_ms(spec: ModuleSpec, aws: dict[str, str]) -> float:
    """One fresh interpreter importing the module; milliseconds from the import statement to its return."""
    completed = _probe(spec, aws)
    if completed.returncode != 0:
        raise RuntimeError(f"{spec.name}: import failed:\n{completed.stderr[-2000:]}")
    return float(json.loads(completed.stdout.strip().splitlines()[-1])["ms"])


def median_import_ms(spec: ModuleSpec, aws: dict[str, str], runs: int) -> float:
    return median([measure_import_ms(spec, aws) for _ in range(runs)])


@dataclass(frozen=True)
class ImportCost:
    module: str
    depth: int  # 0 = imported by the probe itself, 1 = imported by that module, ...
    self_us: int
    cumulative_us: int


def parse_importtime(stderr: str) -> list[ImportCost]:
    """Rows of `python -X importtime` (`import time: self [us] | cumulative | imported package`), in its order."""
    rows: list[ImportCost] = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        fields = line[len("import time:"):].split("|")
        if len(fields) != 3:
            continue
        name = fields[2][1:]  # one separator space, then two spaces per level
        try:
            rows.append(ImportCost(name.strip(), (len(name) - len(name.lstrip())) // 2, int(fields[0]),
                                   int(fields[1])))
        except ValueError:
            continue
    return rows


def direct_imports(rows: list[ImportCost], module: str) -> list[ImportCost]:
    """The imports `module` made itself (the tree is printed children first), heaviest first."""
    pending: list[ImportCost] = []
    for row in rows:
        if row.depth == 1:
            pending.append(row)
        elif row.depth == 0:
            if row.module == module:
                return sorted(pending, key=lambda r: -r.cumulative_us)
            pending = []
    return []


def _importtime(spec: ModuleSpec, aws: dict[str, str]) -> list[ImportCost]:
    return parse_importtime(_probe(spec, aws, "-X", "importtime").stderr)


def import_costs(spec: ModuleSpec, aws: dict[str, str], top: int = 8) -> list[ImportCost]:
    """The heaviest imports the handler module makes at module scope, from `python -X importtime`."""
    return direct_imports(_importtime(spec, aws), spec.module)[:top]


def extra_import_ms(spec: ModuleSpec, aws: dict[str, str], runs: int = 3) -> dict[str, float]:
    """Median self time (ms) of the modules the handler imports and the baseline does not, grouped by package
    (`radar.<sub>` kept apart), heaviest first: what the function pays on top of the Powertools yardstick."""
    samples: dict[str, list[float]] = {}
    for _ in range(runs):
        baseline = {row.module for row in _importtime(BASELINE, aws)}
        grouped: dict[str, float] = {}
        for row in _importtime(spec, aws):
            if row.module in baseline:
                continue
            parts = row.module.split(".")
            group = ".".join(parts[:2]) if parts[0] == "radar" else parts[0]
            grouped[group] = grouped.get(group, 0.0) + row.self_us / 1000
        for group, ms in grouped.items():
            samples.setdefault(group, []).append(ms)
    medians = {group: median(values + [0.0] * (runs - len(values))) for group, values in samples.items()}
    return dict(sorted(medians.items(), key=lambda item: -item[1]))


def function_specs(state: dict[str, object]) -> list[ModuleSpec]:
    """Each function of a running local cloud's state file, with the code paths and environment it runs with."""
    functions = state["functions"]
    assert isinstance(functions, dict)
    specs = []
    for function in functions.values():
        name = str(function["name"]).rsplit("-", 1)[-1]
        handler_module = str(function.get("handler", "app.lambda_handler")).rsplit(".", 1)[0]
        specs.append(
            ModuleSpec(
                name=name,
                module=handler_module,
                paths=tuple(str(Path(p)) for p in function["code_paths"]),
                environment={k: str(v) for k, v in function["environment"].items()},
            )
        )
    return specs
