"""The developer commands the README gives, run as given against the running local cloud (its state file)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

import boto3

from tests.support.cloud import RunningCloud

REPO = Path(__file__).resolve().parents[2]


def _run(cloud: RunningCloud, *command: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("AWS_ENDPOINT_URL", "CHECKS_DLQ_URL", "MAIN_TABLE")}
    env["RADAR_STATE_FILE"] = str(cloud.state_file)
    return subprocess.run([sys.executable, *command], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)


def test_redrive_dry_run_as_the_readme_gives_it_reads_the_running_cloud(cloud: RunningCloud) -> None:
    dlq_url = cloud.resource("ChecksDlq")["ref"]
    sqs = boto3.client("sqs")
    dead = {"tenant_id": uuid.uuid4().hex, "check_id": f"chk_{uuid.uuid4().hex}", "target_id": "tgt_x",
            "cnpj": "11222333000181", "enqueued_at": datetime.now(UTC).isoformat()}
    sqs.send_message(QueueUrl=dlq_url, MessageBody=json.dumps(dead))
    try:
        result = _run(cloud, "scripts/redrive_dlq.py", "--dry-run")
        assert result.returncode == 0, result.stderr
        report = json.loads(result.stdout.strip().splitlines()[-1])
        assert report["dry_run"] is True
        assert report["dropped"] >= 1  # a check that does not exist would be dropped, not redriven
        visible = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["ApproximateNumberOfMessages"])
        assert int(visible["Attributes"]["ApproximateNumberOfMessages"]) >= 1  # a dry run leaves it there
    finally:
        sqs.purge_queue(QueueUrl=dlq_url)


def test_redrive_without_a_cloud_says_what_is_missing(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("CHECKS_DLQ_URL", "CHECKS_QUEUE_URL", "MAIN_TABLE")}
    env["RADAR_STATE_FILE"] = str(tmp_path / "none.json")
    result = subprocess.run([sys.executable, "scripts/redrive_dlq.py", "--dry-run"], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "--dlq-url" in result.stderr and "make up" in result.stderr


def test_make_seed_signs_up_the_demo_tenant_on_the_running_cloud(cloud: RunningCloud) -> None:
    result = _run(cloud, "-m", "scripts.seed_demo")
    assert result.returncode == 0, result.stderr
    seeded = json.loads(result.stdout)
    assert seeded["email"] == "demo@cnpj-radar.dev" and seeded["api_key"].startswith("rdr_")
    assert "access_token" not in seeded
