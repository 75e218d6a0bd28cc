"""Every migration, in version order. A new one: a module `m<version>_<name>.py` with a Migration subclass,
added to MIGRATIONS, tested up, down and up again (tests/integration/test_migrations.py)."""

from __future__ import annotations

from scripts.migrate.framework import Migration
from scripts.migrate.versions.m0001_target_success_pointer import TargetSuccessPointer

__all__ = ["MIGRATIONS", "for_table"]

MIGRATIONS: tuple[Migration, ...] = (TargetSuccessPointer(),)


def for_table(table: str) -> list[Migration]:
    return sorted((m for m in MIGRATIONS if m.table == table), key=lambda m: m.version)
