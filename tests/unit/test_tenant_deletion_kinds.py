"""The purge's kinds: every item of a tenant's partition has exactly one kind, by its sort key."""

from __future__ import annotations

import pytest

from radar.tenants.deletion import KINDS, idempotency_prefix, kind_of


@pytest.mark.parametrize(("sk", "kind"), [
    ("BILLING", "billing"), ("CHECK#c1", "checks"), ("BATCH#b1", "batches"), ("TARGET#t1", "targets"),
    ("TARGETCNPJ#19131243000197", "cnpj_locks"), ("USAGE#2026-12", "usage"), ("APIKEY#k1", "api_keys"),
    ("REFRESH#abc", "refresh_tokens"), ("SESSION#s1", "sessions"), ("USER#u1", "users"),
    ("SOMETHINGNEW#1", "other"), ("BILLINGX", "other"),
])
def test_each_sort_key_has_one_kind(sk: str, kind: str) -> None:
    assert kind_of(sk).name == kind


def test_kinds_are_unique_and_other_comes_last() -> None:
    names = [k.name for k in KINDS]
    assert len(names) == len(set(names)) and names[-1] == "other" and names[0] == "billing"
    assert idempotency_prefix("t1") == "checks.create#t1#"  # radar.checks.idempotency's key prefix
