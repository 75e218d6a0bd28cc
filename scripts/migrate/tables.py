"""Which physical tables (and which AWS endpoint) a maintenance script works on.

In order: an explicit `--table-name`; a deployed stack's outputs (`--stack CnpjRadar-prod`: MainTableName,
CacheTableName, IdempotencyTableName); else the running local cloud's state file (.local/state.json, or
RADAR_STATE_FILE), whose emulator endpoint becomes AWS_ENDPOINT_URL.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

__all__ = ["TABLES", "resolve_table"]

REPO = Path(__file__).resolve().parents[2]
# Logical table -> (template logical id, stack output).
TABLES = {"main": ("MainTable", "MainTableName"), "cache": ("CacheTable", "CacheTableName"),
          "idempotency": ("IdempotencyTable", "IdempotencyTableName")}


def resolve_table(table: str, *, table_name: str | None = None, stack: str | None = None) -> str:
    if table not in TABLES:
        raise SystemExit(f"unknown table {table!r}: choose one of {', '.join(TABLES)}")
    if table_name:
        return table_name
    logical_id, output = TABLES[table]
    if stack:
        import boto3

        described: Any = boto3.client("cloudformation").describe_stacks(StackName=stack)
        outputs = {o["OutputKey"]: o["OutputValue"] for o in described["Stacks"][0].get("Outputs", [])}
        if output not in outputs:
            raise SystemExit(f"stack {stack} has no output {output}")
        return str(outputs[output])
    state_file = Path(os.environ.get("RADAR_STATE_FILE", str(REPO / ".local" / "state.json")))
    if not state_file.exists():
        raise SystemExit(f"no --table-name, no --stack, and no running local cloud ({state_file}): say which table")
    state = json.loads(state_file.read_text(encoding="utf-8"))
    os.environ.setdefault("AWS_ENDPOINT_URL", str(state["endpoint"]))
    for name, value in (("AWS_DEFAULT_REGION", "us-east-1"), ("AWS_ACCESS_KEY_ID", "local"),
                        ("AWS_SECRET_ACCESS_KEY", "local")):
        os.environ.setdefault(name, value)
    return str(state["resources"][logical_id]["ref"])
