"""Stage settings as data: one JSON file per stage (dev, staging, prod), read without loading the CDK.

The local cloud's synth step reads a stage's stack name from here before it decides whether to synthesize, so this
module imports nothing heavy. infra_cdk/settings.py turns a stage file into typed Settings.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["DEFAULT_STAGE", "STAGES", "STAGE_ENV", "load_stage", "requested_stage", "stack_name"]

STAGES: tuple[str, ...] = ("dev", "staging", "prod")
DEFAULT_STAGE = "dev"
# The environment variable that picks the stage (`make synth STAGE=prod`, `RADAR_STAGE=staging make up`).
STAGE_ENV = "RADAR_STAGE"
_DIR = Path(__file__).resolve().parent


def requested_stage(value: object = None) -> str:
    """The stage named by `value`, else RADAR_STAGE, else dev; an unknown name is an error that lists the stages."""
    stage = str(value or os.environ.get(STAGE_ENV) or DEFAULT_STAGE).strip().lower()
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}: choose one of {', '.join(STAGES)}")
    return stage


@cache
def load_stage(stage: str) -> dict[str, Any]:
    """The stage's settings file, infra_cdk/stages/<stage>.json (keys documented in infra_cdk/settings.py)."""
    data = json.loads((_DIR / f"{requested_stage(stage)}.json").read_text(encoding="utf-8"))
    return {key: value for key, value in data.items() if not key.startswith("_")}


def stack_name(stage: str) -> str:
    return str(load_stage(stage)["stackName"])
