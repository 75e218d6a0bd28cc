"""CNPJ locks: batches claim them without transactions; a lock left without its target by a crash heals."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from radar.tables import bind_main_table, tenant_pk
from radar.targets.errors import TargetExists
from radar.targets.models import TargetCnpjLockModel, lock_sk
from radar.targets.repository import TargetRepository
from tests.support.aws import AwsResources

ACME, OTHER = "19131243000197", "33683111000280"


@pytest.fixture
def repo(aws: AwsResources) -> TargetRepository:
    bind_main_table(aws.main_table)
    return TargetRepository()


def _orphan_lock(tenant_id: str, cnpj: str, created_at: str) -> None:
    TargetCnpjLockModel(tenant_pk(tenant_id), lock_sk(cnpj), target_id="tgt_crashed", created_at=created_at).save()


def test_ensure_many_reuses_existing_targets_and_creates_the_rest(repo: TargetRepository) -> None:
    tenant_id = f"t-{uuid.uuid4().hex}"
    existing = repo.create(tenant_id, ACME, label="kept", tags=[])
    ids = repo.ensure_many(tenant_id, [ACME, OTHER])
    assert ids[ACME] == existing.target_id
    created = repo.get(tenant_id, ids[OTHER])
    assert created.cnpj == OTHER
    assert repo.ensure_many(tenant_id, [OTHER]) == {OTHER: ids[OTHER]}
    with pytest.raises(TargetExists) as caught:
        repo.create(tenant_id, OTHER, label=None, tags=[])
    assert caught.value.existing_id == ids[OTHER]


def test_concurrent_batches_agree_on_one_target_per_cnpj(repo: TargetRepository) -> None:
    tenant_id = f"t-{uuid.uuid4().hex}"
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: repo.ensure_many(tenant_id, [ACME, OTHER]), range(4)))
    assert all(r == results[0] for r in results)
    listed, _ = repo.list(tenant_id, limit=10, cursor=None)
    assert sorted(str(t.cnpj) for t in listed) == [ACME, OTHER]


def test_a_stale_lock_without_its_target_is_taken_over(repo: TargetRepository) -> None:
    tenant_id = f"t-{uuid.uuid4().hex}"
    _orphan_lock(tenant_id, ACME, "2026-01-01T00:00:00.000Z")
    _orphan_lock(tenant_id, OTHER, "2026-01-01T00:00:00.000Z")
    created = repo.create(tenant_id, ACME, label=None, tags=[])
    assert created.target_id != "tgt_crashed"
    assert repo.ensure_many(tenant_id, [ACME, OTHER])[ACME] == created.target_id
    healed = repo.ensure_many(tenant_id, [OTHER])[OTHER]
    assert healed != "tgt_crashed" and repo.get(tenant_id, healed).cnpj == OTHER


def test_a_fresh_lock_without_its_target_is_someone_creating_it(repo: TargetRepository) -> None:
    from radar.timestamps import utc_iso

    tenant_id = f"t-{uuid.uuid4().hex}"
    _orphan_lock(tenant_id, ACME, utc_iso())
    with pytest.raises(TargetExists) as caught:
        repo.create(tenant_id, ACME, label=None, tags=[])
    assert caught.value.existing_id == "tgt_crashed"
    assert repo.ensure_many(tenant_id, [ACME]) == {ACME: "tgt_crashed"}
