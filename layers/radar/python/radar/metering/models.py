"""Metering's pynamodb item: a tenant's day of report counters, for writes that join another capability's
transaction (a check's success counts its cache hit there)."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import NumberAttribute, UnicodeAttribute

from radar.metering.service import UsageTag
from radar.store import MainTableModel
from radar.tables import tenant_pk

__all__ = ["UsageDayModel", "cached_count"]


class UsageDayModel(MainTableModel):
    """`USAGE#<yyyy-mm>#<dd>`: one number per counter `n#<mode>#<principal>` and `n#cached#<principal>` (ADD only:
    the counter names are data, so they are not declared here)."""

    entity = UnicodeAttribute(null=True)
    tenant_id = UnicodeAttribute(null=True)


def cached_count(tenant_id: str, day: str, tag: UsageTag) -> tuple[UsageDayModel, list[Any]]:
    """The item and actions that count one check of `tag`, counted on `day` (yyyy-mm-dd), as answered from the
    cache; the check's success transaction carries them, so the count lands exactly when the success does."""
    item = UsageDayModel(tenant_pk(tenant_id), f"USAGE#{day[:7]}#{day[8:10]}")
    counter = NumberAttribute(attr_name=tag.cached_counter)
    actions = [
        counter.add(1),
        UsageDayModel.entity.set("usage_day"),
        UsageDayModel.tenant_id.set(tenant_id),
    ]
    return item, actions
