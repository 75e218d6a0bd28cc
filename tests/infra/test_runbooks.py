"""The incident and restore runbooks say what the brief requires, with commands that match the app."""

from __future__ import annotations

from infra_cdk.app import REPO_ROOT

RUNBOOKS = REPO_ROOT / "docs" / "runbooks"


def test_incident_runbook_covers_people_rollback_providers_and_the_queue() -> None:
    text = (RUNBOOKS / "incident.md").read_text(encoding="utf-8")
    for section in ("## Who looks at what", "## Roll back a deploy", "## Pause a provider",
                    "## Drain or redrive the queue"):
        assert section in text, section
    for command in ("aws deploy stop-deployment", "aws lambda update-alias", "BREAKER#", "--no-enabled",
                    "scripts/redrive_dlq.py", "migrate ARGS=\"down"):
        assert command in text, command


def test_restore_runbook_has_the_pitr_and_backup_commands_and_the_drill() -> None:
    text = (RUNBOOKS / "restore.md").read_text(encoding="utf-8")
    for command in ("aws dynamodb restore-table-to-point-in-time", "aws backup start-restore-job",
                    "aws backup list-recovery-points-by-backup-vault", "update-time-to-live",
                    "update-continuous-backups", "make restore-drill", "--restore-as"):
        assert command in text, command


def test_the_breaker_item_the_incident_runbook_writes_is_the_one_the_code_reads() -> None:
    from radar.coordination import breaker

    assert breaker._key("cnpjws") == "BREAKER#cnpjws"
    assert breaker.OPEN == "open"
    text = (RUNBOOKS / "incident.md").read_text(encoding="utf-8")
    assert '\\"state\\":{\\"S\\":\\"open\\"}' in text and "opened_at" in text
