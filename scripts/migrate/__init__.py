"""Versioned, idempotent DynamoDB data migrations with rollback (`python -m scripts.migrate`, `make migrate`).

DynamoDB has no schema, but item shapes change: a migration rewrites the items of one table, page by page, up
(apply) or down (revert). Each table keeps one record per migration in itself (key `_MIGRATIONS`): its state
(running-up, applied, running-down, reverted), counters and the scan's last evaluated key after every page, so a
run that crashed resumes where it stopped. Every item change is conditional, so running a migration twice, or
resuming it, changes nothing twice. `--dry-run` reads and counts, and writes nothing (not even the record).
"""
