"""The README's examples (curl, Python SDK, JavaScript fetch) run exactly as written against the local cloud."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.support.cloud import RunningCloud

pytestmark = pytest.mark.e2e
README = Path(__file__).resolve().parents[2] / "README.md"


def example(name: str) -> str:
    """The fenced block right after `<!-- example: name -->` in the README."""
    found = re.search(rf"<!-- example: {name} -->\n```\w+\n(.*?)\n```", README.read_text(encoding="utf-8"), re.S)
    assert found, f"README has no `{name}` example"
    return found.group(1)


def _run(command: list[str], cloud: RunningCloud, cwd: Path) -> str:
    suffix = uuid.uuid4().hex[:10]
    env = {k: v for k, v in os.environ.items() if not k.startswith("RADAR_")}
    env |= {"API": cloud.api_url, "EMAIL": f"readme-{suffix}@example.com", "PASSWORD": f"Correct-Horse-{suffix}!"}
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, f"{command[0]} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_the_curl_example(cloud: RunningCloud, tmp_path: Path) -> None:
    assert shutil.which("jq") and shutil.which("curl"), "the curl example needs curl and jq (.ci/run installs jq)"
    lines = _run(["bash", "-euo", "pipefail", "-c", example("curl")], cloud, tmp_path).splitlines()
    assert re.fullmatch(r"sync: succeeded \S.*", lines[0]), lines
    assert lines[1] == "async: succeeded, changed: false", lines
    batch = json.loads(lines[2])
    assert (batch["counts"]["succeeded"], batch["counts"]["failed"], batch["invalid"]) == (1, 1, ["not a cnpj"])
    assert lines[3] == "used 4 of 100", lines
    assert json.loads(lines[4]) == {"checks": 4, "by_mode": {"sync": 1, "async": 1, "batch": 2}}, lines
    assert lines[5] == "csv checks 4", lines


def test_the_python_sdk_example(cloud: RunningCloud, tmp_path: Path) -> None:
    lines = _run([sys.executable, "-c", example("python")], cloud, tmp_path).splitlines()
    name = lines[0].removeprefix("sync: succeeded ")
    assert name != lines[0] and name != "None" and lines[1] == "async: succeeded changed: False", lines
    assert lines[-4] == "batch: 2 of 2", lines
    assert sorted(lines[-3:-1]) == ["12ABC34501DE35 failed cnpj_not_found", f"19131243000197 succeeded {name}"], lines
    assert lines[-1] == "invalid: ['not a cnpj'] used: 4", lines


def test_the_javascript_fetch_example(cloud: RunningCloud, tmp_path: Path) -> None:
    script = tmp_path / "radar.mjs"
    script.write_text(example("javascript"), encoding="utf-8")
    lines = _run(["node", str(script)], cloud, tmp_path).splitlines()
    assert re.fullmatch(r"sync: succeeded \S.*", lines[0]) and lines[1] == "async: succeeded changed: false", lines
    batch = json.loads(lines[2].removeprefix("batch: "))
    assert (batch["counts"]["succeeded"], batch["counts"]["failed"], batch["invalid"]) == (1, 1, ["not a cnpj"])
