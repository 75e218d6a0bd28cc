"""Synthesize the CDK app, skipping the work when no source changed since the last synth (hash of the sources).

The stage is RADAR_STAGE (dev by default; `make synth STAGE=prod`, `RADAR_STAGE=staging make up`): each stage has
its own template (infra_cdk/stages/<stage>.json names its stack) and its own cache marker.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from infra_cdk.stages import requested_stage, stack_name

__all__ = ["SOURCE_GLOBS", "STACK_NAME", "source_hash", "synth"]

REPO = Path(__file__).resolve().parents[2]
STACK_NAME = stack_name("dev")
SOURCE_GLOBS = ("infra_cdk/**/*", "functions/**/*", "layers/radar/**/*", "layers/deps/requirements.txt", "cdk.json")


def source_hash(repo: Path = REPO) -> str:
    digest = hashlib.sha256()
    for pattern in SOURCE_GLOBS:
        for path in sorted(repo.glob(pattern)):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                digest.update(str(path.relative_to(repo)).encode())
                digest.update(path.read_bytes())
    digest.update(os.environ.get("RADAR_BUNDLE", "").encode())
    digest.update(requested_stage().encode())
    return digest.hexdigest()


def synth(out_dir: Path | None = None, *, force: bool = False) -> tuple[Path, bool]:
    """Return (template path, whether synth ran). Cached by the hash of the sources in out_dir/.source-hash."""
    out_dir = out_dir or REPO / "cdk.out"
    stage = requested_stage()  # RADAR_STAGE, else dev (an unknown stage is an error naming the stages)
    template = out_dir / f"{stack_name(stage)}.template.json"
    marker = out_dir / (".source-hash" if stage == "dev" else f".source-hash.{stage}")
    current = source_hash()
    if not force and template.exists() and marker.exists() and marker.read_text() == current:
        return template, False
    env = {**os.environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20", "CDK_OUTDIR": str(out_dir),
           "RADAR_STAGE": stage}
    result = subprocess.run(
        [sys.executable, str(REPO / "infra_cdk" / "app.py")], cwd=REPO, env=env, capture_output=True, text=True
    )
    if result.returncode != 0 or not template.exists():
        raise RuntimeError(f"cdk synth failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    marker.write_text(current)
    return template, True
