"""`python -m scripts.migrate status|up|down`: run the data migrations of one table (see scripts/migrate)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from scripts.migrate.framework import DOWN, UP, Runner
from scripts.migrate.tables import TABLES, resolve_table
from scripts.migrate.versions import for_table

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.migrate", description=__doc__)
    parser.add_argument("command", choices=("status", UP, DOWN))
    parser.add_argument("--table", choices=sorted(TABLES), default="main", help="logical table (default main)")
    parser.add_argument("--table-name", help="physical table name (else --stack's outputs, else the local cloud)")
    parser.add_argument("--stack", help="read the table name from this deployed stack's outputs")
    parser.add_argument("--version", help="only this migration (down: default the newest applied)")
    parser.add_argument("--dry-run", action="store_true", help="read and count; write nothing")
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--max-items-per-second", type=float, default=0, help="pace the scan (0: no limit)")
    args = parser.parse_args(argv)

    import boto3

    table_name = resolve_table(args.table, table_name=args.table_name, stack=args.stack)
    client: Any = boto3.client("dynamodb")
    runner = Runner(client, table_name, page_size=args.page_size, max_items_per_second=args.max_items_per_second)
    migrations = for_table(args.table)
    if args.version:
        migrations = [m for m in migrations if m.version == args.version]
        if not migrations:
            print(f"no migration {args.version} for table {args.table}", file=sys.stderr)
            return 2
    if args.command == "status":
        for migration in migrations:
            print(f"{migration.version} {migration.name}: {runner.progress(migration).summary()}")
        return 0
    if args.command == UP:
        for migration in migrations:
            runner.run(migration, UP, dry_run=args.dry_run)
        return 0
    # down: one migration at a time, the newest that is not pending/reverted unless --version names one
    started = [m for m in reversed(migrations) if runner.progress(m).state not in ("pending", "reverted")]
    if not started:
        print(f"nothing to revert on {table_name}")
        return 0
    runner.run(started[0], DOWN, dry_run=args.dry_run)
    return 0


if __name__ == "__main__":
    sys.exit(main())
