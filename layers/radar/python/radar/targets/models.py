"""PynamoDB items of a target and its one-per-CNPJ lock, in the main table (keys per docs/architecture.md)."""

from __future__ import annotations

from pynamodb.attributes import ListAttribute, NumberAttribute, UnicodeAttribute

from radar.store import Gsi1, MainTableModel

__all__ = ["TargetCnpjLockModel", "TargetModel", "lock_sk", "target_sk"]


def target_sk(target_id: str) -> str:
    return f"TARGET#{target_id}"


def lock_sk(cnpj: str) -> str:
    return f"TARGETCNPJ#{cnpj}"


class TargetModel(MainTableModel):
    gsi1pk = UnicodeAttribute()
    gsi1sk = UnicodeAttribute()
    entity = UnicodeAttribute(default="target")
    target_id = UnicodeAttribute()
    tenant_id = UnicodeAttribute()
    cnpj = UnicodeAttribute()
    label = UnicodeAttribute(null=True)
    tags = ListAttribute(of=UnicodeAttribute, default=list)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()
    # The newest succeeded check (its id and creation-order key, a check's gsi1sk), kept so that a check diffs
    # against it with two key reads instead of a history query. "" = no success yet; absent = a target written
    # before the pointer existed, for which the history is queried.
    last_success_check_id = UnicodeAttribute(null=True)
    last_success_order = UnicodeAttribute(null=True)
    # What that check's report says (radar.checks.diff.report_digest) and when that check expires by retention: a
    # new report with the same digest diffs as unchanged without reading the old check. A digest, not the report:
    # the target carries no partner data past its check's retention, stays small, and is listed often.
    last_success_digest = UnicodeAttribute(null=True)
    last_success_expires_at = NumberAttribute(null=True)
    by_creation: Gsi1[TargetModel] = Gsi1()  # gsi1pk = TENANT#<tid>#TARGETS, gsi1sk = <created_at>#<id>


class TargetCnpjLockModel(MainTableModel):
    entity = UnicodeAttribute(default="target_cnpj_lock")
    target_id = UnicodeAttribute()
    created_at = UnicodeAttribute(null=True)  # a lock whose target never got written is taken over once stale
