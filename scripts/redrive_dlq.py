"""Redrive the checks dead-letter queue: reopen each dead check and send it back to the checks queue.

Usage: python scripts/redrive_dlq.py [--max N] [--dry-run]
Reads CHECKS_DLQ_URL, CHECKS_QUEUE_URL and MAIN_TABLE from the environment unless given as options
(against the local cloud, export AWS_ENDPOINT_URL and the values from .local/state.json first).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--dlq-url", default=os.environ.get("CHECKS_DLQ_URL"))
    parser.add_argument("--queue-url", default=os.environ.get("CHECKS_QUEUE_URL"))
    parser.add_argument("--table", default=os.environ.get("MAIN_TABLE"))
    parser.add_argument("--max", type=int, default=None, help="stop after this many messages")
    parser.add_argument("--dry-run", action="store_true", help="report what would be redriven; change nothing")
    args = parser.parse_args(argv)
    missing = [name for name in ("dlq_url", "queue_url", "table") if not getattr(args, name)]
    if missing:
        parser.error("missing: " + ", ".join("--" + m.replace("_", "-") for m in missing))

    import boto3

    from radar.checks.redrive import redrive_dlq
    from radar.checks.repository import BatchRepository, CheckRepository

    result = redrive_dlq(
        sqs=boto3.client("sqs"),
        dlq_url=args.dlq_url,
        queue_url=args.queue_url,
        checks=CheckRepository(args.table),
        batches=BatchRepository(args.table),
        max_messages=args.max,
        dry_run=args.dry_run,
    )
    print(json.dumps(result.as_dict()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
