"""PynamoDB items of a target and its one-per-CNPJ lock, in the main table (keys per docs/architecture.md)."""

from __future__ import annotations

from pynamodb.attributes import ListAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from radar.store import bind_models, tenant_pk

__all__ = ["TargetCnpjLockModel", "TargetModel", "bind_target_models", "lock_sk", "target_sk", "tenant_pk"]


def target_sk(target_id: str) -> str:
    return f"TARGET#{target_id}"


def lock_sk(cnpj: str) -> str:
    return f"TARGETCNPJ#{cnpj}"


class TargetsByCreation(GlobalSecondaryIndex["TargetModel"]):
    class Meta:
        index_name = "gsi1"
        projection = AllProjection()

    gsi1pk = UnicodeAttribute(hash_key=True)
    gsi1sk = UnicodeAttribute(range_key=True)


class TargetModel(Model):
    class Meta:
        table_name = "main"
        region: str | None = None

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
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
    by_creation = TargetsByCreation()


class TargetCnpjLockModel(Model):
    class Meta:
        table_name = "main"
        region: str | None = None

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    entity = UnicodeAttribute(default="target_cnpj_lock")
    target_id = UnicodeAttribute()
    created_at = UnicodeAttribute(null=True)  # a lock whose target never got written is taken over once stale


def bind_target_models(table_name: str) -> None:
    bind_models((TargetModel, TargetCnpjLockModel), table_name)
