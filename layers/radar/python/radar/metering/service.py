"""Monthly check metering: an atomic, conditional counter per tenant and month, with per-day counts."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from radar.aws import client as aws_client
from radar.aws import is_conditional_failure
from radar.errors import AllowanceExceeded, DependencyUnavailable
from radar.metering.schemas import UsageReport
from radar.tables import tenant_pk
from radar.tiers import TiersConfig, load_tiers
from radar.timestamps import utc_iso

__all__ = [
    "TenantSettings",
    "UsageMeter",
    "UsageSummary",
    "UsageTag",
    "day_key",
    "month_period",
    "period_resets_at",
    "principal_of",
]

# How often a partial reservation retries when another request moves the counter between read and write.
_RESERVE_ATTEMPTS = 5


def month_period(now: datetime) -> str:
    return now.strftime("%Y-%m")


def period_resets_at(now: datetime) -> datetime:
    """The first instant of the next calendar month (UTC), when the allowance starts over."""
    days = calendar.monthrange(now.year, now.month)[1]
    start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return datetime.fromtimestamp(start.timestamp() + days * 86400, tz=UTC)


def principal_of(principal_type: str, principal_id: str) -> str:
    """`api_key:<key id>` or `user:<user id>`: who ran a check, as the report's counters name it (ids, never
    e-mails)."""
    return f"{principal_type or 'unknown'}:{principal_id or 'unknown'}"


def day_key(tenant_id: str, day: str) -> dict[str, Any]:
    """The day's report counters (`day` = yyyy-mm-dd): `USAGE#<yyyy-mm>#<dd>`, beside the month's `USAGE#<yyyy-mm>`."""
    return {"pk": {"S": tenant_pk(tenant_id)}, "sk": {"S": f"USAGE#{day[:7]}#{day[8:10]}"}}


@dataclass(frozen=True)
class UsageTag:
    """What the consumption report splits a counted check by: its mode (`sync`, `async`, `batch`) and its principal
    (`principal_of`). Counted with the allowance unit, in the same transaction, on the day's item."""

    mode: str
    principal: str

    @property
    def counter(self) -> str:
        return f"n#{self.mode}#{self.principal}"

    @property
    def cached_counter(self) -> str:
        return f"n#cached#{self.principal}"


@dataclass(frozen=True)
class TenantSettings:
    """What counting and storing a check need from the tenant item, read once per request."""

    plan: str  # as stored now: the authorizer's context may be up to its cache TTL (60 s) old
    retention_days: int | None = None  # the tenant's own retention; None: the plan's


@dataclass(frozen=True)
class UsageSummary:
    plan: str
    period: str
    used: int
    allowance: int
    remaining: int
    resets_at: str
    by_day: dict[str, int]


class UsageMeter:
    """Counts checks against the plan's `monthly_checks`; the condition `used <= allowance - n` guards it."""

    def __init__(self, table_name: str, *, tiers: TiersConfig | None = None, client: Any = None) -> None:
        self._table = table_name
        self._tiers = tiers or load_tiers()
        self._client = client

    @property
    def client(self) -> Any:
        return self._client or aws_client("dynamodb")

    def tenant_settings(self, tenant_id: str, fallback_plan: str) -> TenantSettings:
        """The tenant's plan and retention as stored now, in one consistent read: an upgrade lifts the allowance
        at once, and the retention that applies is the current plan's."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            item = self.client.get_item(
                TableName=self._table,
                Key=self.settings_key(tenant_id),
                ProjectionExpression="#plan, retention_days",
                ExpressionAttributeNames={"#plan": "plan"},
                ConsistentRead=True,
            ).get("Item", {})
        except (BotoCoreError, ClientError) as exc:
            raise DependencyUnavailable("tenant plan unavailable", details={"dependency": "main_table"}) from exc
        return self.settings_from_item(item, fallback_plan)

    @staticmethod
    def settings_key(tenant_id: str) -> dict[str, Any]:
        """The key of the item `tenant_settings` reads, for a caller that reads it together with other items."""
        return {"pk": {"S": tenant_pk(tenant_id)}, "sk": {"S": "TENANT"}}

    def settings_from_item(self, item: dict[str, Any], fallback_plan: str) -> TenantSettings:
        """TenantSettings from the tenant item as DynamoDB returned it (a consistent read of `settings_key`)."""
        plan = item.get("plan", {}).get("S")
        retention = int(item.get("retention_days", {}).get("N") or 0)
        return TenantSettings(
            plan=plan if plan in self._tiers.tiers else fallback_plan,
            retention_days=retention if retention > 0 else None,
        )

    def allowance(self, plan: str) -> int:
        tier = self._tiers.tiers.get(plan) or self._tiers.get(self._tiers.default_plan)
        return tier.monthly_checks

    def _key(self, tenant_id: str, period: str) -> dict[str, Any]:
        return {"pk": {"S": tenant_pk(tenant_id)}, "sk": {"S": f"USAGE#{period}"}}

    def _add(self, tenant_id: str, count: int, allowance: int, now: datetime) -> dict[str, Any]:
        """UpdateItem arguments that count `count` checks unless that would pass `allowance`."""
        return {
            "TableName": self._table,
            "Key": self._key(tenant_id, month_period(now)),
            "UpdateExpression": "ADD used :n, #day :n SET entity = :entity, tenant_id = :tid",
            "ConditionExpression": "attribute_not_exists(used) OR used <= :max_before",
            "ExpressionAttributeNames": {"#day": f"d{now:%d}"},
            "ExpressionAttributeValues": {
                ":n": {"N": str(count)},
                ":max_before": {"N": str(allowance - count)},
                ":entity": {"S": "usage"},
                ":tid": {"S": tenant_id},
            },
        }

    def report_write(self, tenant_id: str, day: str, counters: dict[str, int]) -> dict[str, Any]:
        """The day item's `ADD` of each counter (`day` = yyyy-mm-dd; names `UsageTag.counter` or `.cached_counter`;
        negative: given back) as one TransactWriteItems `Update` entry (a transaction holds one entry per item), to
        commit in the transaction that counts, gives back or finishes from the cache the checks it reports."""
        names = {f"#c{n}": name for n, name in enumerate(counters)}
        values: dict[str, Any] = {f":c{n}": {"N": str(count)} for n, count in enumerate(counters.values())}
        adds = ", ".join(f"#c{n} :c{n}" for n in range(len(counters)))
        return {
            "Update": {
                "TableName": self._table,
                "Key": day_key(tenant_id, day),
                "UpdateExpression": f"ADD {adds} SET entity = :entity, tenant_id = :tid",
                "ExpressionAttributeNames": names,
                "ExpressionAttributeValues": {**values, ":entity": {"S": "usage_day"}, ":tid": {"S": tenant_id}},
            }
        }

    def _write(self, month: dict[str, Any], report: dict[str, Any] | None) -> None:
        """The month's counter alone (UpdateItem), or with the day's report counter in one transaction: both land
        or neither, so the report always agrees with the allowance."""
        if report is None:
            self.client.update_item(**month)
        else:
            self.client.transact_write_items(TransactItems=[{"Update": month}, report])

    def _try_add(self, tenant_id: str, count: int, allowance: int, now: datetime, tag: UsageTag | None) -> bool:
        from botocore.exceptions import ClientError

        report = self.report_write(tenant_id, f"{now:%Y-%m-%d}", {tag.counter: count}) if tag is not None else None
        try:
            self._write(self._add(tenant_id, count, allowance, now), report)
        except ClientError as exc:
            if _refused(exc):
                return False
            raise DependencyUnavailable("usage counter unavailable", details={"dependency": "main_table"}) from exc
        return True

    def reserve_write(
        self, tenant_id: str, plan: str, count: int = 1, *, now: datetime | None = None
    ) -> dict[str, Any]:
        """The all-or-nothing reservation as one TransactWriteItems `Update` entry, to commit together with the
        check it pays for (the unit is counted exactly when the check is stored, so a crash cannot leak it). Its
        condition failing means the allowance is used up: answer with `exceeded()`."""
        now = now or datetime.now(UTC)
        return {"Update": self._add(tenant_id, count, self.allowance(plan), now)}

    def exceeded(self, tenant_id: str, plan: str, *, now: datetime | None = None) -> AllowanceExceeded:
        """The 429 a refused reservation answers with (what is used, when it resets, the upgrade)."""
        return self._exceeded(tenant_id, plan, now or datetime.now(UTC))

    def reserve(
        self,
        tenant_id: str,
        plan: str,
        count: int = 1,
        *,
        partial: bool = False,
        now: datetime | None = None,
        tag: UsageTag | None = None,
    ) -> int:
        """Count `count` checks now against `plan`'s allowance; return how many were counted. `plan` is the tenant's
        plan as stored now (`tenant_settings`), not the authorizer's possibly older context.

        All-or-nothing by default (a single check). With `partial=True` (batches) it counts as many as
        still fit in the allowance, so a batch of 50 with 20 left queues 20 and reports the other 30 back;
        when none fit it raises AllowanceExceeded like a single check does.
        Either way nothing is counted past the allowance. With `tag` the same transaction counts them on the day's
        report counters (mode and principal).
        """
        now = now or datetime.now(UTC)
        allowance = self.allowance(plan)
        wanted = count
        for _ in range(_RESERVE_ATTEMPTS):
            if wanted > 0 and self._try_add(tenant_id, wanted, allowance, now, tag):
                return wanted
            if not partial:
                break
            wanted = min(count, allowance - self.used(tenant_id, now=now))
            if wanted <= 0:
                break
        raise self._exceeded(tenant_id, plan, now)

    def release(
        self,
        tenant_id: str,
        count: int,
        *,
        now: datetime | None = None,
        period: str | None = None,
        day: str | None = None,
        tag: UsageTag | None = None,
    ) -> None:
        """Give back checks that were counted but not delivered (the queue refused them, they failed for lack of
        capacity or provider faults). `period` (yyyy-mm) and `day` (dd) say where they were counted: a release lands
        in the month it was taken from, even when it happens in the next one. `tag`: the report counter they were
        counted on, given back in the same transaction (None for checks counted before the report existed)."""
        if count <= 0:
            return
        now = now or datetime.now(UTC)
        period = period or month_period(now)
        dd = day or f"{now:%d}"
        month = {
            "TableName": self._table,
            "Key": self._key(tenant_id, period),
            "UpdateExpression": "ADD used :n, #day :n",
            "ConditionExpression": "attribute_exists(used)",
            "ExpressionAttributeNames": {"#day": f"d{dd}"},
            "ExpressionAttributeValues": {":n": {"N": str(-count)}},
        }
        report = self.report_write(tenant_id, f"{period}-{dd}", {tag.counter: -count}) if tag is not None else None
        self._write(month, report)

    def used(self, tenant_id: str, *, now: datetime | None = None) -> int:
        return self._item_numbers(tenant_id, now or datetime.now(UTC)).get("used", 0)

    def _item_numbers(self, tenant_id: str, now: datetime) -> dict[str, int]:
        return self.month_numbers(tenant_id, month_period(now))

    def summary(self, tenant_id: str, plan: str, *, now: datetime | None = None) -> UsageSummary:
        now = now or datetime.now(UTC)
        numbers = self._item_numbers(tenant_id, now)
        plan = self.tenant_settings(tenant_id, plan).plan
        allowance = self.allowance(plan)
        used = numbers.get("used", 0)
        period = month_period(now)
        by_day = {
            f"{period}-{name[1:]}": value
            for name, value in sorted(numbers.items())
            if len(name) == 3 and name.startswith("d") and name[1:].isdigit()
        }
        return UsageSummary(
            plan=plan,
            period=period,
            used=used,
            allowance=allowance,
            remaining=max(allowance - used, 0),
            resets_at=utc_iso(period_resets_at(now), timespec="seconds"),
            by_day=by_day,
        )

    def month_numbers(self, tenant_id: str, period: str) -> dict[str, int]:
        """The month item's counters (`used`, `d<dd>`): what GET /usage reads."""
        item = (
            self.client.get_item(TableName=self._table, Key=self._key(tenant_id, period), ConsistentRead=True).get(
                "Item"
            )
            or {}
        )
        return {name: int(value["N"]) for name, value in item.items() if "N" in value}

    def day_counters(self, tenant_id: str, period: str) -> dict[str, dict[str, int]]:
        """The month's day items in one query (at most 31 items, whatever the month's volume): day (dd) -> counters."""
        days: dict[str, dict[str, int]] = {}
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": {
                ":pk": {"S": tenant_pk(tenant_id)},
                ":prefix": {"S": f"USAGE#{period}#"},
            },
            "ConsistentRead": True,
        }
        while True:
            page = self.client.query(**kwargs)
            for item in page.get("Items", []):
                dd = item["sk"]["S"].rsplit("#", 1)[-1]
                days[dd] = {name: int(value["N"]) for name, value in item.items() if "N" in value}
            if not page.get("LastEvaluatedKey"):
                return days
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def report(self, tenant_id: str, period: str, *, now: datetime | None = None) -> UsageReport:
        """GET /usage/report: the month item and the month's day items (two reads, at most 31 day items), shaped by
        radar.metering.report; `period` already validated (`parse_period`)."""
        from radar.metering.report import build_report

        return build_report(
            period,
            self.month_numbers(tenant_id, period),
            self.day_counters(tenant_id, period),
            now=now or datetime.now(UTC),
        )

    def _exceeded(self, tenant_id: str, plan: str, now: datetime) -> AllowanceExceeded:
        allowance = self.allowance(plan)
        upgrade = self._tiers.next_plan_above(plan)
        details: dict[str, Any] = {
            "limit": "monthly_checks",
            "used": self.used(tenant_id, now=now),
            "allowance": allowance,
            "resets_at": utc_iso(period_resets_at(now), timespec="seconds"),
            "upgrade_plan": upgrade,
            "upgrade_url": self._tiers.upgrade_url,
            "upgrade": self._tiers.upsell(plan),  # the next plan up: what it gives, its price, the checkout route
        }
        hint = f" {self._tiers.offer(plan)}" if upgrade else ""
        return AllowanceExceeded(
            f"Your plan includes {allowance} checks a month and they are used up; the allowance resets on "
            f"{details['resets_at'][:10]}.{hint}",
            details=details,
        )


def _refused(exc: BaseException) -> bool:
    """The month's allowance condition did not hold, alone or as the first item of a cancelled transaction."""
    if is_conditional_failure(exc):
        return True
    reasons = (getattr(exc, "response", None) or {}).get("CancellationReasons") or []
    return any(reason.get("Code") == "ConditionalCheckFailed" for reason in reasons)
