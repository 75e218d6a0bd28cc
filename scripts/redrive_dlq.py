"""Redrive the checks dead-letter queue: reopen each dead check and send it back to the checks queue.

Usage: python scripts/redrive_dlq.py [--max N] [--dry-run]   (or `make redrive REDRIVE_ARGS=--dry-run`)
Against the running local cloud it needs nothing else: the queues, the table and the emulator come from its state
file (RADAR_STATE_FILE, default .local/state.json). Elsewhere (a deployed stack) give --dlq-url, --queue-url and
--table, or set CHECKS_DLQ_URL, CHECKS_QUEUE_URL and MAIN_TABLE, with AWS credentials as usual.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["main"]

REPO = Path(__file__).resolve().parents[1]


def _local_cloud_defaults(state_file: Path | None) -> dict[str, str]:
    """The running local cloud's queues, table and emulator, from its state file ({} when there is none)."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))  # run as a file (python scripts/redrive_dlq.py), not as a module
    from scripts.localcloud.aws import emulator_env
    from scripts.localcloud.opsview import read_state

    try:
        state = read_state(state_file)
    except FileNotFoundError:
        return {}
    resources = state.get("resources", {})
    found = {
        "dlq_url": resources.get("ChecksDlq", {}).get("ref"),
        "queue_url": resources.get("ChecksQueue", {}).get("ref"),
        "table": resources.get("MainTable", {}).get("ref"),
    }
    if not state.get("endpoint") or not all(found.values()):
        return {}
    os.environ.update(emulator_env(str(state["endpoint"])))
    return {name: str(value) for name, value in found.items()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--dlq-url", default=os.environ.get("CHECKS_DLQ_URL"))
    parser.add_argument("--queue-url", default=os.environ.get("CHECKS_QUEUE_URL"))
    parser.add_argument("--table", default=os.environ.get("MAIN_TABLE"))
    parser.add_argument("--state", type=Path, default=None, help="the local cloud's state file (default .local/)")
    parser.add_argument("--max", type=int, default=None, help="stop after this many messages")
    parser.add_argument("--dry-run", action="store_true", help="report what would be redriven; change nothing")
    args = parser.parse_args(argv)
    names = ("dlq_url", "queue_url", "table")
    if not all(getattr(args, name) for name in names):
        local = _local_cloud_defaults(args.state)
        for name in names:
            if not getattr(args, name) and local:
                setattr(args, name, local[name])
    missing = [name for name in names if not getattr(args, name)]
    if missing:
        parser.error(
            "missing: " + ", ".join("--" + m.replace("_", "-") for m in missing)
            + " (no running local cloud found: start one with `make up`, or name the queues and table)"
        )

    import boto3

    from radar.checks.redrive import redrive_dlq
    from radar.checks.repository import CheckRepository
    from radar.tables import bind_main_table

    bind_main_table(args.table)
    result = redrive_dlq(
        sqs=boto3.client("sqs"),
        dlq_url=args.dlq_url,
        queue_url=args.queue_url,
        checks=CheckRepository(),
        max_messages=args.max,
        dry_run=args.dry_run,
    )
    print(json.dumps(result.as_dict()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
